/**
 * The rules of a merchant's webhook endpoint (API.md "Webhook endpoints"): which event types it may ask
 * for, and how an update changes it. The endpoint's model is in webhook-events.ts.
 */
import { ValidationError } from './errors.js';
import type { WebhookEndpoint } from './webhook-events.js';

/** The event types the service emits to merchants today (API.md's list). */
export const WEBHOOK_EVENT_TYPES = [
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'payment_intent.requires_action',
  'payment.completed',
  'refund.created',
  'refund.updated',
  'payout.paid',
  'payout.failed',
  'merchant.updated',
  'customer.created',
  'checkout.session.completed',
] as const;

/**
 * The families API.md names with a wildcard (`invoice.*`, `order.*`...): any `<family>.<event>` of theirs is
 * known, so an endpoint can subscribe to the billing and marketplace events before each is emitted.
 */
export const WEBHOOK_EVENT_FAMILIES = [
  'invoice.',
  'customer.subscription.',
  'order.',
  'group_payment.',
  'escrow.',
] as const;

const FAMILY_EVENT = /^[a-z_]+(\.[a-z_]+)*$/;

/** At most this many entries in `enabled_events` (Stripe's own limit is lower than the list of types). */
export const MAX_ENABLED_EVENTS = 64;

export function isKnownWebhookEventType(type: string): boolean {
  if ((WEBHOOK_EVENT_TYPES as readonly string[]).includes(type)) return true;
  return WEBHOOK_EVENT_FAMILIES.some(
    (family) => type.startsWith(family) && FAMILY_EVENT.test(type.slice(family.length)),
  );
}

/** `["*"]` or known types, each once: else 400 naming `enabled_events` and the unknown ones. */
export function enabledEventsOf(requested: readonly string[]): string[] {
  if (requested.length === 0) throw invalidEvents('at least one event type, or "*"');
  if (requested.includes('*')) {
    if (requested.length > 1) throw invalidEvents('"*" stands alone');
    return ['*'];
  }
  const unknown = requested.filter((type) => !isKnownWebhookEventType(type));
  if (unknown.length > 0) {
    throw new ValidationError('enabled_events names an unknown event type', {
      field: 'enabled_events',
      unknown: unknown.slice(0, 10),
    });
  }
  return [...new Set(requested)];
}

function invalidEvents(rule: string): ValidationError {
  return new ValidationError(`enabled_events must be ${rule}`, { field: 'enabled_events' });
}

export interface EndpointChanges {
  url?: string | undefined;
  enabledEvents?: readonly string[] | undefined;
  /** `''` removes the description. */
  description?: string | undefined;
  disabled?: boolean | undefined;
}

/**
 * The endpoint as `changes` leave it. Disabling is its owner's (`disabledReason: 'owner'`); enabling again
 * clears the failure clock, so an endpoint disabled for failing gets 5 more days from its next failure.
 */
export function applyEndpointChanges(current: WebhookEndpoint, changes: EndpointChanges): WebhookEndpoint {
  const { description: _description, failingSince: _failing, disabledReason: _reason, ...base } = current;
  const description = changes.description ?? current.description;
  const next: WebhookEndpoint = {
    ...base,
    ...(changes.url === undefined ? {} : { url: changes.url }),
    ...(changes.enabledEvents === undefined ? {} : { enabledEvents: enabledEventsOf(changes.enabledEvents) }),
    ...(description === undefined || description === '' ? {} : { description }),
  };
  if (changes.disabled === true) {
    return {
      ...next,
      status: 'disabled',
      disabledReason: current.status === 'disabled' ? (current.disabledReason ?? 'owner') : 'owner',
      ...(current.failingSince === undefined ? {} : { failingSince: current.failingSince }),
    };
  }
  if (changes.disabled === false) return { ...next, status: 'enabled' };
  return {
    ...next,
    ...(current.failingSince === undefined ? {} : { failingSince: current.failingSince }),
    ...(current.disabledReason === undefined ? {} : { disabledReason: current.disabledReason }),
  };
}
