import { placeholdersOf, resolvePlaceholder, substitute } from '../../../shared/infra/asl-placeholders.js';

const known = ['health', 'eventsAudit', 'chargeCard'];

/** `${Name}`, the ASL placeholder syntax. */
const ref = (name: string): string => `\${${name}}`;

describe('Function: placeholdersOf', () => {
  it('returns every placeholder once, in order of first use', () => {
    // Arrange
    const asl = JSON.stringify({
      A: { Resource: ref('ChargeCardFunctionArn') },
      B: { Resource: ref('EventsAuditFunctionArn'), Bus: ref('EventBusName') },
      C: { Resource: ref('ChargeCardFunctionArn') },
    });

    // Act
    const names = placeholdersOf(asl);

    // Assert
    expect(names).toEqual(['ChargeCardFunctionArn', 'EventsAuditFunctionArn', 'EventBusName']);
  });

  it('returns no placeholders for a text without any', () => {
    // Arrange & Act & Assert
    expect(placeholdersOf('{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}')).toEqual([]);
  });

  it('returns no placeholders for JSONPath, intrinsic functions or malformed placeholders', () => {
    // Arrange
    const asl = JSON.stringify({
      'a.$': '$.input',
      'b.$': "States.Format('{}', $.x)",
      c: ref('with-dash'),
      d: '$ {Spaced}',
    });

    // Act & Assert
    expect(placeholdersOf(asl)).toEqual([]);
  });
});

describe('Function: resolvePlaceholder', () => {
  it('returns the event bus for EventBusName', () => {
    // Arrange & Act & Assert
    expect(resolvePlaceholder('EventBusName', known)).toEqual({ kind: 'eventBusName' });
  });

  it('returns the function with a lower-case first letter for <Fn>FunctionArn', () => {
    // Arrange & Act & Assert
    expect(resolvePlaceholder('ChargeCardFunctionArn', known)).toEqual({
      kind: 'functionArn',
      fn: 'chargeCard',
    });
  });

  it('returns a function of the real catalogue when no function list is given', () => {
    // Arrange & Act & Assert
    expect(resolvePlaceholder('EventsAuditFunctionArn')).toEqual({ kind: 'functionArn', fn: 'eventsAudit' });
  });

  it.each([
    ['a function that is not in the catalogue', 'RefundFunctionArn'],
    ['a lower-case function name', 'healthFunctionArn'],
    ['a bare FunctionArn', 'FunctionArn'],
    ['another kind of placeholder', 'TableName'],
    ['a differently cased bus', 'EventbusName'],
  ])('throws naming the placeholder for %s', (_case, name) => {
    // Arrange & Act & Assert
    expect(() => resolvePlaceholder(name, known)).toThrow(`Unknown ASL placeholder \${${name}}`);
  });
});

describe('Function: substitute', () => {
  it('returns the text with every placeholder replaced by its value', () => {
    // Arrange
    const asl = JSON.stringify({
      R: ref('ChargeCardFunctionArn'),
      S: ref('ChargeCardFunctionArn'),
      B: ref('EventBusName'),
    });

    // Act
    const result = substitute(
      asl,
      (placeholder) =>
        placeholder.kind === 'eventBusName'
          ? 'tween-payments'
          : `arn:aws:lambda:us-east-1:000000000000:function:${placeholder.fn}`,
      known,
    );

    // Assert
    expect(JSON.parse(result)).toEqual({
      R: 'arn:aws:lambda:us-east-1:000000000000:function:chargeCard',
      S: 'arn:aws:lambda:us-east-1:000000000000:function:chargeCard',
      B: 'tween-payments',
    });
    expect(placeholdersOf(result)).toEqual([]);
  });

  it('passes the placeholder name next to its resolution', () => {
    // Arrange
    const seen: string[] = [];

    // Act
    substitute(
      `${ref('HealthFunctionArn')} ${ref('EventBusName')}`,
      (_placeholder, name) => {
        seen.push(name);
        return '';
      },
      known,
    );

    // Assert
    expect(seen).toEqual(['HealthFunctionArn', 'EventBusName']);
  });

  it('throws when the text holds an unknown placeholder', () => {
    // Arrange & Act & Assert
    expect(() => substitute(ref('NopeFunctionArn'), () => 'x', known)).toThrow(/NopeFunctionArn/);
  });

  it('returns a text without placeholders unchanged', () => {
    // Arrange
    const asl = '{"StartAt":"A"}';

    // Act & Assert
    expect(substitute(asl, () => 'never', known)).toBe(asl);
  });
});
