/**
 * Invoices (API.md "Billing and checkout"): draft → open (finalized: numbered without gaps per merchant and
 * mode, its PDF rendered, emailed) → paid | uncollectible | void. An open invoice past its due date reads
 * `overdue`. A paid invoice is a payment like any other (a PaymentIntent: ledger, fees, settlement, receipts).
 */
import type { Tenant } from './customer.js';

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';

export interface InvoiceLine {
  lineId: string;
  /** The price the line bills, or null for an ad hoc line (`{amount, description}`). */
  priceId: string | null;
  description: string;
  quantity: number;
  /** Minor units per unit. */
  unitAmount: number;
  /** quantity × unitAmount. */
  amount: number;
  /** The subscription period the line bills (ISO 8601), for a subscription's invoice. */
  period?: { start: string; end: string };
}

export interface Invoice extends Tenant {
  invoiceId: string;
  customerId: string;
  /** The subscription whose period this invoice bills, or null. */
  subscriptionId: string | null;
  status: InvoiceStatus;
  /** Given at finalization, gap-free per merchant and mode (`MCHDEMO-0001`); null while a draft. */
  number: string | null;
  currency: string;
  lines: readonly InvoiceLine[];
  subtotal: number;
  tax: number;
  total: number;
  amountPaid: number;
  amountDue: number;
  /** Days after finalization the invoice is due. */
  dueDays: number;
  /** Set at finalization (finalizedAt + dueDays). */
  dueDate: string | null;
  /** The PaymentIntent of the latest charge, when one was made. */
  paymentIntentId: string | null;
  /** How many charges were attempted (a subscription's dunning retries count here). */
  attemptCount: number;
  lastPaymentError: { code: string; declineCode: string | null; message: string } | null;
  createdAt: string;
  updatedAt: string;
  finalizedAt: string | null;
  paidAt: string | null;
  voidedAt: string | null;
}
