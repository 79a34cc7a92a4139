/**
 * The event bus and its rules, read by CDK (EventBridge rules) and by the local stack (rule matcher).
 * Patterns use only the operators the local matcher implements: exact values, prefix, anything-but,
 * exists and numeric.
 */
import type { FunctionName } from './functions.js';

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
] as const satisfies readonly RuleDefinition[];

export type RuleName = (typeof rules)[number]['name'];
