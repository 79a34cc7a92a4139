/**
 * The hosted checkout page's side of a session (API.md "Billing and checkout"): show it, pay it, come back
 * from 3-D Secure. The session id is the page's capability; every payment it makes is derived from the
 * session, so a form sent twice, or from two tabs, pays once.
 */
import {
  assertPayable,
  type CheckoutSession,
  CheckoutSessionClosedError,
  completed,
  isPastExpiry,
} from '../../domain/checkout-session.js';
import {
  ConcurrentModificationError,
  DomainError,
  NotFoundError,
  ValidationError,
} from '../../domain/errors.js';
import type { PaymentIntent } from '../../domain/payment-intent.js';
import type { SubscriptionStarter } from '../billing/ports.js';
import { type CustomerDeps, createCustomer } from '../merchant-customers/customers.js';
import { attachPaymentMethod } from '../merchant-customers/payment-methods.js';
import type { PaymentIntentDeps } from '../payment-intents/common.js';
import { confirmPaymentIntent, createPaymentIntent } from '../payment-intents/intents.js';
import type { CheckoutMerchants } from './ports.js';
import { type CheckoutDeps, closeSession, expireIfDue } from './sessions.js';

export interface CheckoutPageDeps extends Pick<CheckoutDeps, 'sessions' | 'clock' | 'objectView'> {
  merchants: CheckoutMerchants;
  paymentIntents: () => Promise<PaymentIntentDeps>;
  customers: () => Promise<CustomerDeps>;
  subscriptions: () => Promise<SubscriptionStarter>;
}

/** The payer did not complete 3-D Secure: the page asks for a card again (402). */
export class AuthenticationFailedError extends DomainError {
  override readonly name = 'AuthenticationFailedError';
  constructor() {
    super('PAYMENT_DECLINED', 'The card could not be authenticated', {
      declineCode: 'authentication_failed',
    });
  }
}

/** Another submission of the same session is paying it right now (409): the page says so. */
export class CheckoutInProgressError extends DomainError {
  override readonly name = 'CheckoutInProgressError';
  constructor() {
    super('IDEMPOTENCY_IN_PROGRESS', 'This checkout is being paid; reload the page in a moment');
  }
}

export type CheckoutOutcome =
  | { kind: 'complete'; session: CheckoutSession }
  | { kind: 'authenticate'; url: string };

export interface PageView {
  session: CheckoutSession;
  merchantName: string;
}

/** The session and whose it is, for its page; one past its expiry is expired now, durably. */
export async function showCheckoutSession(sessionId: string, deps: CheckoutPageDeps): Promise<PageView> {
  const found = await deps.sessions.find(sessionId);
  if (found === undefined) throw new NotFoundError('Checkout session');
  const session = await expireIfDue(found, deps);
  const merchant = await deps.merchants.get(session.merchantId);
  return { session, merchantName: merchant?.name ?? 'Merchant' };
}

export interface PayCommand {
  sessionId: string;
  paymentMethodId: string;
  /** The payer's email, when the session had none preset. */
  email?: string | undefined;
  /** Where 3-D Secure sends the payer back to (`/checkout/{id}/return`). */
  returnUrl: string;
}

/**
 * 1. The session must be open and not past its expiry (else 409 complete, 410 expired).
 * 2. Payment mode: the session's PaymentIntent (its id derived from the session) is created once, the
 *    session claimed for it (open, not past its expiry: one conditional write), then it is confirmed
 *    with the card; 3-D Secure answers where to authenticate. Subscription mode: a customer
 *    (the session's, or one from the email), the card attached, then the subscription started once.
 * 3. Paid: open → complete with `checkout.session.completed`, one conditional write.
 */
export async function payCheckoutSession(
  command: PayCommand,
  deps: CheckoutPageDeps,
): Promise<CheckoutOutcome> {
  const { session } = await showCheckoutSession(command.sessionId, deps);
  assertPayable(session, deps.clock.now());
  if (session.customerEmail === null && session.customerId === null && command.email === undefined)
    throw new ValidationError('An email is needed for the receipt');
  const payer = { ...session, customerEmail: session.customerEmail ?? command.email ?? null };
  if (session.sessionMode === 'subscription') return startSubscription(payer, command, deps);
  const intents = await deps.paymentIntents();
  // The payer as a customer of the merchant, as any PaymentIntent's: its receipt goes to their email.
  const customerId = payer.customerId ?? (await sessionCustomer(payer, deps)).customerId;
  const intent = await sessionIntent({ ...payer, customerId }, intents);
  if (intent.status === 'succeeded' || intent.status === 'requires_action')
    return outcomeOf(payer, intent, deps);
  await claimFor(session, intent.intentId, deps);
  try {
    const confirmed = await confirmPaymentIntent(
      {
        tenant: session,
        intentId: intent.intentId,
        paymentMethodId: command.paymentMethodId,
        returnUrl: command.returnUrl,
      },
      intents,
    );
    return await outcomeOf({ ...payer, customerId }, confirmed, deps);
  } catch (error) {
    if (!(error instanceof ConcurrentModificationError)) throw error;
    // The twin submission claimed the attempt first: its outcome is this one's.
    const now = await intents.intents.get(session, intent.intentId);
    if (now?.status === 'succeeded') return outcomeOf({ ...payer, customerId }, now, deps);
    throw new CheckoutInProgressError();
  }
}

