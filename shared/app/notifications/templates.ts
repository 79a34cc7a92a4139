/**
 * The notification templates, one per kind of message: a subject, plain text and simple accessible HTML
 * for email (every value escaped), a short text for SMS, a title and body for push. Amounts are shown in
 * the currency's format (`$30.00`, `¥1,050`), with the merchant's name.
 */
import { formatAmount } from '../../domain/money-format.js';
import type { NotificationMessage, NotificationTemplate } from '../../domain/notification.js';
import { escapeHtml } from '../merchants/emails.js';

/** Where the templates' amounts are formatted (shared with the invoice PDFs). */
export { formatAmount };

/** What a template shows: the merchant's name and, for money, the amount in minor units and its currency. */
export interface TemplateData {
  merchantName: string;
  amount?: number;
  currency?: string;
  /** The object the message is about (`pi_…`, `re_…`, `po_…`), as a reference for the reader. */
  reference?: string;
  /** A payout's fee (instant payouts), in minor units. */
  fee?: number;
  /** Why it failed (a decline or failure code) or why a review was rejected. */
  reason?: string;
  /** An invoice's due date (`2027-01-06`). */
  dueOn?: string;
}

interface Copy {
  subject: string;
  paragraphs: string[];
  /** The SMS text and the push body (a message short enough for both). */
  short: string;
}

function money(data: TemplateData): string {
  return data.amount === undefined || data.currency === undefined
    ? ''
    : formatAmount(data.amount, data.currency);
}

const copies: Readonly<Record<NotificationTemplate, (data: TemplateData) => Copy>> = {
  payment_receipt: (d) => ({
    subject: `Your receipt from ${d.merchantName}`,
    paragraphs: [
      `Thank you for your payment of ${money(d)} to ${d.merchantName}.`,
      `Reference: ${d.reference ?? ''}. Keep this email as your receipt.`,
    ],
    short: `${d.merchantName}: payment of ${money(d)} received. Ref ${d.reference ?? ''}`,
  }),
  payment_failed: (d) => ({
    subject: `Your payment to ${d.merchantName} did not go through`,
    paragraphs: [
      `Your payment of ${money(d)} to ${d.merchantName} was declined${d.reason ? ` (${d.reason})` : ''}.`,
      'No money was taken. You can try again with another payment method.',
    ],
    short: `${d.merchantName}: your payment of ${money(d)} was declined. No money was taken.`,
  }),
  refund_receipt: (d) => ({
    subject: `Your refund from ${d.merchantName}`,
    paragraphs: [
      `${d.merchantName} refunded ${money(d)} to you.`,
      `Reference: ${d.reference ?? ''}. It may take a few days to appear on your statement.`,
    ],
    short: `${d.merchantName}: ${money(d)} refunded. Ref ${d.reference ?? ''}`,
  }),
  payout_paid: (d) => ({
    subject: `Payout of ${money(d)} paid to ${d.merchantName}'s bank account`,
    paragraphs: [
      `The payout ${d.reference ?? ''} of ${money(d)} reached the bank account of ${d.merchantName}.`,
      `Fee: ${formatAmount(d.fee ?? 0, d.currency ?? 'USD')}.`,
    ],
    short: `Payout of ${money(d)} paid to ${d.merchantName}'s bank account.`,
  }),
  payout_failed: (d) => ({
    subject: `Payout of ${money(d)} to ${d.merchantName} failed`,
    paragraphs: [
      `The payout ${d.reference ?? ''} of ${money(d)} to the bank account of ${d.merchantName} failed${d.reason ? ` (${d.reason})` : ''}.`,
      'The money is back in your available balance. Check your bank details, then pay out again.',
    ],
    short: `Tween: payout of ${money(d)} to ${d.merchantName} failed; the money is back in your balance.`,
  }),
  merchant_approved: (d) => ({
    subject: `${d.merchantName} is approved on Tween`,
    paragraphs: [
      `Good news: ${d.merchantName} passed its review and is now active on Tween.`,
      'You can create live API keys and take live payments.',
    ],
    short: `${d.merchantName} is approved on Tween.`,
  }),
  merchant_rejected: (d) => ({
    subject: `${d.merchantName} was not approved on Tween`,
    paragraphs: [
      `The review of ${d.merchantName} did not pass: ${d.reason ?? 'no reason given'}.`,
      'You may upload new documents and submit them for review again.',
    ],
    short: `${d.merchantName} was not approved on Tween.`,
  }),
  invoice_finalized: (d) => ({
    subject: `Invoice ${d.reference ?? ''} from ${d.merchantName}`,
    paragraphs: [
      `${d.merchantName} sent you invoice ${d.reference ?? ''} for ${money(d)}${d.dueOn ? `, due on ${d.dueOn}` : ''}.`,
      'The invoice is attached as a PDF.',
    ],
    short: `${d.merchantName}: invoice ${d.reference ?? ''} for ${money(d)}.`,
  }),
  invoice_receipt: (d) => ({
    subject: `Receipt for invoice ${d.reference ?? ''} from ${d.merchantName}`,
    paragraphs: [
      `Thank you: your payment of ${money(d)} for invoice ${d.reference ?? ''} to ${d.merchantName} was received.`,
      'Keep this email as your receipt.',
    ],
    short: `${d.merchantName}: invoice ${d.reference ?? ''} paid, ${money(d)}.`,
  }),
  invoice_payment_failed: (d) => ({
    subject: `Payment for invoice ${d.reference ?? ''} from ${d.merchantName} failed`,
    paragraphs: [
      `Your payment of ${money(d)} for invoice ${d.reference ?? ''} to ${d.merchantName} was declined${d.reason ? ` (${d.reason})` : ''}.`,
      'No money was taken and the invoice is still open. Update your payment method so it can be paid.',
    ],
    short: `${d.merchantName}: payment of ${money(d)} for invoice ${d.reference ?? ''} was declined.`,
  }),
};

/** The email of `template` to `to`: subject, text, and an HTML document with a language and a heading. */
export function renderEmail(
  template: NotificationTemplate,
  to: string,
  data: TemplateData,
): Extract<NotificationMessage, { channel: 'email' }> {
  const copy = copies[template](data);
  const body = copy.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('');
  return {
    channel: 'email',
    to,
    subject: copy.subject,
    text: copy.paragraphs.join('\n\n'),
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(copy.subject)}</title></head><body><main><h1>${escapeHtml(copy.subject)}</h1>${body}</main></body></html>`,
  };
}

export function renderSms(
  template: NotificationTemplate,
  to: string,
  data: TemplateData,
): Extract<NotificationMessage, { channel: 'sms' }> {
  return { channel: 'sms', to, text: copies[template](data).short };
}

export function renderPush(
  template: NotificationTemplate,
  to: string,
  data: TemplateData,
): Extract<NotificationMessage, { channel: 'push' }> {
  const copy = copies[template](data);
  return { channel: 'push', to, title: copy.subject, body: copy.short };
}
