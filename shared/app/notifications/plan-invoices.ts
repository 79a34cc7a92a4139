/**
 * The invoice emails to the invoice's customer (by the customer's email; none without one, and that is no
 * error): `invoice.finalized` → the invoice with its PDF attached; `invoice.paid` → a receipt;
 * `invoice.payment_failed` → the decline, the invoice still open. Amounts in the invoice's currency format,
 * with the merchant's name and the invoice's number.
 */
import type { DomainEvent } from '../../domain/events.js';
import type { NotificationTemplate } from '../../domain/notification.js';
import type { PlannedNotification } from './plan.js';
import type { InvoiceAttachments, NotificationRecipients } from './ports.js';
import { renderEmail, type TemplateData } from './templates.js';

type InvoiceEvent = Extract<
  DomainEvent,
  { type: 'invoice.finalized' | 'invoice.paid' | 'invoice.payment_failed' }
>;

const templates: Readonly<Record<InvoiceEvent['type'], NotificationTemplate>> = {
  'invoice.finalized': 'invoice_finalized',
  'invoice.paid': 'invoice_receipt',
  'invoice.payment_failed': 'invoice_payment_failed',
};

/** The due date the invoice's API object shows (`due_date`, epoch seconds, as Stripe's), as `2027-01-06`. */
function dueOn(object: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const due = object?.['due_date'];
  return typeof due === 'number' && Number.isFinite(due)
    ? new Date(due * 1000).toISOString().slice(0, 10)
    : undefined;
}

export async function planInvoiceEmail(
  event: InvoiceEvent,
  recipients: NotificationRecipients,
  attachments: InvoiceAttachments | undefined,
): Promise<PlannedNotification[]> {
  const d = event.detail;
  const tenant = { merchantId: d.merchantId, mode: d.mode };
  const [merchant, customer] = await Promise.all([
    recipients.merchant(d.merchantId),
    recipients.customer(tenant, d.customerId),
  ]);
  if (merchant === undefined || customer?.email === undefined) return [];
  const due = event.type === 'invoice.finalized' ? dueOn(d.object) : undefined;
  const data: TemplateData = {
    merchantName: merchant.name,
    amount: event.type === 'invoice.paid' ? d.total : d.amountDue,
    currency: d.currency,
    reference: d.number ?? d.invoiceId,
    ...(d.failureCode === undefined ? {} : { reason: d.failureCode }),
    ...(due === undefined ? {} : { dueOn: due }),
  };
  const template = templates[event.type];
  const message = renderEmail(template, customer.email, data);
  if (event.type !== 'invoice.finalized' || attachments === undefined) return [{ template, message }];
  const pdf = await attachments.pdf(tenant, d.invoiceId);
  if (pdf === undefined) return [{ template, message }];
  return [
    {
      template,
      message: {
        ...message,
        attachments: [{ fileName: pdf.fileName, contentType: 'application/pdf', content: pdf.content }],
      },
    },
  ];
}
