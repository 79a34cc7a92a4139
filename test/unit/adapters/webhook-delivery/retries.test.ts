/**
 * Webhook delivery retries (shared/adapters/webhook-delivery/retries.ts): up to 15 minutes an SQS delay,
 * beyond a one-time EventBridge Scheduler schedule, driven here with the real @aws-sdk/client-scheduler
 * against the local stand-in (local/scheduler), which fires it into the queue and deletes it.
 */
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LocalScheduler } from '../../../../local/scheduler/scheduler.js';
import { atExpression } from '../../../../shared/adapters/aws/queue-schedule.js';
import {
  parseDeliveryTask,
  QueueDeliveryRetries,
  scheduleName,
} from '../../../../shared/adapters/webhook-delivery/retries.js';
import type { DeliveryTask } from '../../../../shared/app/webhook-delivery/ports.js';

const task: DeliveryTask = { merchantId: 'mch_1', mode: 'test', endpointId: 'we_1', eventId: 'evt_1' };
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:tween-webhook-deliveries';

function recordingSqs() {
  const sent: SendMessageCommand['input'][] = [];
  const client = {
    send: async (command: SendMessageCommand) => {
      sent.push(command.input);
      return {};
    },
  } as unknown as SQSClient;
  return { client, sent };
}

describe('Module: webhook delivery retries', () => {
  const fired: { arn: string; input: string }[] = [];
  const local = new LocalScheduler(async (arn, input) => {
    fired.push({ arn, input });
  });
  let scheduler: SchedulerClient;

  beforeAll(async () => {
    const endpoint = await local.start();
    scheduler = new SchedulerClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterAll(async () => {
    scheduler.destroy();
    await local.stop();
  });

  const retries = (offsetMs: number, sqs: SQSClient) =>
    new QueueDeliveryRetries({
      sqs,
      scheduler,
      clock: { now: () => new Date(Date.now() + offsetMs) },
      queueUrl: 'http://sqs.local/000000000000/tween-webhook-deliveries',
      queueArn: QUEUE_ARN,
      schedulerRoleArn: 'arn:aws:iam::000000000000:role/scheduler',
      scheduleGroup: 'tween-webhook-retries',
    });

  it('puts a retry up to 15 minutes away back on the queue with a delay, rounded up', async () => {
    const sqs = recordingSqs();
    const now = Date.now();

    await retries(0, sqs.client).retryAt(task, new Date(now + 4_200));
    await retries(0, sqs.client).retryAt(task, new Date(now + 900_000));
    await retries(0, sqs.client).retryAt(task, new Date(now - 10_000));

    expect(sqs.sent.map((input) => input.DelaySeconds)).toEqual([5, 900, 0]);
    expect(parseDeliveryTask(sqs.sent[0]?.MessageBody ?? '')).toEqual(task);
    expect(local.schedules.size).toBe(0);
  });

  it('schedules a longer retry once, which fires the task into the queue when due and is deleted', async () => {
    const sqs = recordingSqs();
    // The clock runs 1000 s behind, so a time 1 s from now is 1001 s away for the adapter.
    const adapter = retries(-1_000_000, sqs.client);
    const at = new Date(Date.now() + 1_000);

    await adapter.retryAt(task, at);
    await adapter.retryAt(task, at); // a twin: the same schedule, nothing more

    expect(sqs.sent).toHaveLength(0);
    const name = scheduleName(task, at);
    const created = await scheduler.send(
      new GetScheduleCommand({ Name: name, GroupName: 'tween-webhook-retries' }),
    );
    expect(created).toMatchObject({ ScheduleExpression: atExpression(at), Target: { Arn: QUEUE_ARN } });
    expect(local.schedules.size).toBe(1);

    await waitFor(() => fired.length === 1, 5_000);
    expect(fired[0]?.arn).toBe(QUEUE_ARN);
    expect(parseDeliveryTask(fired[0]?.input ?? '')).toEqual(task);
    expect(local.schedules.size).toBe(0);
  });

  it('writes at() in UTC to the second, never before the time asked', () => {
    expect(atExpression(new Date('2026-12-07T10:00:05.000Z'))).toBe('at(2026-12-07T10:00:05)');
    expect(atExpression(new Date('2026-12-07T10:00:05.001Z'))).toBe('at(2026-12-07T10:00:06)');
    expect(scheduleName(task, new Date())).toMatch(/^[0-9a-zA-Z\-_.]{1,64}$/);
    expect(scheduleName({ ...task, resend: true }, new Date(0))).not.toBe(scheduleName(task, new Date(0)));
  });

  it('reads back only a well-formed task', () => {
    expect(parseDeliveryTask(JSON.stringify({ ...task, resend: true }))).toEqual({ ...task, resend: true });
    expect(() => parseDeliveryTask(JSON.stringify({ ...task, mode: 'prod' }))).toThrow(/delivery task/);
    expect(() => parseDeliveryTask('{}')).toThrow();
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
