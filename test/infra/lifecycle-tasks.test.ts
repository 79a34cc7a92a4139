/**
 * Each lifecycle's ASL and its task schema (shared/infra/lifecycle-tasks.ts) agree: every `lambda:invoke`
 * task's `Payload` is one the schema accepts, and every action the schema accepts is one a task sends.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../cdk/lib/repo-root.js';
import { isDomainEventType } from '../../shared/domain/events.js';
import { lifecycleTasks, taskActions } from '../../shared/infra/lifecycle-tasks.js';
import {
  type StateMachineName,
  stateMachineNames,
  stateMachines,
} from '../../shared/infra/state-machines.js';

interface InvokeTask {
  state: string;
  payload: Record<string, unknown>;
}

type AslStates = Record<string, { Type?: string; Resource?: string; Parameters?: { Payload?: unknown } }>;

/** The states of an ASL document, nested ones (Parallel branches, Map processors) included. */
function statesOf(definition: unknown): AslStates {
  const { States: states = {} } = definition as { States?: AslStates };
  const nested = Object.values(states).flatMap((state) => {
    const {
      Branches = [],
      Iterator,
      ItemProcessor,
    } = state as {
      Branches?: unknown[];
      Iterator?: unknown;
      ItemProcessor?: unknown;
    };
    return [...Branches, Iterator, ItemProcessor].filter((inner) => inner !== undefined).map(statesOf);
  });
  return Object.assign({}, states, ...nested);
}

/** Every task state of `machine` that invokes a Lambda function, with the payload it sends. */
function invokeTasksOf(machine: StateMachineName): InvokeTask[] {
  const text = readFileSync(join(repoRoot, stateMachines[machine].file), 'utf8');
  return Object.entries(statesOf(JSON.parse(text)))
    .filter(([, state]) => state.Type === 'Task' && state.Resource?.includes(':::lambda:invoke') === true)
    .map(([name, state]) => ({
      state: name,
      payload: (state.Parameters?.Payload ?? {}) as Record<string, unknown>,
    }));
}

/** Fields read from the execution whose value has a shape of its own (an id's prefix, a count). */
const SAMPLES: Readonly<Record<string, unknown>> = {
  merchantId: 'mch_sample',
  submission: 1,
  payoutId: 'po_sample',
};
const sampleOf = (field: string): unknown => SAMPLES[field] ?? `sample-${field}`;

/**
 * The payload as the function receives it: a `"field.$": "<path>"` entry becomes `field` with a value read
 * from the execution (a non-empty string stands in for it).
 */
function asReceived(payload: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(payload).map(([key, value]) =>
      key.endsWith('.$') ? [key.slice(0, -2), sampleOf(key.slice(0, -2))] : [key, value],
    ),
  );
}

describe('Lifecycle task schemas against their ASL', () => {
  it('has a task schema for every state machine of the catalogue', () => {
    // Assert
    expect(Object.keys(lifecycleTasks).sort()).toEqual([...stateMachineNames].sort());
  });

  describe.each(stateMachineNames)('%s', (machine) => {
    const tasks = invokeTasksOf(machine);

    it('invokes its lifecycle function at least once, so the checks below are not vacuous', () => {
      // Assert
      expect(tasks.length).toBeGreaterThan(0);
    });

    it('sends from every task a payload its schema accepts', () => {
      // Act
      const rejected = tasks.flatMap(({ state, payload }) => {
        const parsed = lifecycleTasks[machine].safeParse(asReceived(payload));
        return parsed.success ? [] : [{ state, issues: parsed.error.issues.map((issue) => issue.message) }];
      });

      // Assert
      expect(rejected).toEqual([]);
    });

    it('puts on the bus only detail-types of the domain event contract', () => {
      // Arrange
      const text = readFileSync(join(repoRoot, stateMachines[machine].file), 'utf8');
      const detailTypes = [...text.matchAll(/"DetailType":\s*"([^"]+)"/g)].map((match) => match[1] ?? '');

      // Assert
      expect(detailTypes.filter((type) => !isDomainEventType(type))).toEqual([]);
    });

    it('accepts exactly the actions its tasks send', () => {
      // Act
      const sent = new Set(tasks.map(({ payload }) => payload.action));

      // Assert
      expect([...sent].sort()).toEqual(taskActions(machine).sort());
    });
  });
});
