/**
 * What an invoice's PDF shows, computed without the PDF library (the renderer, shared/adapters/pdf, only
 * lays it out): the merchant (name, email), the invoice's number and dates, the customer, each line, the
 * subtotal, tax and total, every amount in the currency's format (`$30.00`, `¥500`, `KWD 1.000`).
 *
 * A draft has no document: it has no number yet and may still change. Everything shown is fixed at
 * finalization (an open invoice's lines cannot change), so the document is rendered once and kept; it shows
 * no status, which changes later (paid, void): the invoice's API object says that.
 */
import { NotFoundError } from '../../domain/errors.js';
import type { Invoice } from '../../domain/invoice.js';
import { formatAmount } from '../../domain/money-format.js';

export interface InvoiceParty {
  name?: string;
  email?: string;
}

export interface InvoiceDocumentLine {
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  /** A subscription line's period, `2026-12-07 – 2027-01-07`. */
  period?: string;
}

export interface InvoiceDocumentModel {
  /** The PDF's title and file name stem: the invoice number. */
  number: string;
  merchant: { name: string; email?: string };
  customer: InvoiceParty;
  /** `2026-12-07` (UTC). */
  issuedOn: string;
  dueOn: string | null;
  currency: string;
  lines: readonly InvoiceDocumentLine[];
  subtotal: string;
  tax: string;
  total: string;
  amountDue: string;
  /** The PDF's creation date: the finalization, so the same invoice renders the same bytes. */
  createdAt: Date;
}

/** A draft's PDF was asked for: like Stripe (a draft's `invoice_pdf` is null), there is none until it is finalized. */
export class InvoiceHasNoPdfError extends NotFoundError {
  constructor() {
    super('The PDF of a draft invoice (finalize it first)');
  }
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

/** The invoice's document, or InvoiceHasNoPdfError for a draft (no number, no finalization). */
export function invoiceDocument(
  invoice: Invoice,
  merchant: { name: string; email?: string },
  customer: InvoiceParty,
): InvoiceDocumentModel {
  if (invoice.status === 'draft' || invoice.number === null || invoice.finalizedAt === null) {
    throw new InvoiceHasNoPdfError();
  }
  const money = (amount: number) => formatAmount(amount, invoice.currency);
  return {
    number: invoice.number,
    merchant: { name: merchant.name, ...(merchant.email === undefined ? {} : { email: merchant.email }) },
    customer: {
      ...(customer.name === undefined ? {} : { name: customer.name }),
      ...(customer.email === undefined ? {} : { email: customer.email }),
    },
    issuedOn: day(invoice.finalizedAt),
    dueOn: invoice.dueDate === null ? null : day(invoice.dueDate),
    currency: invoice.currency,
    lines: invoice.lines.map((line) => ({
      description: line.description,
      quantity: String(line.quantity),
      unitPrice: money(line.unitAmount),
      amount: money(line.amount),
      ...(line.period === undefined ? {} : { period: `${day(line.period.start)} – ${day(line.period.end)}` }),
    })),
    subtotal: money(invoice.subtotal),
    tax: money(invoice.tax),
    total: money(invoice.total),
    amountDue: money(invoice.amountDue),
    createdAt: new Date(invoice.finalizedAt),
  };
}
