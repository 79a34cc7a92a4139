/**
 * Products and prices (API.md "Billing and checkout"): what a merchant sells, and at what price, per currency,
 * in the currency's minor unit; a recurring price bills every month or year (subscriptions), a one-time price
 * once (invoices, checkout). Each belongs to one merchant and one mode.
 */
import type { Tenant } from './customer.js';

export interface Product extends Tenant {
  productId: string;
  name: string;
  description: string | null;
  active: boolean;
  metadata: Readonly<Record<string, string>>;
  createdAt: string;
  updatedAt: string;
}

export type RecurringInterval = 'month' | 'year';

export interface Price extends Tenant {
  priceId: string;
  productId: string;
  /** Minor units of `currency`, a non-negative integer. */
  unitAmount: number;
  /** ISO 4217, upper case. */
  currency: string;
  /** Absent for a one-time price. */
  recurring: { interval: RecurringInterval } | null;
  active: boolean;
  createdAt: string;
}

export const PRICE_TYPES = ['one_time', 'recurring'] as const;
export type PriceType = (typeof PRICE_TYPES)[number];

/** Stripe's `type`: a price with a recurring interval bills every period, any other once. */
export function priceType(price: Pick<Price, 'recurring'>): PriceType {
  return price.recurring === null ? 'one_time' : 'recurring';
}
