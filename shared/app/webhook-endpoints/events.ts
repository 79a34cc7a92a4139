/**
 * The events of a merchant's objects as `GET /v1/events` shows them, and their resend to one endpoint.
 * Inside the key's merchant and mode, with the `webhooks:write` scope (there is no read scope of its own).
 */
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { assertScope, type MerchantCaller } from '../../domain/merchant.js';
import { endpointWants, type WebhookEvent } from '../../domain/webhook-events.js';
import type { CursorCodec } from '../cursor.js';
import { existingEndpoint, tenantOf } from './endpoints.js';
import type { DeliveryQueue, WebhookEndpointStore, WebhookEventStore } from './ports.js';
import { pendingDelivery } from './produce.js';

export interface EventDeps {
  events: WebhookEventStore;
  endpoints: WebhookEndpointStore;
  queue: DeliveryQueue;
}

export async function getEvent(
  caller: MerchantCaller,
  eventId: string,
  deps: Pick<EventDeps, 'events'>,
): Promise<WebhookEvent> {
  assertScope(caller, 'webhooks:write');
  const event = await deps.events.get(tenantOf(caller), eventId);
  if (event === undefined) throw new NotFoundError('Event');
  return event;
}

/** One page of the tenant's events, newest first, only `type` when given; the cursor is bound to both. */
export async function listEvents(
  caller: MerchantCaller,
  query: { limit: number; cursor?: string | undefined; type?: string | undefined },
  deps: Pick<EventDeps, 'events'> & { cursors: CursorCodec },
): Promise<{ events: WebhookEvent[]; nextCursor: string | null }> {
  assertScope(caller, 'webhooks:write');
  const list = `events:${caller.merchantId}:${caller.mode}:${query.type ?? ''}`;
  const after = query.cursor === undefined ? undefined : deps.cursors.decode(list, query.cursor);
  const page = await deps.events.list(tenantOf(caller), {
    limit: query.limit,
    ...(after === undefined ? {} : { after }),
    ...(query.type === undefined ? {} : { type: query.type }),
  });
  return {
    events: page.items,
    nextCursor: page.after === undefined ? null : deps.cursors.encode(list, page.after),
  };
}

/**
 * 1. The event and the endpoint must both be the caller's (else 404); the endpoint must be enabled and
 *    want the event's type (else 400 naming `endpoint`).
 * 2. Its delivery is created if the endpoint never had one (it was made after the event), and a task
 *    marked `resend` is queued: delivered even if the endpoint acknowledged the event before.
 */
export async function resendEvent(
  caller: MerchantCaller,
  eventId: string,
  endpointId: string,
  deps: EventDeps,
): Promise<WebhookEvent> {
  const event = await getEvent(caller, eventId, deps);
  const endpoint = await existingEndpoint(caller, endpointId, deps);
  if (!endpointWants(endpoint, event.type)) {
    throw new ValidationError(
      endpoint.status === 'enabled'
        ? 'The endpoint does not take events of this type'
        : 'The endpoint is disabled',
      { field: 'endpoint' },
    );
  }
  await deps.events.openDeliveries([pendingDelivery(endpoint, event)]);
  await deps.queue.enqueue([
    { merchantId: event.merchantId, mode: event.mode, endpointId, eventId, resend: true },
  ]);
  return event;
}
