/**
 * Outbound webhooks in the merchant's tenant partition: endpoints (with their sealed secret), the events
 * recorded for them, each event's delivery at each endpoint and every attempt (the delivery log).
 */
import * as z from 'zod/mini';
import { MODES } from '../../../domain/merchant.js';
import type {
  Delivery,
  DeliveryAttempt,
  WebhookEndpoint,
  WebhookEvent,
} from '../../../domain/webhook-events.js';
import { defineEntity } from '../entity.js';
import {
  merchantEventIndexKey,
  merchantEventKey,
  webhookAttemptKey,
  webhookDeliveryKey,
  webhookEndpointIndexKey,
  webhookEndpointKey,
} from '../keys.js';
import { exactSchemaOf } from './exact.js';

/** An endpoint as stored: its KMS envelope of the secret, and its creation time to the millisecond (lists). */
export type StoredEndpoint = WebhookEndpoint & { sealedSecret: string; createdAt: string };

const endpointSchema = exactSchemaOf<StoredEndpoint>()(
  z.object({
    id: z.string(),
    merchantId: z.string(),
    mode: z.enum(MODES),
    url: z.string(),
    enabledEvents: z.readonly(z.array(z.string())),
    description: z.exactOptional(z.string()),
    status: z.enum(['enabled', 'disabled']),
    failingSince: z.exactOptional(z.string()),
    disabledReason: z.exactOptional(z.enum(['owner', 'failing'])),
    created: z.number(),
    sealedSecret: z.string(),
    createdAt: z.string(),
  }),
);

/** `<tenant>` / `WEBHOOKENDPOINT#<id>`, listed newest first on GSI1. */
export const WebhookEndpointEntity = defineEntity<StoredEndpoint>({
  type: 'WebhookEndpoint',
  schema: endpointSchema,
  key: (e) => webhookEndpointKey(e.merchantId, e.mode, e.id),
  indexes: (e) => webhookEndpointIndexKey(e.merchantId, e.mode, e.createdAt, e.id),
});

export function endpointOf(stored: StoredEndpoint): WebhookEndpoint {
  const { sealedSecret: _secret, createdAt: _createdAt, ...endpoint } = stored;
  return endpoint;
}

/** An event as stored: its type also as `eventType` (the item's `type` is the entity's), and when recorded. */
export type StoredEvent = Omit<WebhookEvent, 'type'> & { eventType: string; recordedAt: string };

/** `<tenant>` / `EVENT#<id>`, listed newest first on GSI1 (filtered by `eventType` for `?type=`). */
export const MerchantEventEntity = defineEntity<StoredEvent>({
  type: 'MerchantEvent',
  schema: exactSchemaOf<StoredEvent>()(
    z.object({
      id: z.string(),
      merchantId: z.string(),
      mode: z.enum(MODES),
      eventType: z.string(),
      created: z.number(),
      objectId: z.string(),
      sequence: z.number(),
      data: z.object({ object: z.record(z.string(), z.unknown()) }),
      recordedAt: z.string(),
    }),
  ),
  key: (e) => merchantEventKey(e.merchantId, e.mode, e.id),
  indexes: (e) => merchantEventIndexKey(e.merchantId, e.mode, e.recordedAt, e.id),
});

export function eventOf(stored: StoredEvent): WebhookEvent {
  const { eventType, recordedAt: _recordedAt, ...rest } = stored;
  return { ...rest, type: eventType };
}

/** `<tenant>` / `WHDELIVERY#<endpoint>#<object>#<sequence>`. */
export const WebhookDeliveryEntity = defineEntity<Delivery>({
  type: 'WebhookDelivery',
  schema: exactSchemaOf<Delivery>()(
    z.object({
      merchantId: z.string(),
      mode: z.enum(MODES),
      endpointId: z.string(),
      eventId: z.string(),
      objectId: z.string(),
      sequence: z.number(),
      status: z.enum(['pending', 'succeeded', 'failed']),
      attempts: z.number(),
      nextAttemptAt: z.exactOptional(z.string()),
    }),
  ),
  key: (d) => webhookDeliveryKey(d.merchantId, d.mode, d.endpointId, d.objectId, d.sequence),
});

/** `<tenant>` / `WHATTEMPT#<endpoint>#<attempted at>#<event>#<attempt>`: the log, a range per endpoint. */
export const WebhookAttemptEntity = defineEntity<DeliveryAttempt>({
  type: 'WebhookAttempt',
  schema: exactSchemaOf<DeliveryAttempt>()(
    z.object({
      merchantId: z.string(),
      mode: z.enum(MODES),
      endpointId: z.string(),
      eventId: z.string(),
      attempt: z.number(),
      attemptedAt: z.string(),
      statusCode: z.exactOptional(z.number()),
      durationMs: z.number(),
      error: z.exactOptional(z.string()),
      nextAttemptAt: z.exactOptional(z.string()),
    }),
  ),
  key: (a) => webhookAttemptKey(a.merchantId, a.mode, a.endpointId, a.attemptedAt, a.eventId, a.attempt),
});
