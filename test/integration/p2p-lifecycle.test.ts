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
 * | Accepted  | 4              | 0       | 4           |
 * | Rejected  | 4              | 0       | 4           |
 * | Cancelled | 4              | 0       | 4           |
 * | Expired   | 4              | 0       | 4           |
 */
import { readFileSync } from 'node:fs';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { StepFunctionsWorkflows } from '../../shared/adapters/stepfunctions/workflows.js';
import { domainEventId } from '../../shared/domain/events.js';
import type { P2pOutcome } from '../../shared/domain/p2p.js';
import { functions } from '../../shared/infra/functions.js';
import { P2pTask } from '../../shared/infra/lifecycle-tasks.js';
import { stateMachines } from '../../shared/infra/state-machines.js';
import { connectRunner, localRunner } from '../support/local-runner.js';

const asl = readFileSync(new URL(`../../${p2pMachineFile()}`, import.meta.url), 'utf8');

const ROOM = '!room:tween.example';
const SENDER = '@alice:tween.example';
const RECIPIENT = '@bob:tween.example';
const CREATED_AT = '2025-01-02T03:04:05.000Z';
const DECIDED_AT = '2025-01-02T03:05:00.000Z';
const EXPIRED_AT = '2025-01-02T03:06:00.000Z';
/** Long enough never to lapse during a test unless a scenario shortens it. */
const WINDOW_SECONDS = 300;
const TOKEN_POLL_MS = 10;

// Tasks are parsed with P2pTask, the schema functions/p2p/lifecycle.ts parses with (strict: a stray field fails the task).
type LifecycleTask = P2pTask;

/** The detail settleTransfer answers for a transfer that ended in `status`. */
function statusDetail(transferId: string, status: P2pOutcome) {
  const detailType = `p2p.${status}` as const;
  return {
    eventId: domainEventId(detailType, transferId),
    occurredAt: status === 'expired' ? EXPIRED_AT : DECIDED_AT,
    roomId: ROOM,
    transferId,
    status,
  };
}

/** The detail initiateTransfer puts in the lifecycle's input as `initiated`. */
function initiatedDetail(transferId: string) {
  return {
    eventId: domainEventId('p2p.initiated', transferId),
    occurredAt: CREATED_AT,
    roomId: ROOM,
    transferId,
    amount: 1_500,
    currency: 'USD',
    sender: SENDER,
    recipient: RECIPIENT,
    note: 'Lunch',
    expiresAt: '2025-01-02T03:09:05.000Z',
  };
}

/**
 * A scripted stand-in for the `p2pLifecycle` function: `await_decision` stores the token and answers
 * `{status: 'waiting'}`; `settle` answers with the outcome the test recorded (as decideTransfer would have);
 * `expire` answers p2p.expired, as settleTransfer does for a transfer still pending.
 */
class ScriptedP2pLifecycle {
  readonly #calls = new Map<string, LifecycleTask[]>();
  readonly #outcomes = new Map<string, P2pOutcome>();

  decide(transferId: string, outcome: P2pOutcome): void {
    this.#outcomes.set(transferId, outcome);
  }

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
      case 'settle': {
        const outcome = this.#outcomes.get(task.transferId);
        if (outcome === undefined)
          throw new Error(`Transfer ${task.transferId} has no outcome to settle yet`);
        return { detailType: `p2p.${outcome}`, event: statusDetail(task.transferId, outcome) };
      }
      case 'expire':
        return { detailType: 'p2p.expired', event: statusDetail(task.transferId, 'expired') };
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
    await workflows.start(transferId, { transferId, windowSeconds, initiated: initiatedDetail(transferId) });
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
    lifecycle.decide(transferId, outcome);
    const resumed = await workflows.resume(token, { status: outcome });
    return { token, resumed, run: await finished(started) };
  }

  function expectDecided(
    transferId: string,
    outcome: Exclude<P2pOutcome, 'expired'>,
    { token, resumed, run }: { token: string; resumed: boolean; run: Run },
  ): void {
    expect(resumed).toBe(true);
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(run.execution.name).toBe(transferId);
    expect(run.statePath).toEqual(['PublishInitiated', 'AwaitDecision', 'Settle', 'PublishStatus']);
    expect(lifecycle.calls(transferId)).toEqual([
      { action: 'await_decision', transferId, taskToken: token },
      { action: 'settle', transferId },
    ]);
    expect(eventsOf(transferId)).toEqual([
      { source: 'tween.payments', detailType: 'p2p.initiated', detail: initiatedDetail(transferId) },
      { source: 'tween.payments', detailType: `p2p.${outcome}`, detail: statusDetail(transferId, outcome) },
    ]);
    expect(run.transitions).toBe(4);
  }

  describe('Scenario: Accepted', () => {
    it('announces the transfer, settles it on accept and publishes p2p.completed in 4 transitions', async () => {
      // Arrange
      const transferId = 'p2p_accepted';

      // Act
      const result = await decidedRun(transferId, 'completed');

      // Assert
      expectDecided(transferId, 'completed', result);
    });
  });

  describe('Scenario: Rejected', () => {
    it('settles the rejected transfer and publishes p2p.rejected in 4 transitions', async () => {
      // Arrange
      const transferId = 'p2p_rejected';

      // Act
      const result = await decidedRun(transferId, 'rejected');

      // Assert
      expectDecided(transferId, 'rejected', result);
    });
  });

  describe('Scenario: Cancelled', () => {
    it('settles the cancelled transfer and publishes p2p.cancelled in 4 transitions', async () => {
      // Arrange
      const transferId = 'p2p_cancelled';

      // Act
      const result = await decidedRun(transferId, 'cancelled');

      // Assert
      expectDecided(transferId, 'cancelled', result);
    });
  });

  describe('Scenario: Expired', () => {
    it('expires the transfer when nobody decides within windowSeconds and publishes p2p.expired', async () => {
      // Arrange
      const transferId = 'p2p_expired';
      const started = await start(transferId, 1);
      const token = await lifecycle.tokenFor(transferId);

      // Act
      const run = await finished(started);

      // Assert
      expect(run.execution.status).toBe('SUCCEEDED');
      expect(run.statePath).toEqual(['PublishInitiated', 'AwaitDecision', 'Expire', 'PublishStatus']);
      expect(lifecycle.calls(transferId)).toEqual([
        { action: 'await_decision', transferId, taskToken: token },
        { action: 'expire', transferId },
      ]);
      expect(eventsOf(transferId)).toEqual([
        { source: 'tween.payments', detailType: 'p2p.initiated', detail: initiatedDetail(transferId) },
        { source: 'tween.payments', detailType: 'p2p.expired', detail: statusDetail(transferId, 'expired') },
      ]);
      expect(run.transitions).toBe(4);
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
