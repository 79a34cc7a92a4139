/**
 * The seams between the billing features (API.md "Billing and checkout"), built by several hands at once:
 * - catalogue and invoices (shared/app/invoices, shared/app/prices) implement PriceReader, InvoiceReader and
 *   SubscriptionInvoicing;
 * - subscriptions (shared/app/subscriptions) call SubscriptionInvoicing and implement SubscriptionStarter;
 * - the invoice documents (shared/app/invoice-documents) implement InvoiceDocuments over InvoiceReader;
 * - hosted checkout (shared/app/checkout) calls PriceReader and SubscriptionStarter.
 * Extend these only by adding.
 */
import type { Tenant } from '../../domain/customer.js';
import type { Invoice } from '../../domain/invoice.js';
import type { Price } from '../../domain/price.js';
import type { Subscription } from '../../domain/subscription.js';

export type { Tenant };

export interface PriceReader {
  /** The tenant's price, or undefined (another tenant's price is never found). */
  get(tenant: Tenant, priceId: string): Promise<Price | undefined>;
}

export interface InvoiceReader {
  /** The tenant's invoice, or undefined (another tenant's invoice is never found). */
  get(tenant: Tenant, invoiceId: string): Promise<Invoice | undefined>;
}

export interface PeriodToBill {
  tenant: Tenant;
  subscriptionId: string;
  customerId: string;
  items: readonly { priceId: string; quantity: number }[];
  periodStart: string;
  periodEnd: string;
}

/** How a subscription bills its periods (implemented by the invoices feature). */
export interface SubscriptionInvoicing {
  /**
   * The period's invoice: created from the items' prices, finalized (numbered, emailed) and charged once to
   * the customer's default payment method. Idempotent on (subscription, periodStart): a retried or twin call
   * returns the same invoice and charges nothing more. Returns it `paid`, or `open` with `lastPaymentError`
   * when the charge was declined; a twin that finds the charge still under way (after waiting a little)
   * throws ConcurrentModificationError rather than answer for an undecided charge, and is retried later.
   */
  billPeriod(period: PeriodToBill): Promise<Invoice>;
  /** Charges an open invoice again (dunning attempt `attempt`, 1-based), at most once per attempt. */
  retry(tenant: Tenant, invoiceId: string, attempt: number): Promise<Invoice>;
  /** After the last failed retry: the invoice is marked uncollectible (`invoice.marked_uncollectible`). */
  markUncollectible(tenant: Tenant, invoiceId: string): Promise<Invoice>;
}

/** An invoice's PDF (implemented by the invoice documents feature). */
export interface InvoiceDocuments {
  /** The finalized invoice's PDF, rendered once and kept (S3); a draft has none. */
  pdf(tenant: Tenant, invoice: Invoice): Promise<Uint8Array>;
}

export interface SubscriptionToStart {
  tenant: Tenant;
  customerId: string;
  items: readonly { priceId: string; quantity: number }[];
  /** Made the customer's default payment method first, when given (a checkout session's card). */
  paymentMethodId?: string;
  trialPeriodDays?: number;
  /** Derives the subscription id: the same key starts the same subscription once. */
  idempotencyKey: string;
}

/** Starts a subscription (implemented by the subscriptions feature; hosted checkout calls it). */
export interface SubscriptionStarter {
  start(subscription: SubscriptionToStart): Promise<Subscription>;
}
