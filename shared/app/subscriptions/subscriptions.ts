/**
 * A merchant's subscriptions through the merchant API (API.md "Billing and checkout"): create (billing the
 * first period at once, or starting a trial), read, list, cancel now or at period end; and the
 * SubscriptionStarter hosted checkout calls. Each later period is the steps' (steps.ts): the subscription's
 * next step is always scheduled (EventBridge Scheduler → the steps queue).
 */
import type { Tenant } from '../../domain/customer.js';
import { InvalidStateTransitionError, NotFoundError, ValidationError } from '../../domain/errors.js';
import type { Invoice } from '../../domain/invoice.js';
import { assertScope, type MerchantCaller } from '../../domain/merchant.js';
import type { Price } from '../../domain/price.js';
import {
  billingTermsOf,
  nextStepOf,
  periodEndOf,
  type Subscription,
  type SubscriptionStatus,
} from '../../domain/subscription.js';
import type {
  PriceReader,
  SubscriptionInvoicing,
  SubscriptionStarter,
  SubscriptionToStart,
} from '../billing/ports.js';
import type { CursorCodec } from '../cursor.js';
import type { Clock, Ids } from '../ports.js';
import { subscriptionEvent } from './events.js';
import type {
  StoredSubscription,
  SubscriptionCustomers,
  SubscriptionSchedule,
  SubscriptionStore,
} from './ports.js';

export interface SubscriptionSettings {
  /** Seconds before each dunning retry (DUNNING_SCHEDULE). */
  dunning: readonly number[];
  /** SUBSCRIPTION_PERIOD_SECONDS: a month is this many seconds (the local stack and tests only). */
  secondsPerMonth?: number;
}

export interface SubscriptionDeps {
  subscriptions: SubscriptionStore;
  customers: SubscriptionCustomers;
  prices: PriceReader;
  invoicing: SubscriptionInvoicing;
  schedule: SubscriptionSchedule;
  ids: Ids;
  clock: Clock;
  settings: SubscriptionSettings;
  /** The subscription as the merchant API shows it, for its events' `object` (webhooks). */
  objectView: (subscription: Subscription) => Record<string, unknown>;
}

export interface CreateSubscriptionRequest {
  customer: string;
  items: readonly { price: string; quantity?: number | undefined }[];
  trial_period_days?: number | undefined;
  metadata?: Readonly<Record<string, string>> | undefined;
}

const DAY_MS = 86_400_000;

/**
 * 1. `billing:write`. The customer and every price must be the tenant's (400); the prices recurring, in one
 *    currency, at one interval (400 VALIDATION_ERROR); without a trial the customer needs a default
 *    payment method (400 VALIDATION_ERROR, nothing created).
 * 2. The id derives from the Idempotency-Key when one is sent: the same key returns the same subscription.
 * 3. Without a trial the first period is billed at once (idempotent per subscription and period): paid →
 *    `active`, declined → `past_due` with dunning retry 1 scheduled; with one, `trialing` until `trial_end`,
 *    when the renewal step bills the first period.
 */
export async function createSubscription(
  caller: MerchantCaller,
  request: CreateSubscriptionRequest,
  idempotencyKey: string | undefined,
  deps: SubscriptionDeps,
): Promise<Subscription> {
  assertScope(caller, 'billing:write');
  return startSubscription(
    {
      tenant: { merchantId: caller.merchantId, mode: caller.mode },
      customerId: request.customer,
      items: request.items.map((item) => ({ priceId: item.price, quantity: item.quantity ?? 1 })),
      ...(request.trial_period_days === undefined ? {} : { trialPeriodDays: request.trial_period_days }),
      idempotencyKey: idempotencyKey ?? deps.ids.next('key_'),
    },
    deps,
    request.metadata,
  );
}

/** The SubscriptionStarter hosted checkout calls (a subscription-mode session, paid). */
export function subscriptionStarter(deps: SubscriptionDeps): SubscriptionStarter {
  return { start: (subscription) => startSubscription(subscription, deps) };
}

