/**
 * The P2P transfer lifecycle — statemachines/p2p-transfer.asl.json, the very file CDK deploys — run on the
 * local Step Functions runner, one named scenario per outcome, with the `p2pLifecycle` task function mocked
 * by a scripted stand-in (below). Executions are started and resumed through the Step Functions adapter over
 * @aws-sdk/client-sfn, as initiateTransfer and decideTransfer do; the callback token is the one the task
 * stored.
 *
 * State transitions per scenario (Counters.stateTransitions: states entered + retries):
 *
 * | Scenario  | States entered | Retries | Transitions |
 * | --------- | -------------- | ------- | ----------- |
 * | Accepted  | 1              | 0       | 1           |
 * | Rejected  | 1              | 0       | 1           |
 * | Cancelled | 1              | 0       | 1           |
 * | Expired   | 2              | 0       | 2           |
 *
 * The machine publishes nothing: p2p.initiated and the outcome's event are outbox items written with the
 * reservation and with the decision (or the expiry) in the same transaction (test/integration/p2p.test.ts).
 */
import { readFileSync } from 'node:fs';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { StepFunctionsWorkflows } from '../../shared/adapters/stepfunctions/workflows.js';
import type { P2pOutcome } from '../../shared/domain/p2p.js';
import { functions } from '../../shared/infra/functions.js';
import { P2pTask } from '../../shared/infra/lifecycle-tasks.js';
import { stateMachines } from '../../shared/infra/state-machines.js';
import { connectRunner, localRunner } from '../support/local-runner.js';

const asl = readFileSync(new URL(`../../${p2pMachineFile()}`, import.meta.url), 'utf8');

const _ROOM = '!room:tween.example';
const _SENDER = '@alice:tween.example';
const _RECIPIENT = '@bob:tween.example';
const _CREATED_AT = '2025-01-02T03:04:05.000Z';
const _DECIDED_AT = '2025-01-02T03:05:00.000Z';
const _EXPIRED_AT = '2025-01-02T03:06:00.000Z';
/** Long enough never to lapse during a test unless a scenario shortens it. */
const WINDOW_SECONDS = 300;
const TOKEN_POLL_MS = 10;

// Tasks are parsed with P2pTask, the schema functions/p2p/lifecycle.ts parses with (strict: a stray field fails the task).
type LifecycleTask = P2pTask;

/**
 * A scripted stand-in for the `p2pLifecycle` function: `await_decision` stores the token and answers
 * `{status: 'waiting'}`; `expire` answers as expireTransfer does for a transfer still pending.
 */
class ScriptedP2pLifecycle {
  readonly #calls = new Map<string, LifecycleTask[]>();
  calls(transferId: string): readonly LifecycleTask[] {
    return this.#calls.get(transferId) ?? [];
  }

  async tokenFor(transferId: string, timeoutMs = 5_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const wait = this.calls(transferId).find((task) => task.action === 'await_decision');
      if (wait !== undefined && 'taskToken' in wait) return wait.taskToken;
      if (Date.now() > deadline) throw new Error(`no await_decision token for ${transferId}`);
      await new Promise((resolve) => setTimeout(resolve, TOKEN_POLL_MS));
    }
  }

  readonly handler = async (event: unknown): Promise<unknown> => {
    const task = P2pTask.parse(event);
    const calls = this.#calls.get(task.transferId) ?? [];
    calls.push(task);
    this.#calls.set(task.transferId, calls);
    switch (task.action) {
      case 'await_decision':
        return { status: 'waiting' };
      case 'expire':
        return { status: 'expired' };
    }
  };
}

interface Run {
  execution: DescribeExecutionCommandOutput;
  statePath: (string | undefined)[];
  transitions: number;
}

