/**
 * A subscription's next step on EventBridge Scheduler: a one-time schedule (`at(…)`, UTC) in the
 * subscriptions' group, whose target sends the step to the steps queue and which deletes itself once it has
 * fired. Its name derives from the step (subscription, period start, attempt), so scheduling the same step
 * again creates nothing more (ConflictException). A step already due goes straight onto the queue.
 */
import { createHash } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod/mini';
import '../../zod-locale.js';
import type { Clock } from '../../app/ports.js';
import type { SubscriptionSchedule } from '../../app/subscriptions/ports.js';
import type { SubscriptionStep } from '../../domain/subscription.js';
import { type QueueScheduleTarget, scheduleOntoQueue } from '../aws/queue-schedule.js';

/** The steps queue: its URL (a step already due) and its schedule target. */
export interface StepTargets extends QueueScheduleTarget {
  sqs: SQSClient;
  clock: Clock;
  queueUrl: string;
}

export class SchedulerSubscriptionSchedule implements SubscriptionSchedule {
  constructor(private readonly targets: StepTargets) {}

  async scheduleAt(step: SubscriptionStep, at: Date): Promise<void> {
    if (at.getTime() <= this.targets.clock.now().getTime()) {
      await this.targets.sqs.send(
        new SendMessageCommand({ QueueUrl: this.targets.queueUrl, MessageBody: JSON.stringify(step) }),
      );
      return;
    }
    await scheduleOntoQueue(this.targets, stepScheduleName(step), at, step);
  }
}

/** A schedule name (≤ 64 of [0-9a-zA-Z-_.]) unique to the step. */
export function stepScheduleName(step: SubscriptionStep): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([step.merchantId, step.mode, step.subscriptionId, step.periodStart, step.attempt]))
    .digest('hex');
  return `sub-${digest.slice(0, 56)}`;
}

const Step = z.object({
  merchantId: z.string().check(z.minLength(1)),
  mode: z.enum(['test', 'live']),
  subscriptionId: z.string().check(z.regex(/^sub_[A-Za-z0-9_]{1,128}$/)),
  periodStart: z.iso.datetime(),
  attempt: z.number().check(z.int(), z.nonnegative(), z.maximum(10)),
});

/** A step read back from a queue message's body; an Error when the body is not one. */
export function parseSubscriptionStep(body: string): SubscriptionStep {
  const parsed = Step.safeParse(JSON.parse(body));
  if (!parsed.success) throw new Error('Not a subscription step');
  return parsed.data;
}
