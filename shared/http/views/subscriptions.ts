import type { Subscription } from '../../domain/subscription.js';
import { listView } from './list.js';

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1_000);

/**
 * A subscription as API.md shapes it (Stripe's Subscription), for the answers and the events' `object`; its
 * dunning counter stays inside.
 */
export function subscriptionView(subscription: Subscription) {
  return {
    id: subscription.subscriptionId,
    object: 'subscription' as const,
    status: subscription.status,
    customer: subscription.customerId,
    items: listView(
      subscription.items.map((item) => ({
        id: item.itemId,
        object: 'subscription_item' as const,
        price: item.priceId,
        quantity: item.quantity,
      })),
      null,
    ),
    currency: subscription.currency,
    current_period_start: seconds(subscription.currentPeriodStart),
    current_period_end: seconds(subscription.currentPeriodEnd),
    trial_end: subscription.trialEnd === null ? null : seconds(subscription.trialEnd),
    cancel_at_period_end: subscription.cancelAtPeriodEnd,
    canceled_at: subscription.canceledAt === null ? null : seconds(subscription.canceledAt),
    latest_invoice: subscription.latestInvoiceId,
    metadata: { ...(subscription.metadata ?? {}) },
    livemode: subscription.mode === 'live',
    created: seconds(subscription.createdAt),
  };
}

export function subscriptionListView(subscriptions: readonly Subscription[], nextCursor: string | null) {
  return listView(subscriptions.map(subscriptionView), nextCursor);
}
