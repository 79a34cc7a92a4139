import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { repoRoot } from '../../cdk/lib/repo-root.js';
import { type Placeholder, placeholdersOf, substitute } from '../../shared/infra/asl-placeholders.js';
import { stateMachines } from '../../shared/infra/state-machines.js';

/** Values in the shape AWS substitutes, so the ARN checks of asl-validator see real-looking ARNs. */
const dummyValue = (placeholder: Placeholder): string =>
  placeholder.kind === 'functionArn'
    ? `arn:aws:lambda:eu-west-1:123456789012:function:tween-payments-${placeholder.fn}`
    : 'tween-payments-bus';

/** Every `*.asl.json` below a directory of the repository, as paths from the repository root. */
function aslFilesUnder(directory: string): string[] {
  const absolute = join(repoRoot, directory);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.asl.json'))
    .map((file) => join(directory, file))
    .sort();
}

/**
 * The problems of one ASL file after substitution; none means valid. `knownFunctions` decides which
 * `${<Fn>FunctionArn}` placeholders resolve: the function catalogue for deployed files, anything for fixtures.
 */
function problemsOf(file: string, knownFunctions?: readonly string[]): string[] {
  try {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    JSON.parse(text);
    const definition: unknown = JSON.parse(substitute(text, dummyValue, knownFunctions));
    const result = aslValidator(definition);
    return result.isValid ? [] : [`${file}: ${result.errorsText('; ')}`];
  } catch (error) {
    return [`${file}: ${error instanceof Error ? error.message : String(error)}`];
  }
}

/** Test fixtures may call functions only tests define: every `${XFunctionArn}` placeholder names a function. */
function functionsNamedIn(file: string): string[] {
  return placeholdersOf(readFileSync(join(repoRoot, file), 'utf8')).flatMap((name) => {
    const match = /^([A-Z][A-Za-z0-9]*)FunctionArn$/.exec(name);
    return match?.[1] ? [match[1].charAt(0).toLowerCase() + match[1].slice(1)] : [];
  });
}

const deployedFiles = [
  ...new Set([...aslFilesUnder('statemachines'), ...Object.values(stateMachines).map((m) => m.file)]),
];
const fixtureFiles = aslFilesUnder('test');

describe('ASL: state machine definitions', () => {
  it('finds the infra fixture among the test ASL files, so the validation below is not vacuous', () => {
    // Assert
    expect(fixtureFiles).toContain(join('test', 'infra', 'fixtures', 'health-check.asl.json'));
  });

  it('keeps every catalogue ASL file under statemachines/, on disk', () => {
    for (const definition of Object.values(stateMachines)) {
      // Assert
      expect(definition.file).toMatch(/^statemachines\/[a-z0-9-]+\.asl\.json$/);
      expect(existsSync(join(repoRoot, definition.file))).toBe(true);
    }
  });

  it('validates every file under statemachines/ with only catalogue functions and the bus as placeholders', () => {
    // Act
    const problems = deployedFiles.flatMap((file) => problemsOf(file));

    // Assert
    expect(problems).toEqual([]);
  });

  it('validates every ASL fixture under test/ after placeholder substitution', () => {
    // Act
    const problems = fixtureFiles.flatMap((file) => problemsOf(file, functionsNamedIn(file)));

    // Assert
    expect(problems).toEqual([]);
  });

  it('rejects a definition whose transition leads nowhere', () => {
    // Arrange
    const broken = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Missing' } } };

    // Act
    const result = aslValidator(broken);

    // Assert
    expect(result.isValid).toBe(false);
  });
});