async function startSubscription(
  request: SubscriptionToStart,
  deps: SubscriptionDeps,
  metadata?: Readonly<Record<string, string>>,
): Promise<Subscription> {
  const { tenant } = request;
  const subscriptionId = deps.ids.derive('sub_', tenant.merchantId, tenant.mode, request.idempotencyKey);
  const earlier = await deps.subscriptions.get(tenant, subscriptionId);
  if (earlier !== undefined) return scheduled(earlier, deps);

  const customer = await deps.customers.get(tenant, request.customerId);
  if (customer === undefined)
    throw invalid('customer', `No such customer: ${request.customerId.slice(0, 64)}`);
  const prices = await pricesOf(tenant, request.items, deps);
  const { currency, interval } = billingTermsOf(prices);
  const trialDays = request.trialPeriodDays;
  if (request.paymentMethodId !== undefined && customer.defaultPaymentMethod !== request.paymentMethodId)
    await deps.customers.setDefaultPaymentMethod(tenant, customer.customerId, request.paymentMethodId);
  else if (trialDays === undefined && customer.defaultPaymentMethod === undefined)
    throw invalid('customer', 'The customer has no default_payment_method; attach one or start with a trial');

  const now = deps.clock.now();
  const start = now.toISOString();
  const trialEnd =
    trialDays === undefined ? null : new Date(now.getTime() + trialDays * DAY_MS).toISOString();
  const draft: Subscription = {
    subscriptionId,
    merchantId: tenant.merchantId,
    mode: tenant.mode,
    customerId: customer.customerId,
    items: request.items.map((item, index) => ({
      itemId: deps.ids.derive('si_', subscriptionId, String(index)),
      priceId: item.priceId,
      quantity: item.quantity,
    })),
    currency,
    interval,
    status: 'trialing',
    currentPeriodStart: start,
    currentPeriodEnd: trialEnd ?? periodEndOf(now, interval, deps.settings.secondsPerMonth).toISOString(),
    trialEnd,
    cancelAtPeriodEnd: false,
    canceledAt: null,
    latestInvoiceId: null,
    dunningAttempt: 0,
    ...(metadata === undefined ? {} : { metadata }),
    createdAt: start,
    updatedAt: start,
  };
  const subscription = trialEnd === null ? billedFirst(draft, await billCurrentPeriod(draft, deps)) : draft;
  const created = await deps.subscriptions.create(
    subscription,
    subscriptionEvent('customer.subscription.created', subscription, 1, deps.objectView),
  );
  return scheduled(created, deps);
}

/** The first period billed: paid → active; declined → past_due, dunning retry 1 next. */
function billedFirst(subscription: Subscription, invoice: Invoice): Subscription {
  const paid = invoice.status === 'paid';
  return {
    ...subscription,
    status: paid ? 'active' : 'past_due',
    latestInvoiceId: invoice.invoiceId,
    dunningAttempt: paid ? 0 : 1,
  };
}

/** Bills the subscription's current period (idempotent on the subscription and the period's start). */
export function billCurrentPeriod(subscription: Subscription, deps: Pick<SubscriptionDeps, 'invoicing'>) {
  return deps.invoicing.billPeriod({
    tenant: { merchantId: subscription.merchantId, mode: subscription.mode },
    subscriptionId: subscription.subscriptionId,
    customerId: subscription.customerId,
    items: subscription.items.map((item) => ({ priceId: item.priceId, quantity: item.quantity })),
    periodStart: subscription.currentPeriodStart,
    periodEnd: subscription.currentPeriodEnd,
  });
}

/**
 * Makes sure the subscription's next step is scheduled: its renewal at the period's end, or its next retry
 * that long after its last change (a deterministic time, so a repeat names the same schedule).
 */
export async function scheduled(
  stored: StoredSubscription,
  deps: Pick<SubscriptionDeps, 'schedule' | 'settings'>,
): Promise<Subscription> {
  const next = nextStepOf(stored.subscription, deps.settings.dunning);
  if (next !== undefined) await deps.schedule.scheduleAt(next.step, next.at);
  return stored.subscription;
}

