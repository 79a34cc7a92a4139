/**
 * The subscription steps' schedule (shared/adapters/subscriptions/schedule.ts), with the real
 * @aws-sdk/client-scheduler against the local stand-in (local/scheduler): a future step is one one-time
 * schedule named by the step (scheduling it again adds none), fired into the steps queue and deleted; a step
 * already due goes straight onto the queue.
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LocalScheduler } from '../../../../local/scheduler/scheduler.js';
import {
  parseSubscriptionStep,
  SchedulerSubscriptionSchedule,
  stepScheduleName,
} from '../../../../shared/adapters/subscriptions/schedule.js';
import type { SubscriptionStep } from '../../../../shared/domain/subscription.js';
import { waitFor } from '../../../support/stack.js';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:tween-subscription-steps';
const step: SubscriptionStep = {
  merchantId: 'mch_1',
  mode: 'test',
  subscriptionId: 'sub_1',
  periodStart: '2026-12-07T10:00:00.000Z',
  attempt: 2,
};

describe('Module: subscription step schedule', () => {
  const fired: { arn: string; input: string }[] = [];
  const local = new LocalScheduler(async (arn, input) => {
    fired.push({ arn, input });
  });
  let scheduler: SchedulerClient;
  const sent: SendMessageCommand['input'][] = [];
  const sqs = {
    send: async (command: SendMessageCommand) => {
      sent.push(command.input);
      return {};
    },
  } as unknown as SQSClient;

  beforeAll(async () => {
    scheduler = new SchedulerClient({
      endpoint: await local.start(),
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterAll(async () => {
    scheduler.destroy();
    await local.stop();
  });

  const schedule = new SchedulerSubscriptionSchedule({
    sqs,
    get scheduler() {
      return scheduler;
    },
    clock: { now: () => new Date() },
    queueUrl: 'http://sqs.local/000000000000/tween-subscription-steps',
    queueArn: QUEUE_ARN,
    schedulerRoleArn: 'arn:aws:iam::000000000000:role/scheduler',
    scheduleGroup: 'tween-subscription-steps',
  });

  it('schedules a future step once, by its name, and the schedule fires it into the queue', async () => {
    // Act
    const at = new Date(Date.now() + 1_000);
    await schedule.scheduleAt(step, at);
    await schedule.scheduleAt(step, at);

    // Assert
    expect([...local.schedules.keys()]).toEqual([`tween-subscription-steps/${stepScheduleName(step)}`]);
    const [delivered] = await waitFor(async () => (fired.length > 0 ? fired : undefined), 'the schedule');
    expect(delivered?.arn).toBe(QUEUE_ARN);
    expect(parseSubscriptionStep(delivered?.input ?? '')).toEqual(step);
    expect(local.schedules.size).toBe(0);
    expect(sent).toEqual([]);
  });

  it('puts a step already due straight onto the queue', async () => {
    // Act
    await schedule.scheduleAt({ ...step, attempt: 0 }, new Date(Date.now() - 1_000));

    // Assert
    expect(sent).toHaveLength(1);
    expect(parseSubscriptionStep(sent[0]?.MessageBody ?? '')).toEqual({ ...step, attempt: 0 });
  });

  it('names each step apart and refuses a body that is not a step', () => {
    expect(stepScheduleName(step)).toMatch(/^sub-[0-9a-f]{56}$/);
    expect(stepScheduleName({ ...step, attempt: 3 })).not.toBe(stepScheduleName(step));
    expect(() => parseSubscriptionStep('{"subscriptionId":"sub_1"}')).toThrow('Not a subscription step');
  });
});
