/**
 * Which messages a domain event asks for, rendered: to whom, on which channel, from which template.
 *
 * - `payment_intent.succeeded` → a receipt to the customer's email;
 * - `payment_intent.payment_failed` → an email to the customer, and an SMS to the customer's phone;
 * - `refund.created` | `refund.updated` once `succeeded` → a refund receipt to the customer's email;
 * - `payout.paid` → an email and a push to the owner's devices; `payout.failed` → the same and an SMS;
 * - `merchant.updated` to `active` or `rejected` → the review decision to the owner's email. A decision is
 *   announced once per mode (each mode's webhooks hear it) but concerns the merchant, not a mode: it is sent
 *   once, from the test-mode event, and listed among the test-mode notifications — the mode every merchant
 *   has keys for, a rejected one too.
 *
 * - `invoice.finalized` | `invoice.paid` | `invoice.payment_failed` → the invoice (with its PDF), its receipt
 *   or its failed payment to the customer's email (plan-invoices.ts).
 */
import type { Tenant } from '../../domain/customer.js';
import type { DomainEvent } from '../../domain/events.js';
import type { NotificationMessage, NotificationTemplate } from '../../domain/notification.js';
import { planInvoiceEmail } from './plan-invoices.js';
import type {
  CustomerContact,
  InvoiceAttachments,
  MerchantContact,
  NotificationRecipients,
} from './ports.js';
import { renderEmail, renderPush, renderSms, type TemplateData } from './templates.js';

export interface PlannedNotification {
  template: NotificationTemplate;
  message: NotificationMessage;
}

/** The event's messages (none for an event nobody is notified of, or with nobody to notify). */
export async function planNotifications(
  event: DomainEvent,
  recipients: NotificationRecipients,
  attachments?: InvoiceAttachments,
): Promise<{ tenant: Tenant; planned: PlannedNotification[] } | undefined> {
  switch (event.type) {
    case 'invoice.finalized':
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const tenant = { merchantId: event.detail.merchantId, mode: event.detail.mode };
      return { tenant, planned: await planInvoiceEmail(event, recipients, attachments) };
    }
    case 'payment_intent.succeeded':
    case 'payment_intent.payment_failed': {
      const d = event.detail;
      const tenant = { merchantId: d.merchantId, mode: d.mode };
      // An invoice's charge (`metadata.invoice`): the invoice's own receipt or failure email says it, once.
      if (chargesAnInvoice(d.object)) return { tenant, planned: [] };
      const customerId = await recipients.customerOfPaymentIntent(tenant, d.paymentIntentId);
      const [merchant, customer] = await Promise.all([
        recipients.merchant(d.merchantId),
        customerId === undefined ? undefined : recipients.customer(tenant, customerId),
      ]);
      if (merchant === undefined || customer === undefined) return { tenant, planned: [] };
      const data: TemplateData = {
        merchantName: merchant.name,
        amount: event.type === 'payment_intent.succeeded' ? d.amountReceived || d.amount : d.amount,
        currency: d.currency,
        reference: d.paymentIntentId,
        ...(d.failureCode === undefined ? {} : { reason: d.failureCode }),
      };
      const failed = event.type === 'payment_intent.payment_failed';
      return {
        tenant,
        planned: toCustomer(customer, failed ? 'payment_failed' : 'payment_receipt', data, failed),
      };
    }
    case 'refund.created':
    case 'refund.updated': {
      const d = event.detail;
      const tenant = { merchantId: d.merchantId, mode: d.mode };
      if (d.status !== 'succeeded' || d.customerId === undefined) return { tenant, planned: [] };
      const [merchant, customer] = await Promise.all([
        recipients.merchant(d.merchantId),
        recipients.customer(tenant, d.customerId),
      ]);
      if (merchant === undefined || customer === undefined) return { tenant, planned: [] };
      const data = {
        merchantName: merchant.name,
        amount: d.amount,
        currency: d.currency,
        reference: d.refundId,
      };
      return { tenant, planned: toCustomer(customer, 'refund_receipt', data, false) };
    }
    case 'payout.paid':
    case 'payout.failed': {
      const d = event.detail;
      const tenant = { merchantId: d.merchantId, mode: d.mode };
      const merchant = await recipients.merchant(d.merchantId);
      if (merchant === undefined) return { tenant, planned: [] };
      const failed = event.type === 'payout.failed';
      const data: TemplateData = {
        merchantName: merchant.name,
        amount: d.amount,
        fee: d.fee,
        currency: d.currency,
        reference: d.payoutId,
        ...(d.failureCode === undefined ? {} : { reason: d.failureCode }),
      };
      const template = failed ? 'payout_failed' : 'payout_paid';
      return { tenant, planned: toOwner(merchant, template, data, { sms: failed, push: true }) };
    }
    case 'merchant.updated': {
      const d = event.detail;
      const tenant = { merchantId: d.merchantId, mode: d.mode };
      const template =
        d.status === 'active'
          ? 'merchant_approved'
          : d.status === 'rejected'
            ? 'merchant_rejected'
            : undefined;
      if (template === undefined || d.previousStatus === d.status || d.mode !== 'test') {
        return { tenant, planned: [] };
      }
      const merchant = await recipients.merchant(d.merchantId);
      if (merchant === undefined) return { tenant, planned: [] };
      const data = { merchantName: merchant.name, ...(d.reason === undefined ? {} : { reason: d.reason }) };
      return { tenant, planned: toOwner(merchant, template, data, { sms: false, push: false }) };
    }
    default:
      return undefined;
  }
}

function toCustomer(
  customer: CustomerContact,
  template: NotificationTemplate,
  data: TemplateData,
  sms: boolean,
): PlannedNotification[] {
  const planned: PlannedNotification[] = [];
  if (customer.email !== undefined)
    planned.push({ template, message: renderEmail(template, customer.email, data) });
  if (sms && customer.phone !== undefined)
    planned.push({ template, message: renderSms(template, customer.phone, data) });
  return planned;
}

function toOwner(
  merchant: MerchantContact,
  template: NotificationTemplate,
  data: TemplateData,
  channels: { sms: boolean; push: boolean },
): PlannedNotification[] {
  const planned: PlannedNotification[] = [{ template, message: renderEmail(template, merchant.email, data) }];
  if (channels.sms && merchant.phone !== undefined)
    planned.push({ template, message: renderSms(template, merchant.phone, data) });
  if (channels.push)
    for (const endpoint of merchant.pushEndpoints)
      planned.push({ template, message: renderPush(template, endpoint, data) });
  return planned;
}

/** Whether a PaymentIntent's API object (its event's `object`) charges an invoice (`metadata.invoice`). */
function chargesAnInvoice(object: Readonly<Record<string, unknown>> | undefined): boolean {
  const metadata = object?.['metadata'];
  return typeof metadata === 'object' && metadata !== null && 'invoice' in metadata;
}
