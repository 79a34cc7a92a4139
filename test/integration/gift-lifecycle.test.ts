/**
 * The group gift lifecycle — statemachines/group-gift.asl.json, the very file CDK deploys — run on the local
 * Step Functions runner, one named scenario per path, with the `giftLifecycle` task function mocked by a
 * scripted stand-in (below). Executions are started through the Step Functions adapter over
 * @aws-sdk/client-sfn, as createGift does: named by the gift id, with `{giftId, expiresAt}`.
 * Windows are data: each scenario picks its own `expiresAt`, so no clock is faked.
 *
 * State transitions per scenario (Counters.stateTransitions: states entered + retries):
 *
 * | Scenario                          | States entered | Retries | Transitions |
 * | --------------------------------- | -------------- | ------- | ----------- |
 * | Expired                           | 2              | 0       | 2           |
 * | ExpiresAtInThePast                | 2              | 0       | 2           |
 * | ExpireFailsTransientlyTwice       | 2              | 2       | 4           |
 *
 * The machine publishes nothing: gift.created and gift.expired are outbox items written with the gift's
 * creation and its expiry (test/integration/gifts.test.ts sees them reach the room).
 */
import { readFileSync } from 'node:fs';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { StepFunctionsWorkflows } from '../../shared/adapters/stepfunctions/workflows.js';
import { functions } from '../../shared/infra/functions.js';
import { GiftTask } from '../../shared/infra/lifecycle-tasks.js';
import { stateMachines } from '../../shared/infra/state-machines.js';
import { connectRunner, localRunner } from '../support/local-runner.js';

const asl = readFileSync(new URL(`../../${giftMachineFile()}`, import.meta.url), 'utf8');

/** How far ahead the Expired scenario sets expiresAt: long enough to see the wait, short for a test. */
const LIFETIME_MS = 2_000;
/**
 * The runner's Wait is a setTimeout, which counts from libuv's cached loop time: it may fire a few ms
 * before the wall-clock instant. This much early is still "at expiresAt".
 */
const TIMER_SLACK_MS = 50;

// Tasks are parsed with GiftTask, the schema functions/gifts/lifecycle.ts parses with (strict: a stray field fails the task).
type LifecycleTask = GiftTask;

interface RecordedTask {
  task: LifecycleTask;
  /** When the stand-in was invoked (epoch ms). */
  at: number;
}

/**
 * A scripted stand-in for the `giftLifecycle` function: `expire` answers `{}` (the machine reads nothing of
 * it); `failTransiently(giftId, n)` makes its next n invocations for that gift throw first, as
 * a throttled or timed-out Lambda would.
 */
class ScriptedGiftLifecycle {
  readonly #calls = new Map<string, RecordedTask[]>();
  readonly #failures = new Map<string, number>();
  readonly #expiresAt = new Map<string, string>();

  expectGift(giftId: string, expiresAt: string): void {
    this.#expiresAt.set(giftId, expiresAt);
  }

  failTransiently(giftId: string, times: number): void {
    this.#failures.set(giftId, times);
  }

  calls(giftId: string): readonly RecordedTask[] {
    return this.#calls.get(giftId) ?? [];
  }

