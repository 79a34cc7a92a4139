/**
 * Subscriptions (API.md "Billing and checkout"): a customer billed each period for recurring prices, charged
 * to the customer's default payment method; a failed renewal is retried on `DUNNING_SCHEDULE`, then the
 * subscription is canceled. trialing → active ⇄ past_due → canceled (or cancelled by the merchant, now or at
 * period end).
 */
import type { Tenant } from './customer.js';
import type { RecurringInterval } from './price.js';

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
  createdAt: string;
  updatedAt: string;
}
