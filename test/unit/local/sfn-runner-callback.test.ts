/**
 * The local Step Functions runner's callback tasks when the wait ends before the task's own function has
 * returned: failed by the function itself through SendTaskFailure (the payment lifecycle does this when the
 * payer's MFA already failed), or timed out while the function is still running (a slow invocation under
 * load). Either way the execution goes on by its Catch, and nothing escapes as an unhandled rejection, which
 * would end the whole local stack.
 */
import '../../../local/polyfills.js';
import { LocalEventBus } from '../../../local/eventbridge/bus.js';
import { LocalLambda } from '../../../local/lambda.js';
import { Counters } from '../../../local/metrics.js';
import { LocalStepFunctions } from '../../../local/sfn/runner.js';

/** An ASL placeholder, as the files CDK deploys carry them (the runner substitutes the function's ARN). */
const AWAITER_ARN = ['$', '{AwaiterFunctionArn}'].join('');

const ASL = JSON.stringify({
  StartAt: 'Await',
  States: {
    Await: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: AWAITER_ARN, Payload: { 'token.$': '$$.Task.Token' } },
      TimeoutSeconds: 1,
      Catch: [
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'TimedOut' },
        { ErrorEquals: ['Refused'], ResultPath: '$.error', Next: 'Refused' },
      ],
      End: true,
    },
    TimedOut: { Type: 'Pass', Result: 'timed out', End: true },
    Refused: { Type: 'Pass', Result: 'refused', End: true },
  },
});

function runnerWith(awaiter: (token: string, runner: LocalStepFunctions) => Promise<unknown>) {
  const counters = new Counters();
  const lambda = new LocalLambda(counters);
  const bus = new LocalEventBus('test-bus', [], lambda, counters);
  const runner = new LocalStepFunctions(lambda, bus, counters);
  lambda.register('awaiter', {
    memoryMb: 128,
    timeoutSeconds: 10,
    load: async () => async (event) => awaiter((event as { token: string }).token, runner),
  });
  return { runner, arn: runner.register('callback', ASL) };
}

describe('Class: LocalStepFunctions', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });

  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  describe('Method: startExecution (callback task)', () => {
    it('takes the Catch when the task function fails its own token before it returns', async () => {
      // Arrange
      const { runner, arn } = runnerWith(async (token, self) => {
        await self.service('SendTaskFailure', { taskToken: token, error: 'Refused', cause: 'no' });
        await new Promise((resolve) => setTimeout(resolve, 50));
        return { stored: true };
      });

      // Act
      const { executionArn } = runner.startExecution(arn, 'early-failure', '{}');
      const execution = await runner.waitForCompletion(executionArn, 5_000);
      await new Promise((resolve) => setImmediate(resolve));

      // Assert
      expect(execution.status).toBe('SUCCEEDED');
      expect(execution.output).toBe(JSON.stringify('refused'));
      expect(unhandled).toEqual([]);
    });

    it('takes the timeout Catch when the wait ends while the task function is still running', async () => {
      // Arrange
      const { runner, arn } = runnerWith(async () => {
        await new Promise((resolve) => setTimeout(resolve, 1_300));
        return { stored: true };
      });

      // Act
      const { executionArn } = runner.startExecution(arn, 'slow-function', '{}');
      const execution = await runner.waitForCompletion(executionArn, 5_000);
      await new Promise((resolve) => setImmediate(resolve));

      // Assert
      expect(execution.status).toBe('SUCCEEDED');
      expect(execution.output).toBe(JSON.stringify('timed out'));
      expect(unhandled).toEqual([]);
    });
  });
});