  readonly handler = async (event: unknown): Promise<unknown> => {
    const task = GiftTask.parse(event);
    const calls = this.#calls.get(task.giftId) ?? [];
    calls.push({ task, at: Date.now() });
    this.#calls.set(task.giftId, calls);
    const failures = this.#failures.get(task.giftId) ?? 0;
    if (failures > 0) {
      this.#failures.set(task.giftId, failures - 1);
      throw new Error('Rate exceeded (a transient failure)');
    }
    if (!this.#expiresAt.has(task.giftId))
      throw new Error(`Gift ${task.giftId} is not known to the stand-in`);
    return {};
  };
}

interface Run {
  execution: DescribeExecutionCommandOutput;
  statePath: (string | undefined)[];
  transitions: number;
  /** When the execution entered and left WaitUntilExpiry (epoch ms), from its history. */
  wait: { entered: number; exited: number };
}

describe('Lifecycle: group gift (statemachines/group-gift.asl.json)', () => {
  const { counters, lambda, bus, stepFunctions } = localRunner();
  const lifecycle = new ScriptedGiftLifecycle();
  let client: SFNClient;
  let workflows: StepFunctionsWorkflows;
  let close: () => Promise<void>;

  beforeAll(async () => {
    lambda.register('giftLifecycle', {
      memoryMb: functions.giftLifecycle.memoryMb,
      timeoutSeconds: functions.giftLifecycle.timeoutSeconds,
      load: async () => lifecycle.handler,
    });
    ({ client, workflows, close } = await connectRunner(
      stepFunctions,
      stepFunctions.register('groupGift', asl),
    ));
  });

  afterAll(() => close());

  /** The input createGift starts the lifecycle with. */
  function inputOf(giftId: string, expiresAt: string) {
    return { giftId, expiresAt };
  }

  /** Starts the lifecycle as createGift does: named by the gift id. */
  async function start(
    giftId: string,
    expiresAt: string,
  ): Promise<{ executionArn: string; transitionsBefore: number }> {
    lifecycle.expectGift(giftId, expiresAt);
    const transitionsBefore = counters.snapshot().stateTransitions;
    await workflows.start(giftId, inputOf(giftId, expiresAt));
    const execution = stepFunctions.findExecution(giftId);
    if (execution === undefined) throw new Error(`no execution named ${giftId}`);
    return { executionArn: execution.arn, transitionsBefore };
  }

  async function finished(
    started: { executionArn: string; transitionsBefore: number },
    timeoutMs = 10_000,
  ): Promise<Run> {
    const deadline = Date.now() + timeoutMs;
    const local = await stepFunctions.waitForCompletion(started.executionArn, timeoutMs);
    while (!local.history.at(-1)?.type.startsWith('Execution')) {
      if (Date.now() > deadline) throw new Error(`${started.executionArn}: event log still open`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const execution = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    const waitEvent = (type: string) =>
      local.history.find((e) => e.type === type && e.stateName === 'WaitUntilExpiry')?.timestamp.getTime();
    return {
      execution,
      statePath: stepFunctions.summary(local).statePath,
      transitions: counters.snapshot().stateTransitions - started.transitionsBefore,
      wait: {
        entered: waitEvent('WaitStateEntered') ?? Number.NaN,
        exited: waitEvent('WaitStateExited') ?? Number.NaN,
      },
    };
  }

  function eventsOf(giftId: string) {
    return bus
      .recentEvents()
      .filter((e) => (e.detail as { giftId?: unknown } | null)?.giftId === giftId)
      .map((e) => ({ source: e.source, detailType: e['detail-type'], detail: e.detail }));
  }

  /** What every scenario ends with: the 2 states, and no event from the machine (the outbox writes them). */
  function expectExpired(giftId: string, run: Run): void {
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(run.execution.name).toBe(giftId);
    expect(run.statePath).toEqual(['WaitUntilExpiry', 'Expire']);
    expect(eventsOf(giftId)).toEqual([]);
  }

  describe('Scenario: Expired', () => {
    it('waits until expiresAt and expires it, in 2 transitions', async () => {
      // Arrange
      const giftId = 'gift_expired';
      const expiresAtMs = Date.now() + LIFETIME_MS;
      const expiresAt = new Date(expiresAtMs).toISOString();
      const started = await start(giftId, expiresAt);

      // Act
      const run = await finished(started);

      // Assert
      expectExpired(giftId, run);
      expect(lifecycle.calls(giftId).map((call) => call.task)).toEqual([{ action: 'expire', giftId }]);
      // The wait lasted until expiresAt, and Expire ran only after it.
      expect(run.wait.exited).toBeGreaterThanOrEqual(expiresAtMs - TIMER_SLACK_MS);
      expect(lifecycle.calls(giftId)[0]?.at).toBeGreaterThanOrEqual(expiresAtMs - TIMER_SLACK_MS);
      expect(run.transitions).toBe(2);
    });

    it('joins the running execution when createGift starts it again with the same input (a retry)', async () => {
      // Arrange
      const giftId = 'gift_started_twice';
      const expiresAt = new Date(Date.now() + LIFETIME_MS).toISOString();
      const started = await start(giftId, expiresAt);

      // Act
      await workflows.start(giftId, inputOf(giftId, expiresAt));
      const run = await finished(started);

      // Assert
      expect(stepFunctions.executions().filter((execution) => execution.name === giftId)).toHaveLength(1);
      expectExpired(giftId, run);
      expect(lifecycle.calls(giftId)).toHaveLength(1);
      expect(run.transitions).toBe(2);
      // Once it has finished, another start is refused by Step Functions and ignored by the adapter.
      await expect(workflows.start(giftId, inputOf(giftId, expiresAt))).resolves.toBeUndefined();
      expect(stepFunctions.executions().filter((execution) => execution.name === giftId)).toHaveLength(1);
    });
  });

  describe('Scenario: ExpiresAtInThePast', () => {
    it('runs straight through the wait when expiresAt has already passed, in 2 transitions', async () => {
      // Arrange
      const giftId = 'gift_past';
      const expiresAt = new Date(Date.now() - 60_000).toISOString();
      const started = await start(giftId, expiresAt);

      // Act
      const run = await finished(started);

      // Assert
      expectExpired(giftId, run);
      expect(lifecycle.calls(giftId).map((call) => call.task)).toEqual([{ action: 'expire', giftId }]);
      expect(run.wait.exited - run.wait.entered).toBeLessThan(500);
      expect(run.transitions).toBe(2);
    });
  });

  describe('Scenario: ExpireFailsTransientlyTwice', () => {
    it('retries Expire after two transient failures, in 4 transitions', async () => {
      // Arrange
      const giftId = 'gift_retried';
      const expiresAt = new Date(Date.now() - 1_000).toISOString();
      lifecycle.failTransiently(giftId, 2);
      const started = await start(giftId, expiresAt);

      // Act: the retries back off 2 s, then 4 s
      const run = await finished(started, 20_000);

      // Assert
      expectExpired(giftId, run);
      const calls = lifecycle.calls(giftId);
      expect(calls.map((call) => call.task)).toEqual([
        { action: 'expire', giftId },
        { action: 'expire', giftId },
        { action: 'expire', giftId },
      ]);
      const [first, second, third] = calls.map((call) => call.at);
      expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(2_000 - TIMER_SLACK_MS);
      expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(4_000 - TIMER_SLACK_MS);
      expect(run.transitions).toBe(4);
    });
  });
});

function giftMachineFile(): string {
  const machine = stateMachines.groupGift;
  if (machine === undefined) throw new Error('the state machine catalogue has no groupGift machine');
  return machine.file;
}
