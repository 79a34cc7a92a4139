import type * as z from 'zod/mini';
import type { WebhookRecord } from '../../app/webhooks/ports.js';
import type { WebhookEvent } from '../schemas/webhooks.js';

/** An inbox entry as ops see it: what came, what became of it; not the event's payload (payer details). */
export function webhookEventView(record: WebhookRecord): z.infer<typeof WebhookEvent> {
  return {
    eventId: record.eventId,
    provider: record.provider,
    providerEventId: record.providerEventId,
    type: record.type,
    objectId: record.objectId,
    ...(record.paymentId === undefined ? {} : { paymentId: record.paymentId }),
    status: record.status,
    deliveries: record.deliveries,
    failures: record.failures,
    ...(record.outcome === undefined ? {} : { outcome: record.outcome }),
    ...(record.reason === undefined ? {} : { reason: record.reason }),
    ...(record.subject === undefined ? {} : { subject: { ...record.subject } }),
    ...(record.details === undefined ? {} : { details: { ...record.details } }),
    ...(record.lastError === undefined ? {} : { lastError: record.lastError }),
    providerCreatedAt: record.providerCreatedAt,
    receivedAt: record.receivedAt,
    updatedAt: record.updatedAt,
    ...(record.settledAt === undefined ? {} : { settledAt: record.settledAt }),
  };
}