/** Back from 3-D Secure: the PaymentIntent asks the processor how it went, then the session completes. */
export async function returnFromAuthentication(
  sessionId: string,
  deps: CheckoutPageDeps,
): Promise<CheckoutOutcome> {
  const { session } = await showCheckoutSession(sessionId, deps);
  if (session.status === 'complete') return { kind: 'complete', session };
  assertPayable(session, deps.clock.now());
  const intents = await deps.paymentIntents();
  const intent = await intents.intents.get(session, intentIdOf(session, intents));
  if (intent === undefined) throw new AuthenticationFailedError();
  const after =
    intent.status === 'requires_action'
      ? await confirmPaymentIntent({ tenant: session, intentId: intent.intentId }, intents)
      : intent;
  if (after.status !== 'succeeded') throw new AuthenticationFailedError();
  return outcomeOf(session, after, deps);
}

/**
 * The session claimed for its PaymentIntent before any money can move: open and not past its expiry, one
 * conditional write. From then on an expiry cancels the intent first, or leaves the session to its payment.
 */
async function claimFor(session: CheckoutSession, intentId: string, deps: CheckoutPageDeps): Promise<void> {
  const now = deps.clock.now();
  const stored = await deps.sessions.claim(session, intentId, now);
  assertPayable(stored, now);
  if (stored.paymentIntentId !== intentId || isPastExpiry(stored, now))
    throw new CheckoutSessionClosedError('expired');
}

function intentIdOf(session: CheckoutSession, intents: PaymentIntentDeps): string {
  return intents.ids.derive('pi_', session.merchantId, session.mode, idempotencyKeyOf(session));
}

function idempotencyKeyOf(session: CheckoutSession): string {
  return `checkout:${session.sessionId}`;
}

function sessionIntent(session: CheckoutSession, intents: PaymentIntentDeps): Promise<PaymentIntent> {
  return createPaymentIntent(
    {
      tenant: session,
      idempotencyKey: idempotencyKeyOf(session),
      amount: session.amountTotal,
      currency: session.currency,
      captureMethod: 'automatic',
      customerId: session.customerId ?? undefined,
      description: `Checkout ${session.sessionId}`,
      metadata: { checkout_session: session.sessionId },
    },
    intents,
  );
}

async function outcomeOf(
  session: CheckoutSession,
  intent: PaymentIntent,
  deps: CheckoutPageDeps,
): Promise<CheckoutOutcome> {
  if (intent.status === 'requires_action' && intent.nextActionUrl !== null)
    return { kind: 'authenticate', url: intent.nextActionUrl };
  if (intent.status !== 'succeeded') throw new CheckoutInProgressError();
  return complete(
    session,
    {
      paymentIntentId: intent.intentId,
      ...(session.customerId === null ? {} : { customerId: session.customerId }),
    },
    deps,
  );
}

async function complete(
  session: CheckoutSession,
  paid: { paymentIntentId?: string; subscriptionId?: string; customerId?: string },
  deps: CheckoutPageDeps,
): Promise<CheckoutOutcome> {
  const closed = await closeSession(completed(session, paid, deps.clock.now()), deps);
  if (closed.status !== 'complete')
    throw new CheckoutSessionClosedError(closed.status === 'open' ? 'expired' : closed.status);
  return { kind: 'complete', session: closed };
}

/** The page acts for the merchant who made the session, within what the session allows it. */
function sessionCaller(session: CheckoutSession) {
  return {
    merchantId: session.merchantId,
    mode: session.mode,
    keyId: idempotencyKeyOf(session),
    scopes: ['customers:read' as const, 'customers:write' as const],
  };
}

/** The session's customer, made once from the payer's email (keyed by the session). */
async function sessionCustomer(session: CheckoutSession, deps: CheckoutPageDeps) {
  return createCustomer(
    sessionCaller(session),
    session.customerEmail === null ? {} : { email: session.customerEmail },
    idempotencyKeyOf(session),
    await deps.customers(),
  );
}

async function startSubscription(
  session: CheckoutSession,
  command: PayCommand,
  deps: CheckoutPageDeps,
): Promise<CheckoutOutcome> {
  const customers = await deps.customers();
  const key = idempotencyKeyOf(session);
  const caller = sessionCaller(session);
  const customerId = session.customerId ?? (await sessionCustomer(session, deps)).customerId;
  // A test token (`pm_card_visa`) attaches a card made from it: that card is the one to charge.
  const card = await attachPaymentMethod(caller, customerId, command.paymentMethodId, key, customers);
  const subscription = await (await deps.subscriptions()).start({
    tenant: { merchantId: session.merchantId, mode: session.mode },
    customerId,
    items: session.lineItems.map((line) => ({ priceId: line.priceId, quantity: line.quantity })),
    paymentMethodId: card.paymentMethodId,
    idempotencyKey: key,
  });
  return complete(session, { subscriptionId: subscription.subscriptionId, customerId }, deps);
}
