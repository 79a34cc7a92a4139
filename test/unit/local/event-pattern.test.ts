import {
  assertValidPattern,
  InvalidEventPatternError,
  matchesPattern,
} from '../../../local/eventbridge/pattern.js';
import { EVENT_SOURCE, type EventPattern, rules } from '../../../shared/infra/events.js';

interface Case {
  scenario: string;
  pattern: EventPattern;
  expected: boolean;
}

const event = {
  version: '0',
  id: 'e-1',
  'detail-type': 'PaymentCaptured',
  source: 'tween.payments',
  resources: ['arn:tween:payment/pay_1', 'arn:tween:merchant/m_1'],
  detail: {
    paymentId: 'pay_1',
    status: 'captured',
    amount: 1250,
    attempts: 3,
    livemode: false,
    note: null,
    tags: ['vip', 'eu'],
    card: { brand: 'visa', last4: '4242' },
    items: [
      { sku: 'A', quantity: 1 },
      { sku: 'B', quantity: 5 },
    ],
  },
};

/** Shorthand for a pattern on the event's `detail`. */
const D = (fields: EventPattern): EventPattern => ({ detail: fields });

const table: [scenario: string, pattern: EventPattern, expected: boolean][] = [
  // Exact values
  ['an exact string equals the field', { source: ['tween.payments'] }, true],
  ['an exact string differs from the field', { source: ['aws.ec2'] }, false],
  ['one of several values equals the field', { source: ['x', 'tween.payments'] }, true],
  ['an exact number equals the field', D({ amount: [1250] }), true],
  ['a number is compared with a string', D({ paymentId: [1250] }), false],
  ['the string form of a number is given', D({ amount: ['1250'] }), false],
  ['an exact boolean equals the field', D({ livemode: [false] }), true],
  ['an exact boolean differs', D({ livemode: [true] }), false],
  ['null matches a null field', D({ note: [null] }), true],
  ['null is compared with an absent field', D({ missing: [null] }), false],
  ['an empty string is compared with null', D({ note: [''] }), false],
  ['an exact value names an absent field', D({ missing: ['x'] }), false],
  // Arrays in the event
  ['any element of an event array equals a value', { resources: ['arn:tween:merchant/m_1'] }, true],
  ['no element of an event array equals a value', D({ tags: ['us'] }), false],
  ['one array element matches a whole nested pattern', D({ items: { sku: ['B'], quantity: [5] } }), true],
  [
    'nested fields match only in different array elements',
    D({ items: { sku: ['A'], quantity: [5] } }),
    false,
  ],
  // prefix
  ['a prefix starts the field', { source: [{ prefix: 'tween.' }] }, true],
  ['a prefix does not start the field', { source: [{ prefix: 'aws.' }] }, false],
  ['a prefix is compared with a number', D({ amount: [{ prefix: '12' }] }), false],
  ['a prefix starts an event array element', { resources: [{ prefix: 'arn:tween:payment/' }] }, true],
  // anything-but
  ['anything-but a string excludes another value', D({ status: [{ 'anything-but': 'failed' }] }), true],
  ['anything-but a string excludes the field value', D({ status: [{ 'anything-but': 'captured' }] }), false],
  ['anything-but a number excludes another number', D({ amount: [{ 'anything-but': 0 }] }), true],
  ['anything-but a number excludes the field number', D({ amount: [{ 'anything-but': 1250 }] }), false],
  [
    'anything-but a list omits the field value',
    D({ status: [{ 'anything-but': ['failed', 'refunded'] }] }),
    true,
  ],
  [
    'anything-but a list holds the field value',
    D({ status: [{ 'anything-but': ['failed', 'captured'] }] }),
    false,
  ],
  [
    'anything-but a prefix does not start the field',
    { source: [{ 'anything-but': { prefix: 'aws.' } }] },
    true,
  ],
  ['anything-but a prefix starts the field', { source: [{ 'anything-but': { prefix: 'tween.' } }] }, false],
  ['anything-but names an absent field', D({ missing: [{ 'anything-but': 'x' }] }), false],
  ['anything-but excludes only some array elements', D({ tags: [{ 'anything-but': 'vip' }] }), true],
  // exists
  ['exists true names a present field', D({ status: [{ exists: true }] }), true],
  ['exists true names an absent field', D({ missing: [{ exists: true }] }), false],
  ['exists true names a null field', D({ note: [{ exists: true }] }), true],
  ['exists false names an absent field', D({ missing: [{ exists: false }] }), true],
  ['exists false names a present field', D({ status: [{ exists: false }] }), false],
  ['exists false names a field under an absent parent', { absent: { child: [{ exists: false }] } }, true],
  ['exists false names an object, which is not a leaf', D({ card: [{ exists: false }] }), true],
  ['exists true names an object, which is not a leaf', D({ card: [{ exists: true }] }), false],
  // numeric
  ['a number lies inside an open-closed range', D({ attempts: [{ numeric: ['>', 0, '<=', 5] }] }), true],
  ['a number lies outside the range', D({ attempts: [{ numeric: ['>', 3, '<=', 5] }] }), false],
  ['a number equals a numeric "="', D({ attempts: [{ numeric: ['=', 3] }] }), true],
  ['a number differs from a numeric "="', D({ attempts: [{ numeric: ['=', 4] }] }), false],
  ['a number meets a one-sided bound', D({ amount: [{ numeric: ['>=', 1250] }] }), true],
  ['numeric is compared with a string', D({ status: [{ numeric: ['>', 0] }] }), false],
  ['numeric names an absent field', D({ missing: [{ numeric: ['>', 0] }] }), false],
  // Nesting and AND / OR
  [
    'every nested field matches',
    { source: ['tween.payments'], detail: { card: { brand: ['visa'] }, status: ['captured'] } },
    true,
  ],
  [
    'one nested field does not match',
    { source: ['tween.payments'], detail: { card: { brand: ['amex'] }, status: ['captured'] } },
    false,
  ],
  ['a nested pattern meets a scalar', { source: { inner: ['tween.payments'] } }, false],
  ['one of several operators in a field matches', D({ amount: [{ numeric: ['<', 0] }, 1250] }), true],
];

