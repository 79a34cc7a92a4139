/**
 * Checkout sessions on the merchant API (API.md "Billing and checkout"): create, read, list, expire. The
 * hosted page's side (show, pay) is in pay.ts.
 */
import {
  type CheckoutMode,
  type CheckoutSession,
  effectiveStatus,
  expired,
  expiresAtOf,
  isPastExpiry,
  lineItemsOf,
  paymentStarted,
} from '../../domain/checkout-session.js';
import { InvalidStateTransitionError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { domainEventId } from '../../domain/events.js';
import { assertScope, type MerchantCaller } from '../../domain/merchant.js';
import type { PriceReader } from '../billing/ports.js';
import type { CursorCodec } from '../cursor.js';
import type { PaymentIntentDeps } from '../payment-intents/common.js';
import { cancelPaymentIntent } from '../payment-intents/settle.js';
import type { Clock, Ids } from '../ports.js';
import type { CheckoutEvent, CheckoutSessionStore, Tenant } from './ports.js';

export interface CheckoutDeps {
  sessions: CheckoutSessionStore;
  prices: PriceReader;
  /** The tenant's customer a session may name (its id, or undefined when there is none such). */
  customers: { exists(tenant: Tenant, customerId: string): Promise<boolean> };
  ids: Ids;
  clock: Clock;
  /** The session as the merchant API shows it: its events carry it (`object`) for the merchant's webhooks. */
  objectView: (session: CheckoutSession) => Record<string, unknown>;
  /** The PaymentIntents a session's payment made: an expiry cancels one that has not succeeded first. */
  paymentIntents: () => Promise<PaymentIntentDeps>;
}

type ExpiryDeps = Pick<CheckoutDeps, 'sessions' | 'clock' | 'objectView' | 'paymentIntents'>;

export interface NewCheckoutSession {
  mode: CheckoutMode;
  lineItems: readonly { priceId: string; quantity: number }[];
  successUrl: string;
  cancelUrl: string;
  customerEmail?: string | undefined;
  customerId?: string | undefined;
}

/**
 * 1. The key needs `billing:write`, and a test key: a live session is 400 (its page has no live card entry).
 * 2. Price each line from the tenant's prices (one-time in payment mode, recurring in subscription mode,
 *    one currency), and check the customer it names is the tenant's.
 * 3. Store it `open`, expiring 24 h from now, under a random id: the id is the page's only capability.
 */
export async function createCheckoutSession(
  caller: MerchantCaller,
  input: NewCheckoutSession,
  deps: Pick<CheckoutDeps, 'sessions' | 'prices' | 'customers' | 'ids' | 'clock'>,
): Promise<CheckoutSession> {
  assertScope(caller, 'billing:write');
  // The page offers Stripe's test cards only (it has no Stripe.js): live card entry needs Stripe Elements.
  if (caller.mode === 'live')
    throw new ValidationError(
      'Hosted checkout takes test-mode sessions only: live card entry needs Stripe Elements, not built yet',
    );
  const tenant: Tenant = { merchantId: caller.merchantId, mode: caller.mode };
  const prices = await Promise.all(input.lineItems.map((line) => deps.prices.get(tenant, line.priceId)));
  const { lineItems, amountTotal, currency } = lineItemsOf(input.mode, input.lineItems, prices);
  if (input.customerId !== undefined && !(await deps.customers.exists(tenant, input.customerId))) {
    throw new ValidationError('No such customer', {
      issues: [{ path: 'customer', message: `No such customer: ${input.customerId.slice(0, 64)}` }],
    });
  }
  const now = deps.clock.now();
  return deps.sessions.create({
    ...tenant,
    sessionId: deps.ids.next('cs_'),
    sessionMode: input.mode,
    status: 'open',
    paymentStatus: amountTotal === 0 ? 'no_payment_required' : 'unpaid',
    lineItems,
    amountTotal,
    currency,
    successUrl: input.successUrl,
    cancelUrl: input.cancelUrl,
    customerEmail: input.customerEmail ?? null,
    customerId: input.customerId ?? null,
    paymentIntentId: null,
    subscriptionId: null,
    expiresAt: expiresAtOf(now),
    completedAt: null,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  });
}

/** The session (`billing:read`); one past its expiry is expired now, durably (with its event). */
export async function getCheckoutSession(
  caller: MerchantCaller,
  sessionId: string,
  deps: ExpiryDeps,
): Promise<CheckoutSession> {
  assertScope(caller, 'billing:read');
  const session = await deps.sessions.get(caller, sessionId);
  if (session === undefined) throw new NotFoundError('Checkout session');
  return expireIfDue(session, deps);
}

/** One page of the tenant's sessions, newest first (`billing:read`); past-expiry ones read `expired`. */
export async function listCheckoutSessions(
  caller: MerchantCaller,
  query: { limit: number; cursor?: string | undefined },
  deps: Pick<CheckoutDeps, 'sessions' | 'clock'> & { cursors: CursorCodec },
): Promise<{ sessions: CheckoutSession[]; nextCursor: string | null }> {
  assertScope(caller, 'billing:read');
  const list = `checkout-sessions:${caller.merchantId}:${caller.mode}`;
  const after = query.cursor === undefined ? undefined : deps.cursors.decode(list, query.cursor);
  const page = await deps.sessions.list(caller, {
    limit: query.limit,
    ...(after === undefined ? {} : { after }),
  });
  const now = deps.clock.now();
  return {
    sessions: page.items.map((session) => ({ ...session, status: effectiveStatus(session, now) })),
    nextCursor: page.after === undefined ? null : deps.cursors.encode(list, page.after),
  };
}

/**
 * 1. The key needs `billing:write`; the session must be the tenant's and open (else 409).
 * 2. A session whose payment started: its PaymentIntent is cancelled first; one that succeeded or is
 *    under way cannot be, and the session is not expired (409): its payment completes it.
 * 3. open → expired with `checkout.session.expired`, one conditional write: a payment that completed or
 *    claimed it first wins, and the answer is then 409.
 */
export async function expireCheckoutSession(
  caller: MerchantCaller,
  sessionId: string,
  deps: ExpiryDeps,
): Promise<CheckoutSession> {
  assertScope(caller, 'billing:write');
  const session = await deps.sessions.get(caller, sessionId);
  if (session === undefined) throw new NotFoundError('Checkout session');
  expired(session, deps.clock.now());
  const closed = await expireSession(session, deps);
  if (closed.status !== 'expired') throw new InvalidStateTransitionError(closed.status, 'expire');
  return closed;
}

/** An open session past its expiry, expired durably unless its payment succeeded; any other as it is. */
export async function expireIfDue(session: CheckoutSession, deps: ExpiryDeps): Promise<CheckoutSession> {
  if (!isPastExpiry(session, deps.clock.now())) return session;
  return expireSession(session, deps);
}

/**
 * Expires an open session: with its payment's PaymentIntent cancelled first when one started (so that no
 * money can be taken after), unless it cannot be (succeeded, or under way): then the session stays open for
 * its payment's result. A claim that lands between the read and the write makes the write lose: again.
 */
async function expireSession(session: CheckoutSession, deps: ExpiryDeps): Promise<CheckoutSession> {
  if (paymentStarted(session) && !(await paymentCancelled(session, deps))) return session;
  const closed = await closeSession(expired(session, deps.clock.now()), deps);
  if (closed.status === 'open' && closed.paymentIntentId !== session.paymentIntentId)
    return expireSession(closed, deps);
  return closed;
}

/** The session's PaymentIntent is cancelled (now or before), so it can never take money. */
async function paymentCancelled(session: CheckoutSession, deps: ExpiryDeps): Promise<boolean> {
  if (session.paymentIntentId === null) return true;
  const intents = await deps.paymentIntents();
  const intent = await intents.intents.get(session, session.paymentIntentId);
  // Claimed, but the intent was never made: the claim's owner makes it with the same id, and its
  // confirmation is refused once the intent is cancelled, so it has to exist to be cancelled.
  if (intent === undefined) return false;
  if (!CANCELLABLE_BY_EXPIRY.has(intent.status)) return intent.status === 'canceled';
  const after = await cancelPaymentIntent(
    { tenant: session, intentId: intent.intentId, reason: 'abandoned' },
    intents,
  );
  return after.status === 'canceled';
}

const CANCELLABLE_BY_EXPIRY = new Set([
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
]);

/** Writes the session's end (complete or expired) with its event; the stored session when another won. */
export function closeSession(
  after: CheckoutSession,
  deps: Pick<CheckoutDeps, 'sessions' | 'objectView'>,
): Promise<CheckoutSession> {
  const type = after.status === 'complete' ? 'checkout.session.completed' : 'checkout.session.expired';
  const event: CheckoutEvent = {
    type,
    detail: {
      eventId: domainEventId(type, after.sessionId),
      occurredAt: after.updatedAt,
      merchantId: after.merchantId,
      mode: after.mode,
      object: deps.objectView(after),
      sessionId: after.sessionId,
      sessionMode: after.sessionMode,
      status: after.status,
      amountTotal: after.amountTotal,
      currency: after.currency,
      ...(after.paymentIntentId === null ? {} : { paymentIntentId: after.paymentIntentId }),
      ...(after.subscriptionId === null ? {} : { subscriptionId: after.subscriptionId }),
      ...(after.customerId === null ? {} : { customerId: after.customerId }),
    },
  };
  return deps.sessions.close(after, event);
}
