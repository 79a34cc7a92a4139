/**
 * The payment lifecycle — statemachines/payment.asl.json, the very file CDK deploys — run on the local Step
 * Functions runner, one named scenario per path, with the `paymentLifecycle` task function mocked by a
 * per-payment script (./payment-lifecycle/scripted-lifecycle.ts). Executions are started, resumed and
 * failed through the Step Functions adapter over @aws-sdk/client-sfn, exactly as the request, MFA verify,
 * authorize and webhook handlers do; the callback token is the one the task stored.
 *
 * State transitions per scenario (Counters.stateTransitions: states entered + retries, what Standard
 * workflows bill). Each test asserts its count exactly, so an ASL change that adds transitions fails here:
 *
 * | Scenario                            | States entered | Retries | Transitions |
 * | ----------------------------------- | -------------- | ------- | ----------- |
 * | HappyPathNoMfa                      | 4              | 0       | 4           |
 * | MfaPinSuccess                       | 5              | 0       | 5           |
 * | MfaMaxRetries                       | 5              | 0       | 5           |
 * | MfaTimeout                          | 5              | 0       | 5           |
 * | ProcessorRetryThenSuccess           | 4              | 2       | 6           |
 * | ProcessorDownForGood                | 5              | 3       | 8           |
 * | CardDeclined                        | 4              | 0       | 4           |
 * | CardRequiresAction (confirmed)      | 7              | 0       | 7           |
 * | CardRequiresAction (declined)       | 7              | 0       | 7           |
 * | ProviderTimeout                     | 7              | 0       | 7           |
 *
 * The processor retries run in real time (IntervalSeconds 2, BackoffRate 2, FULL jitter: each wait is
 * random in [0, 2 s · 2^n]), so those two scenarios take up to 6 s and 14 s; their waits are asserted
 * to stay within the bound.
 */
import { readFileSync } from 'node:fs';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  SendTaskSuccessCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { HistoryEvent } from '../../local/sfn/runner.js';
import type { StepFunctionsWorkflows } from '../../shared/adapters/stepfunctions/workflows.js';
import { MFA_FAILED_ERROR, PAYMENT_DECLINED_ERROR } from '../../shared/app/payments/lifecycle.js';
import { functions } from '../../shared/infra/functions.js';
import { stateMachines } from '../../shared/infra/state-machines.js';
import { connectRunner, localRunner } from '../support/local-runner.js';
import {
  DECLINE_CODE,
  type ProcessAnswer,
  ScriptedLifecycle,
} from './payment-lifecycle/scripted-lifecycle.js';

const asl = readFileSync(new URL(`../../${paymentMachineFile()}`, import.meta.url), 'utf8');

// What the API handlers send: verify-challenge.ts (MFA_FAILED_REASON) and commands.ts (3-D Secure failed).
const MFA_FAILED_REASON = 'mfa_failed';
const AUTHENTICATION_FAILED = 'authentication_failed';
// The policy's windows, long enough never to lapse during a test unless a scenario shortens one.
const MFA_TIMEOUT_SECONDS = 300;
const PROVIDER_TIMEOUT_SECONDS = 900;
// ProcessorError retrier: IntervalSeconds 2, BackoffRate 2, MaxAttempts 3, FULL jitter.
const RETRY_BOUNDS_MS = [2_000, 4_000, 8_000];
const TIMER_SLACK_MS = 250;
const LONG_SCENARIO_MS = 30_000;

type LifecycleInput = {
  paymentId: string;
  mfaRequired: boolean;
  mfaTimeoutSeconds: number;
  providerTimeoutSeconds: number;
};

interface Run {
  execution: DescribeExecutionCommandOutput;
  statePath: (string | undefined)[];
  history: readonly HistoryEvent[];
  transitions: number;
}

