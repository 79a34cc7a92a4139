/**
 * Queue definitions read by CDK and by the local stack (which creates the same queues in local-aws-sqs and
 * runs the event source mappings).
 */
import type { FunctionName } from './functions.js';

export interface QueueDefinition {
  /** Physical name; FIFO names end in `.fifo`. */
  name: string;
  fifo: boolean;
  visibilityTimeoutSeconds: number;
  retentionSeconds: number;
  /** Environment variable through which functions learn the queue URL. */
  urlEnv: string;
  /** Key (in `queues`) of the dead-letter queue. */
  deadLetter?: { queue: string; maxReceiveCount: number };
  /** Event source mapping: the function that consumes the queue. */
  consumer?: { fn: FunctionName; batchSize: number; reportBatchItemFailures: true };
}

export const queues = {
  webhooks: {
    name: 'tween-webhooks.fifo',
    fifo: true,
    visibilityTimeoutSeconds: 60,
    retentionSeconds: 4 * 24 * 3600,
    urlEnv: 'WEBHOOK_QUEUE_URL',
    deadLetter: { queue: 'webhooksDlq', maxReceiveCount: 5 },
    consumer: { fn: 'webhookConsumer', batchSize: 10, reportBatchItemFailures: true },
  },
  /** Domain events that send notifications (the send-notifications bus rule); redelivered until sent. */
  notifications: {
    name: 'tween-notifications',
    fifo: false,
    visibilityTimeoutSeconds: 60,
    retentionSeconds: 4 * 24 * 3600,
    urlEnv: 'NOTIFICATION_QUEUE_URL',
    deadLetter: { queue: 'notificationsDlq', maxReceiveCount: 10 },
    consumer: { fn: 'notifier', batchSize: 10, reportBatchItemFailures: true },
  },
  notificationsDlq: {
    name: 'tween-notifications-dlq',
    fifo: false,
    visibilityTimeoutSeconds: 60,
    retentionSeconds: 14 * 24 * 3600,
    urlEnv: 'NOTIFICATION_DLQ_URL',
  },
  webhooksDlq: {
    name: 'tween-webhooks-dlq.fifo',
    fifo: true,
    visibilityTimeoutSeconds: 60,
    retentionSeconds: 14 * 24 * 3600,
    urlEnv: 'WEBHOOK_DLQ_URL',
  },
  // Outbound webhook deliveries: one DeliveryTask per message (standard: order per object is the use case's,
  // through the store); retries come back through DelaySeconds or a Scheduler schedule.
  webhookDeliveries: {
    name: 'tween-webhook-deliveries',
    fifo: false,
    // Above the consumer's timeout, so a batch is never handed to a second invocation meanwhile.
    visibilityTimeoutSeconds: 90,
    retentionSeconds: 4 * 24 * 3600,
    urlEnv: 'WEBHOOK_DELIVERY_QUEUE_URL',
    deadLetter: { queue: 'webhookDeliveriesDlq', maxReceiveCount: 5 },
    consumer: { fn: 'webhookDelivery', batchSize: 10, reportBatchItemFailures: true },
  },
  webhookDeliveriesDlq: {
    name: 'tween-webhook-deliveries-dlq',
    fifo: false,
    visibilityTimeoutSeconds: 90,
    retentionSeconds: 14 * 24 * 3600,
    urlEnv: 'WEBHOOK_DELIVERY_DLQ_URL',
  },
  // Subscription steps (renewal, dunning retries): one SubscriptionStep per message, put there by their
  // EventBridge Scheduler one-time schedules when due; a step keyed by (subscription, period, attempt) runs once.
  subscriptionSteps: {
    name: 'tween-subscription-steps',
    fifo: false,
    // Above the consumer's timeout, so a batch is never handed to a second invocation meanwhile.
    visibilityTimeoutSeconds: 90,
    retentionSeconds: 4 * 24 * 3600,
    urlEnv: 'SUBSCRIPTION_STEPS_QUEUE_URL',
    deadLetter: { queue: 'subscriptionStepsDlq', maxReceiveCount: 5 },
    consumer: { fn: 'subscriptionSteps', batchSize: 10, reportBatchItemFailures: true },
  },
  subscriptionStepsDlq: {
    name: 'tween-subscription-steps-dlq',
    fifo: false,
    visibilityTimeoutSeconds: 90,
    retentionSeconds: 14 * 24 * 3600,
    urlEnv: 'SUBSCRIPTION_STEPS_DLQ_URL',
  },
} as const satisfies Record<string, QueueDefinition>;

export type QueueKey = keyof typeof queues;
export const queueKeys = Object.keys(queues) as QueueKey[];

export function queueDefinition(key: QueueKey): QueueDefinition {
  return queues[key];
}

export function isQueueKey(key: string): key is QueueKey {
  return key in queues;
}

/** The dead-letter queue of `key`, if it has one. */
export function deadLetterOf(key: QueueKey): { queue: QueueKey; maxReceiveCount: number } | undefined {
  const deadLetter = queueDefinition(key).deadLetter;
  if (deadLetter === undefined) return undefined;
  if (!isQueueKey(deadLetter.queue))
    throw new Error(`Queue ${key}: no queue ${deadLetter.queue} for dead letters`);
  return { queue: deadLetter.queue, maxReceiveCount: deadLetter.maxReceiveCount };
}
