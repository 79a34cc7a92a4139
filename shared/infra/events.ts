/**
 * The event bus and its rules, read by CDK (EventBridge rules) and by the local stack (rule matcher).
 * Patterns use only the operators the local matcher implements: exact values, prefix, anything-but,
 * exists and numeric.
 */
import { NOTIFYING_EVENT_TYPES } from '../domain/notification.js';
import type { FunctionName } from './functions.js';
import type { QueueKey } from './queues.js';

export const EVENT_BUS_ENV = 'EVENT_BUS_NAME';
export const EVENT_SOURCE = 'tween.payments';
export const eventBusDefinition = { localName: 'tween-payments', archiveRetentionDays: 30 } as const;

export type PatternValue =
  | string
  | number
  | boolean
  | null
  | { prefix: string }
  | { 'anything-but': string | number | (string | number)[] | { prefix: string } }
  | { exists: boolean }
  | { numeric: (string | number)[] };

export interface EventPattern {
  [field: string]: PatternValue[] | EventPattern;
}

export interface RuleDefinition {
  name: string;
  description: string;
  pattern: EventPattern;
  target: FunctionName;
  /**
   * The rule sends to this queue instead of invoking `target`, which consumes the queue (its event source):
   * for consumers that must retry at their own pace and keep what keeps failing in the queue's dead letters.
   */
  queue?: QueueKey;
}

export const rules = [
  {
    name: 'audit-all-domain-events',
    description: 'Every domain event the service emits is kept in the audit log.',
    pattern: { source: [{ prefix: 'tween.' }] },
    target: 'eventsAudit',
  },
  {
    name: 'publish-to-matrix-rooms',
    description: 'Every domain event that belongs to a room is posted to that Matrix room.',
    pattern: { source: [EVENT_SOURCE], detail: { roomId: [{ exists: true }] } },
    target: 'matrixPublisher',
  },
  {
    name: 'merchant-events-to-webhooks',
    description: "Every domain event of a merchant's object becomes its event for the merchant's webhooks.",
    pattern: { source: [EVENT_SOURCE], detail: { merchantId: [{ exists: true }] } },
    target: 'webhookProducer',
  },
  {
    name: 'mini-app-payments-to-webhooks',
    description: "A completed mini-app payment becomes an event for its app's merchant's webhooks.",
    pattern: { source: [EVENT_SOURCE], 'detail-type': ['payment.completed'] },
    target: 'webhookProducer',
  },
  {
    name: 'send-notifications',
    description: 'The domain events that notify customers and merchants go to the notification queue.',
    pattern: { source: [EVENT_SOURCE], 'detail-type': [...NOTIFYING_EVENT_TYPES] },
    target: 'notifier',
    queue: 'notifications',
  },
] as const satisfies readonly RuleDefinition[];

export type RuleName = (typeof rules)[number]['name'];
