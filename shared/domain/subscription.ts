/**
 * Subscriptions (API.md "Billing and checkout"): a customer billed each period for recurring prices, charged
 * to the customer's default payment method; a failed renewal is retried on `DUNNING_SCHEDULE`, then the
 * subscription is canceled. trialing → active ⇄ past_due → canceled (or cancelled by the merchant, now or at
 * period end).
 */
import type { Tenant } from './customer.js';
import { ValidationError } from './errors.js';
import type { Price, RecurringInterval } from './price.js';

export type SubscriptionStatus = 'trialing' | 'active' | 'past_due' | 'canceled' | 'unpaid';

export interface SubscriptionItem {
  itemId: string;
  priceId: string;
  quantity: number;
}

export interface Subscription extends Tenant {
  subscriptionId: string;
  customerId: string;
  items: readonly SubscriptionItem[];
  currency: string;
  interval: RecurringInterval;
  status: SubscriptionStatus;
  currentPeriodStart: string;
  currentPeriodEnd: string;
  trialEnd: string | null;
  cancelAtPeriodEnd: boolean;
  canceledAt: string | null;
  latestInvoiceId: string | null;
  /** Failed renewal charges since the last success (0 when current); the dunning retry due next. */
  dunningAttempt: number;
  /** The merchant's key-value pairs (Stripe's metadata); absent reads as none. */
  metadata?: Readonly<Record<string, string>>;
  createdAt: string;
  updatedAt: string;
}

// --- The subscriptions feature's rules (added by shared/app/subscriptions) ---------------------------------

/** `DUNNING_SCHEDULE`'s default: retries 3, 5 and 7 days after the attempt before each (API.md config). */
export const DEFAULT_DUNNING_SCHEDULE = '259200,432000,604800';

/** `DUNNING_SCHEDULE`: comma-separated whole seconds, each the wait before the next retry (`2,3,4`). */
export function parseDunningSchedule(text: string): readonly number[] {
  const waits = text.split(',').map((part) => {
    const seconds = Number(part.trim());
    if (!Number.isInteger(seconds) || seconds < 1)
      throw new ValidationError(`DUNNING_SCHEDULE: bad wait ${JSON.stringify(part)}`);
    return seconds;
  });
  if (waits.length === 0 || waits.length > 10)
    throw new ValidationError('DUNNING_SCHEDULE: one to ten waits');
  return waits;
}

/**
 * The end of a period that starts at `start`: a calendar month or year later (UTC, the day clamped to the
 * month's last: Jan 31 → Feb 28), or, where `secondsPerMonth` is set (SUBSCRIPTION_PERIOD_SECONDS, the local
 * stack and tests only), that many seconds per month (a year is twelve).
 */
export function periodEndOf(start: Date, interval: RecurringInterval, secondsPerMonth?: number): Date {
  const months = interval === 'year' ? 12 : 1;
  if (secondsPerMonth !== undefined) return new Date(start.getTime() + months * secondsPerMonth * 1_000);
  const end = new Date(start.getTime());
  const day = end.getUTCDate();
  end.setUTCDate(1);
  end.setUTCMonth(end.getUTCMonth() + months);
  const last = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate();
  end.setUTCDate(Math.min(day, last));
  return end;
}

/** The longest trial Stripe takes (730 days). */
export const MAX_TRIAL_DAYS = 730;

/** The items' prices must all be recurring, in one currency and at one interval (400 VALIDATION_ERROR). */
export function billingTermsOf(prices: readonly Price[]): { currency: string; interval: RecurringInterval } {
  const [first] = prices;
  if (first === undefined) throw new ValidationError('A subscription needs at least one item');
  for (const price of prices) {
    if (price.recurring === null)
      throw new ValidationError(`Price ${price.priceId} is not recurring`, { field: 'items' });
    if (price.currency !== first.currency)
      throw new ValidationError('All prices of a subscription must be in one currency', { field: 'items' });
    if (price.recurring.interval !== first.recurring?.interval)
      throw new ValidationError('All prices of a subscription must bill at one interval', { field: 'items' });
  }
  return { currency: first.currency, interval: first.recurring?.interval ?? 'month' };
}

/** A step the subscription's schedule runs: its renewal (attempt 0) or dunning retry `attempt` of a period. */
export interface SubscriptionStep extends Tenant {
  subscriptionId: string;
  /** The current period's start when the step was scheduled: a step of an earlier period does nothing. */
  periodStart: string;
  attempt: number;
}

/** Whether `step` is the one the subscription waits for now (else it is a duplicate, late or stale). */
export function isDueStep(subscription: Subscription, step: SubscriptionStep): boolean {
  if (subscription.currentPeriodStart !== step.periodStart) return false;
  if (step.attempt === 0) return subscription.status === 'active' || subscription.status === 'trialing';
  return subscription.status === 'past_due' && subscription.dunningAttempt === step.attempt;
}

/**
 * The step the subscription waits for, and when: the renewal at the period's end, or the next dunning retry
 * its wait after the subscription's last change (the failed attempt); none once it is canceled.
 */
export function nextStepOf(
  subscription: Subscription,
  dunning: readonly number[],
): { step: SubscriptionStep; at: Date } | undefined {
  const { merchantId, mode, subscriptionId, currentPeriodStart: periodStart } = subscription;
  if (subscription.status === 'canceled' || subscription.status === 'unpaid') return undefined;
  if (subscription.status === 'past_due') {
    const wait = dunning[subscription.dunningAttempt - 1];
    if (wait === undefined) return undefined;
    return {
      step: { merchantId, mode, subscriptionId, periodStart, attempt: subscription.dunningAttempt },
      at: new Date(Date.parse(subscription.updatedAt) + wait * 1_000),
    };
  }
  return {
    step: { merchantId, mode, subscriptionId, periodStart, attempt: 0 },
    at: new Date(subscription.currentPeriodEnd),
  };
}