const cases: Case[] = table.map(([scenario, pattern, expected]) => ({ scenario, pattern, expected }));

describe('Function: matchesPattern', () => {
  it.each(cases)('returns $expected when $scenario', ({ pattern, expected }) => {
    // Arrange
    const input = structuredClone(event);
    const snapshot = JSON.stringify(input);

    // Act
    const matched = matchesPattern(pattern, input);

    // Assert
    expect(matched).toBe(expected);
    expect(JSON.stringify(input)).toBe(snapshot);
  });

  it.each(rules.map((rule) => [rule.name, rule] as const))(
    'returns true when rule %s meets an event from the service source',
    (_name, rule) => {
      // Arrange: a domain event that belongs to a room (the room publisher's rule) and to a merchant (the
      // webhook producer's rule), of the first detail-type a rule names (the notification rule takes only its events)
      const named = (rule.pattern as EventPattern)['detail-type'];
      const domainEvent = {
        ...event,
        'detail-type': Array.isArray(named) && typeof named[0] === 'string' ? named[0] : event['detail-type'],
        source: EVENT_SOURCE,
        detail: { ...event.detail, roomId: '!chat:tween.example', merchantId: 'mch_demo' },
      };

      // Act
      const matched = matchesPattern(rule.pattern, domainEvent);

      // Assert
      expect(matched).toBe(true);
    },
  );

  it('returns false when the audit rule meets an event from another source', () => {
    // Arrange
    const audit = rules.find((rule) => rule.name === 'audit-all-domain-events');

    // Act
    const matched =
      audit === undefined ? undefined : matchesPattern(audit.pattern, { ...event, source: 'aws.ec2' });

    // Assert
    expect(matched).toBe(false);
  });

  it('returns false when the room publisher rule meets a domain event without a roomId', () => {
    // Arrange
    const publisher = rules.find((rule) => rule.target === 'matrixPublisher');

    // Act
    const matched =
      publisher === undefined
        ? undefined
        : matchesPattern(publisher.pattern, { ...event, source: EVENT_SOURCE });

    // Assert
    expect(matched).toBe(false);
  });

  it.each([
    ['an unsupported operator', { source: [{ suffix: '.payments' }] }],
    ['an unsupported anything-but operator', { source: [{ 'anything-but': { suffix: 'x' } }] }],
    ['an operator object with two keys', { source: [{ prefix: 'a', exists: true }] }],
    ['an empty value list', { source: [] }],
    ['an empty nested object', { detail: {} }],
    ['a numeric operator it does not know', { detail: { amount: [{ numeric: ['!=', 1] }] } }],
    ['a numeric range with two lower bounds', { detail: { amount: [{ numeric: ['>', 1, '>=', 2] }] } }],
    ['a numeric range whose bounds cross', { detail: { amount: [{ numeric: ['>', 5, '<', 1] }] } }],
    ['a mixed anything-but list', { detail: { status: [{ 'anything-but': ['a', 1] }] } }],
    ['"$or"', { $or: [{ source: ['a'] }, { source: ['b'] }] }],
  ])('throws InvalidEventPatternError when the pattern uses %s', (_name, pattern) => {
    // Arrange
    const invalid = pattern as unknown as EventPattern;

    // Act
    const evaluate = () => matchesPattern(invalid, event);

    // Assert
    expect(evaluate).toThrow(InvalidEventPatternError);
  });
});

describe('Function: assertValidPattern', () => {
  it('accepts every rule the service defines', () => {
    // Arrange
    const patterns = rules.map((rule) => rule.pattern);

    // Act
    const validate = () => {
      for (const pattern of patterns) assertValidPattern(pattern);
    };

    // Assert
    expect(validate).not.toThrow();
  });
});
