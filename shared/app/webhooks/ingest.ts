import type { PaymentProvider, WebhookHeaders } from '../payments/ports.js';
import { HANDLED_EVENT_TYPES } from './event-types.js';
import { type WebhookQueue, webhookEventId } from './ports.js';

export interface IngestDeps {
  /** The provider whose signature the request must carry. */
  verifier: Pick<PaymentProvider, 'verifyWebhook'>;
  queue: WebhookQueue;
}

export interface IngestResult {
  eventId: string;
  /** False for an event type we do not act on: acknowledged, so the provider stops sending it, and dropped. */
  queued: boolean;
}

/**
 * 1. Verify the provider's signature over the raw body (and its timestamp): a missing, forged or stale one
 *    is a 400 and nothing is stored or queued.
 * 2. An event type we never act on is acknowledged and dropped.
 * 3. Queue the verified event, in order per provider object, deduplicated by its id; the consumer applies it.
 *    The provider is answered as soon as the event is safely queued.
 */
export async function ingestWebhook(
  rawBody: string,
  headers: WebhookHeaders,
  deps: IngestDeps,
): Promise<IngestResult> {
  const event = await deps.verifier.verifyWebhook(rawBody, headers);
  const eventId = webhookEventId(event);
  if (!HANDLED_EVENT_TYPES.has(event.type)) return { eventId, queued: false };
  await deps.queue.enqueue(event, eventId);
  return { eventId, queued: true };
}
