/**
 * Invoices (API.md "Billing and checkout"): draft → open (finalized: numbered without gaps per merchant and
 * mode, its PDF rendered, emailed) → paid | uncollectible | void. An open invoice past its due date reads
 * `overdue`. A paid invoice is a payment like any other (a PaymentIntent: ledger, fees, settlement, receipts).
 */
import type { Tenant } from './customer.js';
import { InvalidStateTransitionError } from './errors.js';

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

// --- Rules ------------------------------------------------------------------------------------------------

export const INVOICE_STATUSES = ['draft', 'open', 'paid', 'uncollectible', 'void'] as const;

/** Days after finalization an invoice is due when the request names none (Stripe's default, 30). */
export const DEFAULT_DUE_DAYS = 30;

export type InvoiceAction = 'finalize' | 'pay' | 'void' | 'mark_uncollectible' | 'edit';

/** From which statuses each action is allowed (Stripe's: an uncollectible invoice may still be paid or voided). */
const ALLOWED: Readonly<Record<InvoiceAction, readonly InvoiceStatus[]>> = {
  edit: ['draft'],
  finalize: ['draft'],
  pay: ['open', 'uncollectible'],
  void: ['open', 'uncollectible'],
  mark_uncollectible: ['open'],
};

/** INVALID_STATE_TRANSITION (409) unless `action` is allowed from the invoice's status. */
export function assertInvoiceAction(invoice: Pick<Invoice, 'status'>, action: InvoiceAction): void {
  if (!ALLOWED[action].includes(invoice.status))
    throw new InvalidStateTransitionError(invoice.status, action);
}

export function canInvoice(invoice: Pick<Invoice, 'status'>, action: InvoiceAction): boolean {
  return ALLOWED[action].includes(invoice.status);
}

/** A line: quantity × unit amount. */
export function lineOf(line: Omit<InvoiceLine, 'amount'>): InvoiceLine {
  return { ...line, amount: line.quantity * line.unitAmount };
}

/** The totals of a set of lines: no tax input exists (API.md), so tax is 0 and the total is the subtotal. */
export function totalsOf(
  lines: readonly InvoiceLine[],
): Pick<Invoice, 'subtotal' | 'tax' | 'total' | 'amountDue' | 'amountPaid'> {
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  return { subtotal, tax: 0, total: subtotal, amountDue: subtotal, amountPaid: 0 };
}

/** The invoice number: the merchant's prefix (its id, upper case, letters and digits only) and the sequence. */
export function invoiceNumber(merchantId: string, sequence: number): string {
  const prefix = merchantId
    .replace(/[^A-Za-z0-9]/g, '')
    .toUpperCase()
    .slice(0, 12);
  return `${prefix}-${String(sequence).padStart(4, '0')}`;
}

/** Finalized: `open`, numbered, due `dueDays` after now. */
export function finalizedInvoice(invoice: Invoice, number: string, now: Date): Invoice {
  assertInvoiceAction(invoice, 'finalize');
  const at = now.toISOString();
  return {
    ...invoice,
    status: 'open',
    number,
    finalizedAt: at,
    dueDate: new Date(now.getTime() + invoice.dueDays * 86_400_000).toISOString(),
    updatedAt: at,
  };
}

/** A draft edited: its lines replaced (totals recomputed) and/or its due days; 409 once it is not a draft. */
export function editedInvoice(
  invoice: Invoice,
  edit: { lines?: readonly InvoiceLine[] | undefined; dueDays?: number | undefined },
  at: string,
): Invoice {
  assertInvoiceAction(invoice, 'edit');
  const lines = edit.lines ?? invoice.lines;
  return { ...invoice, lines, ...totalsOf(lines), dueDays: edit.dueDays ?? invoice.dueDays, updatedAt: at };
}

/** Paid by the PaymentIntent `paymentIntentId`: nothing more is due. */
export function paidInvoice(invoice: Invoice, paymentIntentId: string, at: string): Invoice {
  assertInvoiceAction(invoice, 'pay');
  return {
    ...invoice,
    status: 'paid',
    amountPaid: invoice.total,
    amountDue: 0,
    paymentIntentId,
    lastPaymentError: null,
    paidAt: at,
    updatedAt: at,
  };
}

export function voidedInvoice(invoice: Invoice, at: string): Invoice {
  assertInvoiceAction(invoice, 'void');
  return { ...invoice, status: 'void', voidedAt: at, updatedAt: at };
}

export function uncollectibleInvoice(invoice: Invoice, at: string): Invoice {
  assertInvoiceAction(invoice, 'mark_uncollectible');
  return { ...invoice, status: 'uncollectible', updatedAt: at };
}

/** An open (or uncollectible) invoice past its due date reads `overdue`. */
export function isOverdue(invoice: Pick<Invoice, 'status' | 'dueDate'>, now: Date): boolean {
  return (
    (invoice.status === 'open' || invoice.status === 'uncollectible') &&
    invoice.dueDate !== null &&
    Date.parse(invoice.dueDate) < now.getTime()
  );
}
