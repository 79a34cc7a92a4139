/**
 * Which functions carry the tracer (shared/infra/functions.ts, `traced`): exactly those whose entry imports
 * shared/observability/tracing.ts, as its first import so every AWS SDK client the function creates is
 * captured. The others never import the tracer, so their bundles hold no aws-xray-sdk-core.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { functionDefinition, functionNames } from '../../../shared/infra/functions.js';
import { traced } from '../../../shared/observability/trace-hooks.js';

const ROOT = join(import.meta.dirname, '../../..');
const TRACING_IMPORT = "import '../../shared/observability/tracing.js';";

function firstImport(source: string): string | undefined {
  return source.split('\n').find((line) => line.startsWith('import '));
}

describe('Tracer placement', () => {
  it.each([...functionNames])('%s imports the tracer first if and only if it is traced', (name) => {
    // Arrange
    const definition = functionDefinition(name);
    const source = readFileSync(join(ROOT, definition.entry), 'utf8');

    // Assert
    if (definition.traced === true) expect(firstImport(source)).toBe(TRACING_IMPORT);
    else expect(source).not.toContain('observability/tracing.js');
  });

  it('traces the functions no caller waits on, not the request path (MFA included: a user waits on it)', () => {
    const tracedNames = functionNames.filter((name) => functionDefinition(name).traced === true);
    expect(tracedNames).toEqual(expect.arrayContaining(['paymentLifecycle', 'outboxRelay']));
    for (const name of ['health', 'walletBalance', 'mfaChallenges', 'mfaEnrolment'] as const)
      expect(tracedNames).not.toContain(name);
  });
});

describe('Function: traced', () => {
  it('returns the client itself when nothing installed a tracer', () => {
    const client = { send: () => undefined };
    expect(traced(client)).toBe(client);
  });
});
