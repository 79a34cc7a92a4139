/** The `customer.subscription.*` event a change writes with it (the outbox), `object` being the API view. */
import { domainEventId } from '../../domain/events.js';
import type { Subscription } from '../../domain/subscription.js';
import type { SubscriptionEvent, SubscriptionEventType } from './ports.js';

/**
 * The event of the subscription as it becomes `next` (its `revision`th version: one event per change, the
 * same id when the same change is written again, so a repeat is refused by the outbox put).
 */
export function subscriptionEvent(
  type: SubscriptionEventType,
  next: Subscription,
  revision: number,
  objectView: (subscription: Subscription) => Record<string, unknown>,
  previous?: Subscription,
): SubscriptionEvent {
  return {
    detailType: type,
    detail: {
      eventId: domainEventId(type, next.subscriptionId, String(revision)),
      occurredAt: next.updatedAt,
      merchantId: next.merchantId,
      mode: next.mode,
      object: objectView(next),
      subscriptionId: next.subscriptionId,
      customerId: next.customerId,
      status: next.status,
      ...(previous === undefined || previous.status === next.status
        ? {}
        : { previousStatus: previous.status }),
    },
  };
}
