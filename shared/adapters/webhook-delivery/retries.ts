/**
 * Puts a delivery task back on the deliveries queue for later: up to 15 minutes through SQS `DelaySeconds`,
 * beyond through an EventBridge Scheduler one-time schedule (`at(…)`, UTC) whose target sends the task to the
 * same queue and which deletes itself once it has fired. A schedule's name is derived from the task and the
 * time, so a twin worker putting the same task back for the same time creates nothing more.
 */
import { createHash } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod/mini';
import '../../zod-locale.js';
import type { Clock } from '../../app/ports.js';
import type { DeliveryRetries, DeliveryTask } from '../../app/webhook-delivery/ports.js';
import { type QueueScheduleTarget, scheduleOntoQueue } from '../aws/queue-schedule.js';

/** The longest delay SQS takes on a message. */
export const SQS_MAX_DELAY_SECONDS = 900;

/** The deliveries queue: its URL (delays) and its schedule target (beyond SQS's longest delay). */
export interface RetryTargets extends QueueScheduleTarget {
  sqs: SQSClient;
  clock: Clock;
  queueUrl: string;
}

export class QueueDeliveryRetries implements DeliveryRetries {
  constructor(private readonly targets: RetryTargets) {}

  async retryAt(task: DeliveryTask, at: Date): Promise<void> {
    const { clock, queueUrl } = this.targets;
    const delaySeconds = Math.max(0, Math.ceil((at.getTime() - clock.now().getTime()) / 1_000));
    if (delaySeconds <= SQS_MAX_DELAY_SECONDS) {
      await this.targets.sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(task),
          DelaySeconds: delaySeconds,
        }),
      );
      return;
    }
    await this.#schedule(task, at);
  }

  async #schedule(task: DeliveryTask, at: Date): Promise<void> {
    await scheduleOntoQueue(this.targets, scheduleName(task, at), at, task);
  }
}

/** A schedule name (≤ 64 of [0-9a-zA-Z-_.]) unique to the task and the time. */
export function scheduleName(task: DeliveryTask, at: Date): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([task.merchantId, task.mode, task.endpointId, task.eventId, task.resend === true]))
    .update(String(Math.ceil(at.getTime() / 1_000)))
    .digest('hex');
  return `whd-${digest.slice(0, 56)}`;
}

const Task = z.object({
  merchantId: z.string().check(z.minLength(1)),
  mode: z.enum(['test', 'live']),
  endpointId: z.string().check(z.minLength(1)),
  eventId: z.string().check(z.minLength(1)),
  resend: z.optional(z.boolean()),
});

/** A task read back from a queue message's body; an Error when the body is not one. */
export function parseDeliveryTask(body: string): DeliveryTask {
  const parsed = Task.safeParse(JSON.parse(body));
  if (!parsed.success) throw new Error('Not a webhook delivery task');
  const { resend, ...task } = parsed.data;
  return resend === true ? { ...task, resend } : task;
}