describe('Lifecycle: P2P transfer (statemachines/p2p-transfer.asl.json)', () => {
  const { counters, lambda, bus, stepFunctions } = localRunner();
  const lifecycle = new ScriptedP2pLifecycle();
  let client: SFNClient;
  let workflows: StepFunctionsWorkflows;
  let close: () => Promise<void>;

  beforeAll(async () => {
    lambda.register('p2pLifecycle', {
      memoryMb: functions.p2pLifecycle.memoryMb,
      timeoutSeconds: functions.p2pLifecycle.timeoutSeconds,
      load: async () => lifecycle.handler,
    });
    ({ client, workflows, close } = await connectRunner(
      stepFunctions,
      stepFunctions.register('p2pTransfer', asl),
    ));
  });

  afterAll(() => close());

  /** Starts the lifecycle as initiateTransfer does: named by the transfer id. */
  async function start(
    transferId: string,
    windowSeconds = WINDOW_SECONDS,
  ): Promise<{ executionArn: string; transitionsBefore: number }> {
    const transitionsBefore = counters.snapshot().stateTransitions;
    await workflows.start(transferId, { transferId, windowSeconds });
    const execution = stepFunctions.findExecution(transferId);
    if (execution === undefined) throw new Error(`no execution named ${transferId}`);
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
    return {
      execution,
      statePath: stepFunctions.summary(local).statePath,
      transitions: counters.snapshot().stateTransitions - started.transitionsBefore,
    };
  }

  function eventsOf(transferId: string) {
    return bus
      .recentEvents()
      .filter((e) => (e.detail as { transferId?: unknown } | null)?.transferId === transferId)
      .map((e) => ({ source: e.source, detailType: e['detail-type'], detail: e.detail }));
  }

  /** A decision made in time: decideTransfer records `outcome` and resumes the waiting task. */
  async function decidedRun(transferId: string, outcome: Exclude<P2pOutcome, 'expired'>) {
    const started = await start(transferId);
    const token = await lifecycle.tokenFor(transferId);
    const resumed = await workflows.resume(token, { status: outcome });
    return { token, resumed, run: await finished(started) };
  }

  function expectDecided(
    transferId: string,
    _outcome: Exclude<P2pOutcome, 'expired'>,
    { token, resumed, run }: { token: string; resumed: boolean; run: Run },
  ): void {
    expect(resumed).toBe(true);
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(run.execution.name).toBe(transferId);
    expect(run.statePath).toEqual(['AwaitDecision']);
    expect(lifecycle.calls(transferId)).toEqual([{ action: 'await_decision', transferId, taskToken: token }]);
    // The decision settled the money and wrote its event itself; the machine only waited.
    expect(eventsOf(transferId)).toEqual([]);
    expect(run.transitions).toBe(1);
  }

  describe('Scenario: Accepted', () => {
    it('only waits for the accept, which settles and announces the transfer itself: 1 transition', async () => {
      // Arrange
      const transferId = 'p2p_accepted';

      // Act
      const result = await decidedRun(transferId, 'completed');

      // Assert
      expectDecided(transferId, 'completed', result);
    });
  });

  describe('Scenario: Rejected', () => {
    it('only waits for the reject: 1 transition', async () => {
      // Arrange
      const transferId = 'p2p_rejected';

      // Act
      const result = await decidedRun(transferId, 'rejected');

      // Assert
      expectDecided(transferId, 'rejected', result);
    });
  });

  describe('Scenario: Cancelled', () => {
    it('only waits for the cancel: 1 transition', async () => {
      // Arrange
      const transferId = 'p2p_cancelled';

      // Act
      const result = await decidedRun(transferId, 'cancelled');

      // Assert
      expectDecided(transferId, 'cancelled', result);
    });
  });

  describe('Scenario: Expired', () => {
    it('expires the transfer when nobody decides within windowSeconds: 2 transitions', async () => {
      // Arrange
      const transferId = 'p2p_expired';
      const started = await start(transferId, 1);
      const token = await lifecycle.tokenFor(transferId);

      // Act
      const run = await finished(started);

      // Assert
      expect(run.execution.status).toBe('SUCCEEDED');
      expect(run.statePath).toEqual(['AwaitDecision', 'Expire']);
      expect(lifecycle.calls(transferId)).toEqual([
        { action: 'await_decision', transferId, taskToken: token },
        { action: 'expire', transferId },
      ]);
      // The expiry wrote p2p.expired with its money (the outbox); the machine publishes nothing.
      expect(eventsOf(transferId)).toEqual([]);
      expect(run.transitions).toBe(2);
      // A decision that arrives too late finds the task gone (the adapter treats it as moved on).
      await expect(workflows.resume(token, { status: 'completed' })).resolves.toBe(false);
    });
  });
});

function p2pMachineFile(): string {
  const machine = stateMachines.p2pTransfer;
  if (machine === undefined) throw new Error('the state machine catalogue has no p2pTransfer machine');
  return machine.file;
}
