import type { MerchantRefundRecord } from '../../app/refunds/ports.js';
import { listView } from './list.js';

/** A merchant's refund as API.md shapes it (Stripe's Refund): the payer and the provider's ids stay inside. */
export function refundView(record: MerchantRefundRecord) {
  const { refund } = record;
  return {
    id: refund.refundId,
    object: 'refund' as const,
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status,
    payment_intent: record.kind === 'payment_intent' ? record.refund.intentId : null,
    payment: record.kind === 'payment' ? record.refund.paymentId : null,
    reason: refund.reason ?? null,
    livemode: record.kind === 'payment' || record.refund.mode === 'live',
    created: Math.floor(Date.parse(refund.createdAt) / 1000),
  };
}

export function refundListView(records: readonly MerchantRefundRecord[], nextCursor: string | null) {
  return listView(records.map(refundView), nextCursor);
}