describe('Lifecycle: payment (statemachines/payment.asl.json)', () => {
  const { counters, lambda, bus, stepFunctions } = localRunner();
  const lifecycle = new ScriptedLifecycle();
  let client: SFNClient;
  let workflows: StepFunctionsWorkflows;
  let close: () => Promise<void>;

  beforeAll(async () => {
    lambda.register('paymentLifecycle', {
      memoryMb: functions.paymentLifecycle.memoryMb,
      timeoutSeconds: functions.paymentLifecycle.timeoutSeconds,
      load: async () => lifecycle.handler,
    });
    ({ client, workflows, close } = await connectRunner(
      stepFunctions,
      stepFunctions.register('payment', asl),
    ));
  });

  afterAll(() => close());

  /** Starts the lifecycle as requestPayment does: named by the payment id, with the policy's windows. */
  async function start(
    paymentId: string,
    answers: readonly [ProcessAnswer, ...ProcessAnswer[]],
    input: Partial<Omit<LifecycleInput, 'paymentId'>> = {},
  ): Promise<{ executionArn: string; transitionsBefore: number }> {
    lifecycle.script(paymentId, answers);
    const transitionsBefore = counters.snapshot().stateTransitions;
    const lifecycleInput: LifecycleInput = {
      paymentId,
      mfaRequired: false,
      mfaTimeoutSeconds: MFA_TIMEOUT_SECONDS,
      providerTimeoutSeconds: PROVIDER_TIMEOUT_SECONDS,
      ...input,
    };
    await workflows.startPayment(paymentId, lifecycleInput);
    const execution = stepFunctions.findExecution(paymentId);
    if (execution === undefined) throw new Error(`no execution named ${paymentId}`);
    return { executionArn: execution.arn, transitionsBefore };
  }

  /** Waits for the end of the execution and of its event log (the transitions are counted from it). */
  async function finished(
    started: { executionArn: string; transitionsBefore: number },
    timeoutMs = 10_000,
  ): Promise<Run> {
    const deadline = Date.now() + timeoutMs;
    const local = await stepFunctions.waitForCompletion(started.executionArn, timeoutMs);
    // The runner records the event log asynchronously: wait for its last event before counting.
    while (!local.history.at(-1)?.type.startsWith('Execution')) {
      if (Date.now() > deadline) throw new Error(`${started.executionArn}: event log still open`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const execution = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    return {
      execution,
      statePath: stepFunctions.summary(local).statePath,
      history: local.history,
      transitions: counters.snapshot().stateTransitions - started.transitionsBefore,
    };
  }

  function eventsOf(paymentId: string) {
    return bus
      .recentEvents()
      .filter((e) => (e.detail as { paymentId?: unknown } | null)?.paymentId === paymentId)
      .map((e) => ({ source: e.source, detailType: e['detail-type'], detail: e.detail }));
  }

  function outputOf(run: Run): { failure?: { Error: string; Cause: string } } {
    return JSON.parse(run.execution.output ?? '{}') as { failure?: { Error: string; Cause: string } };
  }

  describe('Scenario: HappyPathNoMfa', () => {
    it('processes at once and publishes payment.completed in 4 transitions when no MFA is required', async () => {
      // Arrange
      const paymentId = 'pay_happy_no_mfa';

      // Act
      const run = await finished(await start(paymentId, ['completed']));

      // Assert
      expect(run.execution.status).toBe('SUCCEEDED');
      expect(run.execution.name).toBe(paymentId);
      expect(run.statePath).toEqual(['NeedsMfa', 'Process', 'Outcome', 'PublishCompleted']);
      expect(lifecycle.calls(paymentId)).toEqual([{ action: 'process', paymentId }]);
      expect(eventsOf(paymentId)).toEqual([
        {
          source: 'tween.payments',
          detailType: 'payment.completed',
          detail: lifecycle.completedDetail(paymentId),
        },
      ]);
      expect(run.transitions).toBe(4);
    });
  });

  describe('Scenario: MfaPinSuccess', () => {
    it('waits for the second factor, resumes on SendTaskSuccess and publishes payment.completed', async () => {
      // Arrange
      const paymentId = 'pay_mfa_pin_success';
      const started = await start(paymentId, ['completed'], { mfaRequired: true });
      const token = await lifecycle.tokenFor(paymentId, 'await_mfa');

      // Act: MFA verify moved the payment to Authorized and resumes the lifecycle.
      const resumed = await workflows.resume(token, { state: 'Authorized' });
      const run = await finished(started);

      // Assert
      expect(resumed).toBe(true);
      expect(run.execution.status).toBe('SUCCEEDED');
      expect(run.statePath).toEqual(['NeedsMfa', 'AwaitMfa', 'Process', 'Outcome', 'PublishCompleted']);
      expect(lifecycle.calls(paymentId)).toEqual([
        { action: 'await_mfa', paymentId, taskToken: token },
        { action: 'process', paymentId },
      ]);
      expect(eventsOf(paymentId)).toEqual([
        {
          source: 'tween.payments',
          detailType: 'payment.completed',
          detail: lifecycle.completedDetail(paymentId),
        },
      ]);
      expect(run.transitions).toBe(5);
    });
  });

  describe('Scenario: MfaMaxRetries', () => {
    it('fails the payment with mfa_failed and publishes payment.failed without processing it', async () => {
      // Arrange
      const paymentId = 'pay_mfa_max_retries';
      const started = await start(paymentId, ['completed'], { mfaRequired: true });
      const token = await lifecycle.tokenFor(paymentId, 'await_mfa');

      // Act: the last wrong code moved the payment to Failed and fails the lifecycle's task.
      const failed = await workflows.fail(token, MFA_FAILED_ERROR, MFA_FAILED_REASON);
      const run = await finished(started);

      // Assert
      expect(failed).toBe(true);
      expect(run.execution.status).toBe('SUCCEEDED');
      expect(run.statePath).toEqual(['NeedsMfa', 'AwaitMfa', 'MfaFailed', 'Outcome', 'PublishFailed']);
      expect(lifecycle.actions(paymentId)).toEqual(['await_mfa', 'fail:mfa_failed']);
      expect(outputOf(run).failure).toEqual({ Error: MFA_FAILED_ERROR, Cause: MFA_FAILED_REASON });
      expect(eventsOf(paymentId)).toEqual([
        {
          source: 'tween.payments',
          detailType: 'payment.failed',
          detail: lifecycle.failedDetail(paymentId, 'mfa_failed'),
        },
      ]);
      expect(run.transitions).toBe(5);
    });
  });

  describe('Scenario: MfaTimeout', () => {
    it('fails the payment with mfa_timeout when nobody answers within mfaTimeoutSeconds', async () => {
      // Arrange
      const paymentId = 'pay_mfa_timeout';
      const started = await start(paymentId, ['completed'], { mfaRequired: true, mfaTimeoutSeconds: 1 });
      const token = await lifecycle.tokenFor(paymentId, 'await_mfa');

      // Act
      const run = await finished(started);

      // Assert
      expect(run.execution.status).toBe('SUCCEEDED');
      expect(run.statePath).toEqual(['NeedsMfa', 'AwaitMfa', 'MfaTimedOut', 'Outcome', 'PublishFailed']);
      expect(lifecycle.actions(paymentId)).toEqual(['await_mfa', 'fail:mfa_timeout']);
      expect(outputOf(run).failure?.Error).toBe('States.Timeout');
      expect(eventsOf(paymentId)).toEqual([
        {
          source: 'tween.payments',
          detailType: 'payment.failed',
          detail: lifecycle.failedDetail(paymentId, 'mfa_timeout'),
        },
      ]);
      expect(run.transitions).toBe(5);
      // A verification that arrives too late finds the task timed out (the adapter treats it as moved on).
      await expect(
        client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"state":"Authorized"}' })),
      ).rejects.toMatchObject({ name: 'TaskTimedOut' });
      await expect(workflows.resume(token, { state: 'Authorized' })).resolves.toBe(false);
    });
  });

  describe('Scenario: ProcessorRetryThenSuccess', () => {
    it(
      'retries the processor outage twice within the jittered backoff and publishes payment.completed',
      async () => {
        // Arrange
        const paymentId = 'pay_processor_retry';

        // Act
        const run = await finished(
          await start(paymentId, ['processor_error', 'processor_error', 'completed']),
          LONG_SCENARIO_MS,
        );

        // Assert
        expect(run.execution.status).toBe('SUCCEEDED');
        expect(run.statePath).toEqual(['NeedsMfa', 'Process', 'Outcome', 'PublishCompleted']);
        expect(lifecycle.actions(paymentId)).toEqual(['process', 'process', 'process']);
        expect(retriesOf(run.history, 'Process')).toHaveLength(2);
        expectWaitsWithinBackoff(retriesOf(run.history, 'Process'));
        expect(eventsOf(paymentId)).toEqual([
          {
            source: 'tween.payments',
            detailType: 'payment.completed',
            detail: lifecycle.completedDetail(paymentId),
          },
        ]);
        expect(run.transitions).toBe(6);
      },
      LONG_SCENARIO_MS,
    );
  });

  describe('Scenario: ProcessorDownForGood', () => {
    it(
      'gives up after MaxAttempts, fails the payment with processor_error and publishes payment.failed',
      async () => {
        // Arrange
        const paymentId = 'pay_processor_down';

        // Act
        const run = await finished(await start(paymentId, ['processor_error']), LONG_SCENARIO_MS);

        // Assert
        expect(run.execution.status).toBe('SUCCEEDED');
        expect(run.statePath).toEqual(['NeedsMfa', 'Process', 'ProcessorFailed', 'Outcome', 'PublishFailed']);
        expect(lifecycle.actions(paymentId)).toEqual([
          'process',
          'process',
          'process',
          'process',
          'fail:processor_error',
        ]);
        expect(retriesOf(run.history, 'Process')).toHaveLength(3);
        expectWaitsWithinBackoff(retriesOf(run.history, 'Process'));
        expect(outputOf(run).failure?.Error).toBe('ProcessorError');
        expect(eventsOf(paymentId)).toEqual([
          {
            source: 'tween.payments',
            detailType: 'payment.failed',
            detail: lifecycle.failedDetail(paymentId, 'processor_error'),
          },
        ]);
        expect(run.transitions).toBe(8);
      },
      LONG_SCENARIO_MS,
    );
  });

  describe('Scenario: CardDeclined', () => {
    it('publishes the decline as payment.failed straight from Process', async () => {
      // Arrange
      const paymentId = 'pay_card_declined';

      // Act
      const run = await finished(await start(paymentId, ['declined']));

      // Assert
      expect(run.execution.status).toBe('SUCCEEDED');
      expect(run.statePath).toEqual(['NeedsMfa', 'Process', 'Outcome', 'PublishFailed']);
      expect(lifecycle.actions(paymentId)).toEqual(['process']);
      expect(eventsOf(paymentId)).toEqual([
        {
          source: 'tween.payments',
          detailType: 'payment.failed',
          detail: lifecycle.failedDetail(paymentId, DECLINE_CODE),
        },
      ]);
      expect(run.transitions).toBe(4);
    });
  });

  describe('Scenario: CardRequiresAction', () => {
    it('waits for the provider, processes again on SendTaskSuccess and publishes payment.completed', async () => {
      // Arrange
      const paymentId = 'pay_card_action_confirmed';
      const started = await start(paymentId, ['waiting_for_provider', 'completed']);
      const token = await lifecycle.tokenFor(paymentId, 'await_provider');

      // Act: the provider's webhook (or authorize) found the charge succeeded.
      const resumed = await workflows.resume(token, { state: 'Completed' });
      const run = await finished(started);

      // Assert
      expect(resumed).toBe(true);
      expect(run.execution.status).toBe('SUCCEEDED');
      expect(run.statePath).toEqual([
        'NeedsMfa',
        'Process',
        'Outcome',
        'AwaitProvider',
        'Process',
        'Outcome',
        'PublishCompleted',
      ]);
      expect(lifecycle.calls(paymentId)).toEqual([
        { action: 'process', paymentId },
        { action: 'await_provider', paymentId, taskToken: token },
        { action: 'process', paymentId },
      ]);
      expect(eventsOf(paymentId)).toEqual([
        {
          source: 'tween.payments',
          detailType: 'payment.completed',
          detail: lifecycle.completedDetail(paymentId),
        },
      ]);
      expect(run.transitions).toBe(7);
    });

    it('fails the payment with declined and publishes payment.failed when the provider declines', async () => {
      // Arrange
      const paymentId = 'pay_card_action_declined';
      const started = await start(paymentId, ['waiting_for_provider', 'completed']);
      const token = await lifecycle.tokenFor(paymentId, 'await_provider');

      // Act: 3-D Secure failed: the charge needs a new payment method.
      const failed = await workflows.fail(token, PAYMENT_DECLINED_ERROR, AUTHENTICATION_FAILED);
      const run = await finished(started);

      // Assert
      expect(failed).toBe(true);
      expect(run.execution.status).toBe('SUCCEEDED');
      expect(run.statePath).toEqual([
        'NeedsMfa',
        'Process',
        'Outcome',
        'AwaitProvider',
        'ProviderDeclined',
        'Outcome',
        'PublishFailed',
      ]);
      expect(lifecycle.actions(paymentId)).toEqual(['process', 'await_provider', 'fail:declined']);
      expect(outputOf(run).failure).toEqual({ Error: PAYMENT_DECLINED_ERROR, Cause: AUTHENTICATION_FAILED });
      expect(eventsOf(paymentId)).toEqual([
        {
          source: 'tween.payments',
          detailType: 'payment.failed',
          detail: lifecycle.failedDetail(paymentId, 'declined'),
        },
      ]);
      expect(run.transitions).toBe(7);
    });
  });

  describe('Scenario: ProviderTimeout', () => {
    it('fails the payment with provider_timeout when the provider never answers', async () => {
      // Arrange
      const paymentId = 'pay_provider_timeout';
      const started = await start(paymentId, ['waiting_for_provider'], { providerTimeoutSeconds: 1 });
      const token = await lifecycle.tokenFor(paymentId, 'await_provider');

      // Act
      const run = await finished(started);

      // Assert
      expect(run.execution.status).toBe('SUCCEEDED');
      expect(run.statePath).toEqual([
        'NeedsMfa',
        'Process',
        'Outcome',
        'AwaitProvider',
        'ProviderTimedOut',
        'Outcome',
        'PublishFailed',
      ]);
      expect(lifecycle.actions(paymentId)).toEqual(['process', 'await_provider', 'fail:provider_timeout']);
      expect(eventsOf(paymentId)).toEqual([
        {
          source: 'tween.payments',
          detailType: 'payment.failed',
          detail: lifecycle.failedDetail(paymentId, 'provider_timeout'),
        },
      ]);
      expect(run.transitions).toBe(7);
      await expect(workflows.resume(token, { state: 'Completed' })).resolves.toBe(false);
    });
  });
});

function paymentMachineFile(): string {
  const machine = stateMachines.payment;
  if (machine === undefined) throw new Error('the state machine catalogue has no payment machine');
  return machine.file;
}

/** The wait before each retry of `stateName`: from the failure to the StateRetried event, in ms. */
function retriesOf(history: readonly HistoryEvent[], stateName: string): number[] {
  const waits: number[] = [];
  let failedAt: number | undefined;
  for (const event of history) {
    if (event.stateName !== stateName) continue;
    if (event.type === 'StateFailed') failedAt = event.timestamp.getTime();
    if (event.type === 'StateRetried' && failedAt !== undefined)
      waits.push(event.timestamp.getTime() - failedAt);
  }
  return waits;
}

/** FULL jitter: the n-th wait is somewhere in [0, IntervalSeconds · BackoffRate^n]. */
function expectWaitsWithinBackoff(waits: readonly number[]): void {
  waits.forEach((wait, attempt) => {
    expect(wait).toBeGreaterThanOrEqual(0);
    expect(wait).toBeLessThanOrEqual((RETRY_BOUNDS_MS[attempt] ?? 0) + TIMER_SLACK_MS);
  });
}
