import type { CheckoutSession } from '../../domain/checkout-session.js';
import { listView } from './list.js';

function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/** The path of a session's hosted page (the API's own; the edge makes it absolute). */
export function checkoutPagePath(sessionId: string): string {
  return `/checkout/${sessionId}`;
}

/**
 * A checkout session as API.md shapes it (Stripe's Checkout Session): `url` while it is open (null after, as
 * Stripe's), amounts in minor units, times in epoch seconds.
 */
export function checkoutSessionView(session: CheckoutSession, url: string | null) {
  return {
    id: session.sessionId,
    object: 'checkout.session' as const,
    url: session.status === 'open' ? url : null,
    status: session.status,
    payment_status: session.paymentStatus,
    mode: session.sessionMode,
    amount_subtotal: session.amountTotal,
    amount_total: session.amountTotal,
    currency: session.currency,
    line_items: session.lineItems.map((line) => ({
      price: line.priceId,
      quantity: line.quantity,
      amount_total: line.amountTotal,
      currency: session.currency,
    })),
    customer: session.customerId,
    customer_email: session.customerEmail,
    payment_intent: session.paymentIntentId,
    subscription: session.subscriptionId,
    success_url: session.successUrl,
    cancel_url: session.cancelUrl,
    expires_at: epochSeconds(session.expiresAt),
    livemode: session.mode === 'live',
    created: epochSeconds(session.createdAt),
  };
}

/** The session in its events (for the merchant's webhooks): no page url once it has closed. */
export function checkoutSessionObject(session: CheckoutSession): Record<string, unknown> {
  return checkoutSessionView(session, null);
}

export function checkoutSessionListView(
  sessions: readonly CheckoutSession[],
  urlOf: (session: CheckoutSession) => string,
  nextCursor: string | null,
) {
  return listView(
    sessions.map((session) => checkoutSessionView(session, urlOf(session))),
    nextCursor,
  );
}
