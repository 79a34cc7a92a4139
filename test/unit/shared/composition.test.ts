/**
 * The one wiring pattern (#14): a lazy factory per adapter in shared/composition, each reading its own
 * variable and failing, at the cold start of the function that calls it, with a message naming that variable;
 * functions name no variable themselves.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../../../cdk/lib/repo-root.js';
import { eventBus } from '../../../shared/composition/events.js';
import { ledger } from '../../../shared/composition/ledger.js';
import { mfaSecrets } from '../../../shared/composition/mfa-crypto.js';
import { webhookQueue } from '../../../shared/composition/webhooks.js';
import { workflows } from '../../../shared/composition/workflows.js';
import { EVENT_BUS_ENV } from '../../../shared/infra/events.js';
import { MFA_KEY_ENV } from '../../../shared/infra/keys.js';
import { queueDefinition } from '../../../shared/infra/queues.js';
import { stateMachineNames, stateMachines } from '../../../shared/infra/state-machines.js';
import { TABLE_ENV } from '../../../shared/infra/table.js';
import { onceAsync } from '../../../shared/lazy.js';

const savedEnv = { ...process.env };
beforeAll(() => {
  process.env.AWS_REGION = 'us-east-1';
});
afterEach(() => {
  process.env = { ...savedEnv, AWS_REGION: 'us-east-1' };
});
afterAll(() => {
  process.env = savedEnv;
});

/** Every source file under a folder of the repository. */
function sourcesUnder(folder: string): string[] {
  return readdirSync(join(repoRoot, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('Composition: factories', () => {
  const factories: [string, string, () => unknown][] = [
    ...stateMachineNames.map((name): [string, string, () => unknown] => [
      `workflows('${name}')`,
      stateMachines[name].arnEnv,
      () => workflows(name),
    ]),
    ['ledger', TABLE_ENV, ledger],
    ['webhookQueue', queueDefinition('webhooks').urlEnv, webhookQueue],
    ['eventBus', EVENT_BUS_ENV, eventBus],
    ['mfaSecrets', MFA_KEY_ENV, mfaSecrets],
  ];

  it.each(factories)('%s throws an error naming %s when it is not set', (_, variable, factory) => {
    // Arrange
    delete process.env[variable];

    // Act & Assert
    expect(factory).toThrow(new RegExp(`Invalid environment: ${variable}:`));
  });

  it.each(factories)('%s builds its adapter once, from %s, when it is set', (_, variable, factory) => {
    // Arrange
    process.env[variable] = 'arn:aws:test:us-east-1:123456789012:resource/test';

    // Act
    const first = factory();
    const second = factory();

    // Assert
    expect(first).toBeDefined();
    expect(second).toBe(first);
  });
});

describe('Function: onceAsync', () => {
  it('keeps a resolved value and creates it once', async () => {
    // Arrange
    let created = 0;
    const value = onceAsync(async () => ++created);

    // Act
    const results = await Promise.all([value(), value(), value()]);

    // Assert
    expect(results).toEqual([1, 1, 1]);
    expect(created).toBe(1);
  });

  it('forgets a rejection, so the next call tries again', async () => {
    // Arrange
    let calls = 0;
    const value = onceAsync(async () => {
      calls += 1;
      if (calls === 1) throw new Error('secret unreadable');
      return 'ready';
    });

    // Act & Assert
    await expect(value()).rejects.toThrow('secret unreadable');
    await expect(value()).resolves.toBe('ready');
    await expect(value()).resolves.toBe('ready');
    expect(calls).toBe(2);
  });
});

describe('Functions: wiring', () => {
  const functionSources = sourcesUnder('functions').map((file) => ({
    file: relative(repoRoot, file),
    source: readFileSync(file, 'utf8'),
  }));
  const arnEnvs = stateMachineNames.map((name) => stateMachines[name].arnEnv);

  it('finds the function sources', () => {
    expect(functionSources.length).toBeGreaterThan(20);
  });

  it('names no state machine ARN variable in any function: the composition reads it from the catalogue', () => {
    // Act
    const named = functionSources.flatMap(({ file, source }) =>
      arnEnvs.filter((env) => source.includes(env)).map((env) => `${file}: ${env}`),
    );

    // Assert
    expect(named).toEqual([]);
  });

  it('builds no adapter and reads no table name in any function: each assembles factories of the composition', () => {
    // Act
    const wiredInline = functionSources.flatMap(({ file, source }) =>
      [
        /\bnew (DynamoDb|StepFunctions|Sqs|EventBridge|Kms|Matrix)\w*\(/,
        /\breadTableName\(/,
        new RegExp(TABLE_ENV),
      ]
        .filter((pattern) => pattern.test(source))
        .map((pattern) => `${file}: ${pattern.source}`),
    );

    // Assert
    expect(wiredInline).toEqual([]);
  });

  it('has no context.ts grab-bag and no top-level await in any function', () => {
    // Act
    const offenders = functionSources
      .filter(({ file, source }) => file.endsWith('context.ts') || /^(const .*= )?await /m.test(source))
      .map(({ file }) => file);

    // Assert
    expect(offenders).toEqual([]);
  });
});
