import { type Invoice, isOverdue } from '../../domain/invoice.js';
import { listView } from './list.js';

function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

export interface InvoiceViewOptions {
  /** The absolute URL of one of the API's paths (the request's `url`), for `invoice_pdf`. */
  url: (path: string) => string;
  /** When `overdue` is judged (now). */
  now?: Date;
}

/** The PDF's path: served by the invoice documents (`GET /v1/invoices/{id}/pdf`) once the invoice is final. */
export function invoicePdfPath(invoiceId: string): string {
  return `/v1/invoices/${invoiceId}/pdf`;
}

/** An invoice as the merchant API shows it (Stripe's Invoice); tax is 0, there being no tax input. */
export function invoiceView(invoice: Invoice, options: InvoiceViewOptions) {
  return {
    id: invoice.invoiceId,
    object: 'invoice' as const,
    number: invoice.number,
    status: invoice.status,
    customer: invoice.customerId,
    subscription: invoice.subscriptionId,
    currency: invoice.currency,
    lines: listView(
      invoice.lines.map((line) => ({
        id: line.lineId,
        object: 'line_item' as const,
        price: line.priceId,
        description: line.description === '' ? null : line.description,
        quantity: line.quantity,
        unit_amount: line.unitAmount,
        amount: line.amount,
        currency: invoice.currency,
        period:
          line.period === undefined
            ? null
            : { start: epochSeconds(line.period.start), end: epochSeconds(line.period.end) },
      })),
      null,
    ),
    subtotal: invoice.subtotal,
    tax: invoice.tax,
    total: invoice.total,
    amount_due: invoice.amountDue,
    amount_paid: invoice.amountPaid,
    amount_remaining: invoice.amountDue,
    due_date: invoice.dueDate === null ? null : epochSeconds(invoice.dueDate),
    overdue: isOverdue(invoice, options.now ?? new Date()),
    payment_intent: invoice.paymentIntentId,
    attempt_count: invoice.attemptCount,
    last_payment_error:
      invoice.lastPaymentError === null
        ? null
        : {
            code: invoice.lastPaymentError.code,
            decline_code: invoice.lastPaymentError.declineCode,
            message: invoice.lastPaymentError.message,
          },
    invoice_pdf: invoice.number === null ? null : options.url(invoicePdfPath(invoice.invoiceId)),
    status_transitions: {
      finalized_at: invoice.finalizedAt === null ? null : epochSeconds(invoice.finalizedAt),
      paid_at: invoice.paidAt === null ? null : epochSeconds(invoice.paidAt),
      voided_at: invoice.voidedAt === null ? null : epochSeconds(invoice.voidedAt),
    },
    livemode: invoice.mode === 'live',
    created: epochSeconds(invoice.createdAt),
  };
}
