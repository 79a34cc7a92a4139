/**
 * Hosted checkout sessions (API.md "Billing and checkout"): a merchant's server creates one for a few prices,
 * the customer pays on the hosted page at its url. open → complete (paid; a subscription-mode session has
 * started its subscription) or open → expired (24 h after creation, or expired by the merchant). A session
 * past `expires_at` is never payable, whether or not its expiry has been written yet.
 */
import type { Tenant } from './customer.js';
import { DomainError, InvalidStateTransitionError, ValidationError } from './errors.js';
import { MAX_AMOUNT } from './money.js';
import type { Price } from './price.js';

export const CHECKOUT_MODES = ['payment', 'subscription'] as const;
export type CheckoutMode = (typeof CHECKOUT_MODES)[number];
export const CHECKOUT_STATUSES = ['open', 'complete', 'expired'] as const;
export type CheckoutStatus = (typeof CHECKOUT_STATUSES)[number];
export const CHECKOUT_PAYMENT_STATUSES = ['unpaid', 'paid', 'no_payment_required'] as const;
export type CheckoutPaymentStatus = (typeof CHECKOUT_PAYMENT_STATUSES)[number];

/** How long a session stays payable (Stripe's default and API.md's 24 h). */
export const CHECKOUT_SESSION_TTL_SECONDS = 24 * 60 * 60;
/** At most this many lines on one session (Stripe's own limit for a payment-mode session). */
export const MAX_LINE_ITEMS = 100;
export const MAX_QUANTITY = 999_999;

export interface CheckoutLineItem {
  priceId: string;
  productId: string;
  quantity: number;
  unitAmount: number;
  /** unitAmount × quantity. */
  amountTotal: number;
}

export interface CheckoutSession extends Tenant {
  sessionId: string;
  sessionMode: CheckoutMode;
  status: CheckoutStatus;
  paymentStatus: CheckoutPaymentStatus;
  lineItems: readonly CheckoutLineItem[];
  amountTotal: number;
  currency: string;
  successUrl: string;
  cancelUrl: string;
  customerEmail: string | null;
  customerId: string | null;
  paymentIntentId: string | null;
  subscriptionId: string | null;
  expiresAt: string;
  completedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A session that cannot be paid any more: completed (409) or expired (410), as its page answers. */
export class CheckoutSessionClosedError extends DomainError {
  override readonly name = 'CheckoutSessionClosedError';
  constructor(readonly status: Exclude<CheckoutStatus, 'open'>) {
    super('INVALID_STATE_TRANSITION', `This checkout session is ${status}`, { status });
  }
}

/**
 * The session's lines from the prices asked for: every price found, active and of one currency; one-time
 * prices in payment mode, recurring ones of one interval in subscription mode (else 400).
 */
export function lineItemsOf(
  mode: CheckoutMode,
  asked: readonly { priceId: string; quantity: number }[],
  prices: readonly (Price | undefined)[],
): { lineItems: CheckoutLineItem[]; amountTotal: number; currency: string } {
  const invalid = (index: number, message: string) =>
    new ValidationError(message, { issues: [{ path: `line_items.${index}.price`, message }] });
  if (asked.length === 0 || asked.length > MAX_LINE_ITEMS)
    throw new ValidationError(`A session has 1 to ${MAX_LINE_ITEMS} line items`);
  const lineItems = asked.map((line, index) => {
    const price = prices[index];
    if (price === undefined || !price.active)
      throw invalid(index, `No such price: ${line.priceId.slice(0, 64)}`);
    if (mode === 'payment' && price.recurring !== null)
      throw invalid(index, 'A payment-mode session takes one-time prices only');
    if (mode === 'subscription' && price.recurring === null)
      throw invalid(index, 'A subscription-mode session takes recurring prices only');
    return {
      priceId: price.priceId,
      productId: price.productId,
      quantity: line.quantity,
      unitAmount: price.unitAmount,
      amountTotal: price.unitAmount * line.quantity,
      currency: price.currency,
      interval: price.recurring?.interval ?? null,
    };
  });
  const [first] = lineItems;
  if (first === undefined) throw new ValidationError('A session needs a line item');
  lineItems.forEach((line, index) => {
    if (line.currency !== first.currency) throw invalid(index, 'Every price of a session has one currency');
    if (line.interval !== first.interval) throw invalid(index, 'Every price of a session has one interval');
  });
  const amountTotal = lineItems.reduce((sum, line) => sum + line.amountTotal, 0);
  if (amountTotal > MAX_AMOUNT) throw new ValidationError(`The session's total is above ${MAX_AMOUNT}`);
  return {
    lineItems: lineItems.map(({ currency: _c, interval: _i, ...line }) => line),
    amountTotal,
    currency: first.currency,
  };
}

export function expiresAtOf(createdAt: Date): string {
  return new Date(createdAt.getTime() + CHECKOUT_SESSION_TTL_SECONDS * 1000).toISOString();
}

/** Open past `expires_at` reads `expired`, whether or not the expiry has been written yet. */
export function isPastExpiry(session: CheckoutSession, now: Date): boolean {
  return session.status === 'open' && now.getTime() >= Date.parse(session.expiresAt);
}

/**
 * A session whose payment started (claimed for its PaymentIntent before its expiry) waits for that payment's
 * result: it completes when it succeeds, even past `expires_at`, and expires only once the payment cannot.
 */
export function paymentStarted(session: CheckoutSession): boolean {
  return session.status === 'open' && session.paymentIntentId !== null;
}

export function effectiveStatus(session: CheckoutSession, now: Date): CheckoutStatus {
  return isPastExpiry(session, now) && !paymentStarted(session) ? 'expired' : session.status;
}

/** The session as it may be paid now, else 409 (complete) or 410 (expired) on its page. */
export function assertPayable(session: CheckoutSession, now: Date): void {
  const status = effectiveStatus(session, now);
  if (status !== 'open') throw new CheckoutSessionClosedError(status);
}

export function expired(session: CheckoutSession, at: Date): CheckoutSession {
  if (session.status !== 'open') throw new InvalidStateTransitionError(session.status, 'expire');
  return { ...session, status: 'expired', updatedAt: at.toISOString() };
}

export function completed(
  session: CheckoutSession,
  paid: { paymentIntentId?: string; subscriptionId?: string; customerId?: string },
  at: Date,
): CheckoutSession {
  if (session.status !== 'open') throw new CheckoutSessionClosedError(session.status);
  return {
    ...session,
    status: 'complete',
    paymentStatus: session.amountTotal === 0 ? 'no_payment_required' : 'paid',
    paymentIntentId: paid.paymentIntentId ?? session.paymentIntentId,
    subscriptionId: paid.subscriptionId ?? session.subscriptionId,
    customerId: paid.customerId ?? session.customerId,
    completedAt: at.toISOString(),
    updatedAt: at.toISOString(),
  };
}