async function pricesOf(
  tenant: Tenant,
  items: SubscriptionToStart['items'],
  deps: Pick<SubscriptionDeps, 'prices'>,
): Promise<Price[]> {
  if (items.length === 0) throw invalid('items', 'A subscription needs at least one item');
  const prices: Price[] = [];
  for (const [index, item] of items.entries()) {
    const price = await deps.prices.get(tenant, item.priceId);
    if (price === undefined)
      throw invalid(`items.${index}.price`, `No such price: ${item.priceId.slice(0, 64)}`);
    if (!price.active) throw invalid(`items.${index}.price`, `Price ${price.priceId} is not active`);
    prices.push(price);
  }
  return prices;
}

function invalid(path: string, message: string): ValidationError {
  return new ValidationError(message, { issues: [{ path, message }] });
}

/** One of the caller's subscriptions (`billing:read`); another merchant's or mode's is NOT_FOUND. */
export async function getSubscription(
  caller: MerchantCaller,
  subscriptionId: string,
  deps: Pick<SubscriptionDeps, 'subscriptions'>,
): Promise<Subscription> {
  assertScope(caller, 'billing:read');
  const stored = await deps.subscriptions.get(caller, subscriptionId);
  if (stored === undefined) throw new NotFoundError('Subscription');
  return stored.subscription;
}

/** A page of the caller's subscriptions, newest first; the cursor is bound to the caller and the filters. */
export async function listSubscriptions(
  caller: MerchantCaller,
  query: {
    limit: number;
    cursor?: string | undefined;
    customer?: string | undefined;
    status?: SubscriptionStatus | undefined;
  },
  deps: Pick<SubscriptionDeps, 'subscriptions'> & { cursors: CursorCodec },
): Promise<{ subscriptions: Subscription[]; nextCursor: string | null }> {
  assertScope(caller, 'billing:read');
  const list = `subscriptions:${caller.merchantId}:${caller.mode}:${query.customer ?? ''}:${query.status ?? ''}`;
  const after = query.cursor === undefined ? undefined : deps.cursors.decode(list, query.cursor);
  const page = await deps.subscriptions.list(caller, {
    limit: query.limit,
    ...(query.customer === undefined ? {} : { customerId: query.customer }),
    ...(query.status === undefined ? {} : { status: query.status }),
    ...(after === undefined ? {} : { after }),
  });
  return {
    subscriptions: page.items,
    nextCursor: page.after === undefined ? null : deps.cursors.encode(list, page.after),
  };
}

/**
 * Cancels now (→ `canceled`, `canceled_at`, `customer.subscription.deleted`; its pending step then does
 * nothing) or at period end (`cancel_at_period_end: true`, `customer.subscription.updated`; the renewal ends
 * it). A canceled subscription cannot be canceled again (409); asking for period end twice changes nothing.
 */
export async function cancelSubscription(
  caller: MerchantCaller,
  subscriptionId: string,
  atPeriodEnd: boolean,
  deps: Pick<SubscriptionDeps, 'subscriptions' | 'clock' | 'objectView'>,
): Promise<Subscription> {
  assertScope(caller, 'billing:write');
  const stored = await deps.subscriptions.get(caller, subscriptionId);
  if (stored === undefined) throw new NotFoundError('Subscription');
  const { subscription: current, version } = stored;
  if (current.status === 'canceled') throw new InvalidStateTransitionError('canceled', 'cancel');
  if (atPeriodEnd && current.cancelAtPeriodEnd) return current;
  const at = deps.clock.now().toISOString();
  const next: Subscription = atPeriodEnd
    ? { ...current, cancelAtPeriodEnd: true, updatedAt: at }
    : { ...current, status: 'canceled', canceledAt: at, updatedAt: at };
  const type = atPeriodEnd ? 'customer.subscription.updated' : 'customer.subscription.deleted';
  const changed = await deps.subscriptions.change(
    next,
    version,
    subscriptionEvent(type, next, version + 1, deps.objectView, current),
  );
  return changed.subscription;
}
