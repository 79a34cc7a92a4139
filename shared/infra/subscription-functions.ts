/**
 * The subscriptions' functions and capabilities, spread into the catalogue in functions.ts: the merchant
 * API's /v1/subscriptions and the steps queue's consumer (renewal and dunning, brought back by EventBridge
 * Scheduler one-time schedules).
 */
import type { FunctionDefinition } from './functions.js';

export type SubscriptionCapability =
  /** SendMessage to the subscription steps queue (a step already due goes straight onto it). */
  | 'subscriptionSteps:send'
  /**
   * CreateSchedule in the subscription steps' schedule group, with iam:PassRole on the scheduler's role only
   * (whose one permission is SendMessage to the steps queue).
   */
  | 'subscriptionSteps:schedule';

/** The EventBridge Scheduler group of the subscriptions' one-time schedules (renewals, dunning retries). */
export const SUBSCRIPTION_SCHEDULE_GROUP = 'tween-subscription-steps';

/** What a function that schedules steps finds in its environment to create a schedule. */
export const SUBSCRIPTION_SCHEDULE_ENV = {
  group: 'SUBSCRIPTION_SCHEDULE_GROUP',
  roleArn: 'SUBSCRIPTION_SCHEDULER_ROLE_ARN',
  queueArn: 'SUBSCRIPTION_STEPS_QUEUE_ARN',
} as const;

const billing = [
  'table:write',
  'appSecrets:read',
  'subscriptionSteps:send',
  'subscriptionSteps:schedule',
] as const;

export const subscriptionFunctions = {
  merchantSubscriptions: {
    entry: 'functions/merchants/subscriptions.ts',
    handler: 'handler',
    description:
      "A merchant's subscriptions: create (the first period billed, or a trial), read, list, cancel (/v1/subscriptions)",
    capabilities: [...billing],
    timeoutSeconds: 29,
    memoryMb: 256,
  },
  subscriptionSteps: {
    entry: 'functions/merchants/subscription-steps.ts',
    handler: 'handler',
    traced: true,
    description:
      "Runs a subscription's due step from its schedule: the renewal (bill the next period) or a dunning retry, then schedules the next",
    capabilities: [...billing],
    // Each step bills through the card processor (bounded by PROVIDER_TIMEOUT_SECONDS); below the queue's
    // visibility timeout, so a batch is never handed to a second invocation meanwhile.
    timeoutSeconds: 60,
    memoryMb: 256,
  },
} as const satisfies Record<string, FunctionDefinition>;
