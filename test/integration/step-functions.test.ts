/**
 * The local Step Functions runner executing a real ASL file, driven through @aws-sdk/client-sfn exactly as
 * the handlers will drive it: Task, Choice, Wait, Retry/Catch, Map, a task-token wait and putEvents.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { startAwsJsonEndpoint } from '../../local/aws-json.js';
import { LocalEventBus } from '../../local/eventbridge/bus.js';
import { LocalLambda } from '../../local/lambda.js';
import { Counters } from '../../local/metrics.js';
import { LocalStepFunctions } from '../../local/sfn/runner.js';

const asl = readFileSync(new URL('./fixtures/fixture.asl.json', import.meta.url), 'utf8');

interface Item {
  id: string;
  flaky?: boolean;
  broken?: boolean;
}

class ProcessorError extends Error {
  override readonly name = 'ProcessorError';
}

describe('Runner: local Step Functions with the fixture ASL', () => {
  const counters = new Counters();
  const lambda = new LocalLambda(counters);
  const bus = new LocalEventBus('fixture-bus', [], lambda, counters);
  const stepFunctions = new LocalStepFunctions(lambda, bus, counters);
  const approvalTokens = new Map<string, string>();
  const attempts = new Map<string, number>();
  let server: Server;
  let client: SFNClient;
  let stateMachineArn: string;

  beforeAll(async () => {
    const fn = (handler: (event: unknown) => Promise<unknown>) => ({
      memoryMb: 128,
      timeoutSeconds: 10,
      load: async () => handler,
    });
    lambda.register(
      'prepare',
      fn(async (event) => {
        const input = event as { items: Item[]; needsApproval: boolean };
        return { items: input.items, needsApproval: input.needsApproval };
      }),
    );
    lambda.register(
      'requestApproval',
      fn(async (event) => {
        const { token, orderId } = event as { token: string; orderId: string };
        approvalTokens.set(orderId, token);
        return { asked: true };
      }),
    );
    lambda.register(
      'processItem',
      fn(async (event) => {
        const item = event as Item;
        const attempt = (attempts.get(item.id) ?? 0) + 1;
        attempts.set(item.id, attempt);
        if (item.broken === true || (item.flaky === true && attempt === 1))
          throw new ProcessorError(`${item.id} failed`);
        return { id: item.id, attempt };
      }),
    );
    stateMachineArn = stepFunctions.register('fixture', asl);
    const endpoint = await startAwsJsonEndpoint({ AWSStepFunctions: stepFunctions.service });
    server = endpoint.server;
    client = new SFNClient({
      endpoint: endpoint.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    stepFunctions.stopAll();
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  async function start(name: string, input: Record<string, unknown>): Promise<string> {
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
    );
    return started.executionArn ?? '';
  }

  async function finished(executionArn: string) {
    await stepFunctions.waitForCompletion(executionArn);
    return client.send(new DescribeExecutionCommand({ executionArn }));
  }

  async function tokenFor(orderId: string): Promise<string> {
    for (let i = 0; i < 200; i += 1) {
      const token = approvalTokens.get(orderId);
      if (token !== undefined) return token;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no approval token for ${orderId}`);
  }

  describe('Scenario: HappyPath', () => {
    it('succeeds through Choice, Wait, a Map with a retried item and putEvents when no approval is needed', async () => {
      // Arrange
      const input = { orderId: 'o-happy', needsApproval: false, pauseSeconds: 0, approvalWindowSeconds: 5 };
      const items = [{ id: 'happy-a' }, { id: 'happy-b', flaky: true }];

      // Act
      const arn = await start('happy', { ...input, items });
      const execution = await finished(arn);

      // Assert
      expect(execution.status).toBe('SUCCEEDED');
      const output = JSON.parse(execution.output ?? '{}') as { processed: { id: string; attempt: number }[] };
      expect(output.processed).toEqual([
        { id: 'happy-a', attempt: 1 },
        { id: 'happy-b', attempt: 2 },
      ]);
      const summary = stepFunctions.summary(stepFunctions.findExecution('happy') ?? fail('no execution'));
      expect(summary.statePath).toEqual(
        expect.arrayContaining([
          'Prepare',
          'NeedsApproval',
          'Pause',
          'ProcessItems',
          'ProcessItem',
          'Announce',
          'Done',
        ]),
      );
      expect(summary.statePath).not.toContain('WaitForApproval');
      expect(
        bus
          .recentEvents()
          .some((e) => e.source === 'tween.fixture' && e['detail-type'] === 'fixture.completed'),
      ).toBe(true);
    });

    it('lists the states entered in GetExecutionHistory', async () => {
      // Arrange
      const arn = await start('history', {
        orderId: 'o-history',
        needsApproval: false,
        pauseSeconds: 0,
        items: [],
      });
      await finished(arn);

      // Act
      const history = await client.send(new GetExecutionHistoryCommand({ executionArn: arn }));

      // Assert
      const entered = (history.events ?? [])
        .filter((e) => e.type?.endsWith('StateEntered'))
        .map((e) => e.stateEnteredEventDetails?.name);
      expect(entered).toEqual(['Prepare', 'NeedsApproval', 'Pause', 'ProcessItems', 'Announce', 'Done']);
    });
  });

  describe('Scenario: TaskTokenWait', () => {
    it('resumes with the output given to SendTaskSuccess when the approval arrives', async () => {
      // Arrange
      const arn = await start('approved', {
        orderId: 'o-approved',
        needsApproval: true,
        pauseSeconds: 0,
        approvalWindowSeconds: 30,
        items: [],
      });
      const token = await tokenFor('o-approved');

      // Act
      await client.send(
        new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ approvedBy: 'ops' }) }),
      );
      const execution = await finished(arn);

      // Assert
      expect(execution.status).toBe('SUCCEEDED');
      expect(JSON.parse(execution.output ?? '{}')).toMatchObject({ approval: { approvedBy: 'ops' } });
    });

    it('fails through the matching Catch when SendTaskFailure reports the error', async () => {
      // Arrange
      const arn = await start('rejected', {
        orderId: 'o-rejected',
        needsApproval: true,
        pauseSeconds: 0,
        approvalWindowSeconds: 30,
        items: [],
      });
      const token = await tokenFor('o-rejected');

      // Act
      await client.send(new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'no' }));
      const execution = await finished(arn);

      // Assert
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('Rejected');
    });

    it('times out from TimeoutSecondsPath read from the state input when nobody answers', async () => {
      // Arrange: the window is in the state input only, not in the task's Parameters.
      const arn = await start('expired', {
        orderId: 'o-expired',
        needsApproval: true,
        pauseSeconds: 0,
        approvalWindowSeconds: 1,
        items: [],
      });
      const token = await tokenFor('o-expired');

      // Act
      const execution = await finished(arn);

      // Assert
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('Expired');
      await expect(
        client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
      ).rejects.toMatchObject({ name: 'TaskTimedOut' });
    });
  });

  describe('Scenario: ProcessorFailure', () => {
    it('catches an item that fails every retry and ends in the Failed state', async () => {
      // Arrange
      const items = [{ id: 'broken-a', broken: true }];

      // Act
      const arn = await start('broken', {
        orderId: 'o-broken',
        needsApproval: false,
        pauseSeconds: 0,
        items,
      });
      const execution = await finished(arn);

      // Assert
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('ProcessingFailed');
      expect(attempts.get('broken-a')).toBe(3);
    });
  });

  describe('Method: StartExecution', () => {
    it('returns the same execution when the same name and input are started again while running', async () => {
      // Arrange
      const input = {
        orderId: 'o-twice',
        needsApproval: true,
        pauseSeconds: 0,
        approvalWindowSeconds: 30,
        items: [],
      };
      const first = await start('twice', input);

      // Act
      const second = await start('twice', input);

      // Assert
      expect(second).toBe(first);
      await client.send(new SendTaskSuccessCommand({ taskToken: await tokenFor('o-twice'), output: '{}' }));
      await finished(first);
    });

    it('refuses the name with ExecutionAlreadyExists when the input differs', async () => {
      // Arrange
      await finished(
        await start('taken', { orderId: 'o-taken', needsApproval: false, pauseSeconds: 0, items: [] }),
      );

      // Act
      const again = start('taken', { orderId: 'o-other', needsApproval: false, pauseSeconds: 0, items: [] });

      // Assert
      await expect(again).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    });

    it('counts state transitions for the cost model', () => {
      // Assert: every execution above entered states, and retries are billed as transitions too.
      expect(counters.snapshot().stateTransitions).toBeGreaterThan(20);
      expect(counters.snapshot().executionsStarted).toBeGreaterThanOrEqual(7);
    });
  });

  describe('Method: SendTaskSuccess', () => {
    it('answers TaskDoesNotExist when the token was never issued', async () => {
      // Act
      const sent = client.send(new SendTaskSuccessCommand({ taskToken: 'bm90LWEtdG9rZW4', output: '{}' }));

      // Assert
      await expect(sent).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
    });
  });
});
