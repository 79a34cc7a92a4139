/**
 * A provider webhook event in the inbox (`WEBHOOK#<provider>:<event id>`), indexed by status in GSI1. The
 * record's `type` (the provider's event type) is stored as `eventType`, since `type` is the item's entity,
 * and the event as the JSON it was queued as, so a replay sends exactly what came; reading it back parses
 * both. A settled event may carry the table's TTL (`expiresAt`), which is not part of the record.
 */
import * as z from 'zod/mini';
import type { ProviderEvent } from '../../../app/payments/ports.js';
import { WEBHOOK_STATUSES, type WebhookRecord } from '../../../app/webhooks/ports.js';
import { defineEntity, MalformedItemError } from '../entity.js';
import { webhookIndexKey, webhookKey } from '../keys.js';
import { exactSchemaOf } from './exact.js';

type Stored = Omit<WebhookRecord, 'type' | 'event'> & { eventType: string; event: string };
/** A webhook record as its item holds it. */
export type StoredWebhookEvent = { [K in keyof Stored]: Stored[K] };

const provider = z.enum(['stripe', 'paypal']);
const details = z.readonly(z.record(z.string(), z.union([z.string(), z.number()])));

const providerEvent = exactSchemaOf<ProviderEvent>()(
  z.object({
    provider,
    id: z.string(),
    type: z.string(),
    objectId: z.string(),
    paymentId: z.exactOptional(z.string()),
    details: z.exactOptional(details),
    createdAt: z.string(),
    payload: z.unknown(),
  }),
);

const TYPE = 'WebhookEvent';

export const WebhookEventEntity = defineEntity<StoredWebhookEvent>({
  type: TYPE,
  schema: exactSchemaOf<StoredWebhookEvent>()(
    z.object({
      eventId: z.string(),
      provider,
      providerEventId: z.string(),
      eventType: z.string(),
      objectId: z.string(),
      paymentId: z.exactOptional(z.string()),
      status: z.enum(WEBHOOK_STATUSES),
      deliveries: z.number(),
      failures: z.number(),
      outcome: z.exactOptional(z.string()),
      reason: z.exactOptional(z.string()),
      subject: z.exactOptional(
        z.object({ type: z.enum(['topup', 'payment', 'payment_intent', 'payout']), id: z.string() }),
      ),
      details: z.exactOptional(details),
      lastError: z.exactOptional(z.string()),
      providerCreatedAt: z.string(),
      receivedAt: z.string(),
      updatedAt: z.string(),
      settledAt: z.exactOptional(z.string()),
      event: z.string(),
    }),
  ),
  key: (stored) => webhookKey(stored.eventId),
  indexes: (stored) => webhookIndexKey(stored.status, stored.receivedAt, stored.eventId),
});

export function storedWebhookEvent(record: WebhookRecord): StoredWebhookEvent {
  const { type: eventType, event, ...rest } = record;
  return { ...rest, eventType, event: JSON.stringify(event) };
}

/** The record an item holds: MalformedItemError when the item, or the event in it, is not one. */
export function webhookRecordOf(item: Record<string, unknown>): WebhookRecord {
  return webhookRecord(WebhookEventEntity.fromItem(item));
}

/** The record a stored event is: MalformedItemError when its event is not a provider event. */
export function webhookRecord(stored: StoredWebhookEvent): WebhookRecord {
  const { eventType, event, ...rest } = stored;
  const parsed = z.safeParse(providerEvent, JSON.parse(event));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `event.${issue.path.join('.')}: ${issue.message}`);
    throw new MalformedItemError(TYPE, issues.slice(0, 3).join('; '));
  }
  return { ...rest, type: eventType, event: parsed.data };
}
