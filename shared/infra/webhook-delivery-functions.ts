/**
 * The outbound webhook delivery's function and capabilities, spread into the catalogue (through
 * webhook-functions.ts, as functions.ts is at its size limit).
 */
import type { FunctionDefinition } from './functions.js';

export type WebhookDeliveryCapability =
  /** SendMessage to the deliveries queue (WEBHOOK_DELIVERY_QUEUE_URL): producer, resend, short retries. */
  | 'webhookDeliveries:send'
  /**
   * CreateSchedule in the webhook retry schedule group, with iam:PassRole on the scheduler's role only
   * (whose one permission is SendMessage to the deliveries queue): the long retries.
   */
  | 'webhookRetries:schedule';

/** The EventBridge Scheduler group of the long retries' one-time schedules. */
export const WEBHOOK_RETRY_SCHEDULE_GROUP = 'tween-webhook-retries';

/** What the delivery function finds in its environment to create a long retry's schedule. */
export const WEBHOOK_RETRY_ENV = {
  group: 'WEBHOOK_RETRY_SCHEDULE_GROUP',
  roleArn: 'WEBHOOK_SCHEDULER_ROLE_ARN',
  queueArn: 'WEBHOOK_DELIVERY_QUEUE_ARN',
} as const;

export const webhookDeliveryFunctions = {
  webhookDelivery: {
    entry: 'functions/webhooks/deliver.ts',
    handler: 'handler',
    traced: true,
    description:
      "Delivers merchants' webhook events: signs (Standard Webhooks), sends to the checked address, records the attempt, retries on the schedule, disables an endpoint failing for 5 days",
    capabilities: [
      'table:write',
      'key:decrypt',
      'mail:send',
      'webhookDeliveries:send',
      'webhookRetries:schedule',
    ],
    // Each send is bounded at 15 s and a batch's deliveries go out side by side; below the queue's 90 s
    // visibility timeout, so a batch is never handed to a second invocation meanwhile.
    timeoutSeconds: 60,
    memoryMb: 256,
  },
} as const satisfies Record<string, FunctionDefinition>;
