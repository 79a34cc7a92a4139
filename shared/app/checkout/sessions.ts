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
} from '../../domain/checkout-session.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { domainEventId } from '../../domain/events.js';
import { assertScope, type MerchantCaller } from '../../domain/merchant.js';
import type { PriceReader } from '../billing/ports.js';
import type { CursorCodec } from '../cursor.js';
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
}

export interface NewCheckoutSession {
  mode: CheckoutMode;
  lineItems: readonly { priceId: string; quantity: number }[];
  successUrl: string;
  cancelUrl: string;
  customerEmail?: string | undefined;
  customerId?: string | undefined;
}

/**
 * 1. The key needs `billing:write`.
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
  deps: Pick<CheckoutDeps, 'sessions' | 'clock' | 'objectView'>,
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
 * 2. open → expired with `checkout.session.expired`, one conditional write: a payment that completed it
 *    first wins, and the answer is then 409.
 */
export async function expireCheckoutSession(
  caller: MerchantCaller,
  sessionId: string,
  deps: Pick<CheckoutDeps, 'sessions' | 'clock' | 'objectView'>,
): Promise<CheckoutSession> {
  assertScope(caller, 'billing:write');
  const session = await deps.sessions.get(caller, sessionId);
  if (session === undefined) throw new NotFoundError('Checkout session');
  const closed = await closeSession(expired(session, deps.clock.now()), deps);
  if (closed.status !== 'expired') expired(closed, deps.clock.now());
  return closed;
}

/** An open session past its expiry, expired durably; any other session as it is. */
export async function expireIfDue(
  session: CheckoutSession,
  deps: Pick<CheckoutDeps, 'sessions' | 'clock' | 'objectView'>,
): Promise<CheckoutSession> {
  const now = deps.clock.now();
  if (!isPastExpiry(session, now)) return session;
  return closeSession(expired(session, now), deps);
}

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
