import type { PaymentIntent } from '../../domain/payment-intent.js';
import { splitSharesOf } from '../../domain/splits.js';
import { listView } from './list.js';

/** What the merchant keeps of what was charged: less the fees and the shares its splits paid others. */
function netOf(intent: PaymentIntent): number | null {
  if (intent.fees === null) return null;
  const shares = splitSharesOf(intent.splits, intent.amount, intent.amountReceived);
  const paidOut = shares.reduce((sum, split) => sum + split.share, 0);
  return intent.amountReceived - intent.fees.platform - intent.fees.processing - paidOut;
}

function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/** A PaymentIntent as API.md shapes it (Stripe's names); the processor's own ids stay inside. */
export function paymentIntentView(intent: PaymentIntent) {
  const error = intent.lastPaymentError;
  return {
    id: intent.intentId,
    object: 'payment_intent' as const,
    amount: intent.amount,
    amount_capturable: intent.amountCapturable,
    amount_received: intent.amountReceived,
    currency: intent.currency,
    status: intent.status,
    capture_method: intent.captureMethod,
    customer: intent.customerId,
    payment_method: intent.paymentMethodId,
    description: intent.description,
    metadata: { ...intent.metadata },
    splits: intent.splits.map((split) => ({ merchant: split.merchantId, amount: split.amount })),
    fees: intent.fees === null ? null : { ...intent.fees },
    net: netOf(intent),
    last_payment_error:
      error === null
        ? null
        : {
            type: error.type,
            code: error.code,
            decline_code: error.declineCode,
            message: error.message,
            payment_method: error.paymentMethod,
          },
    next_action:
      intent.status === 'requires_action' && intent.nextActionUrl !== null
        ? { type: 'redirect_to_url' as const, redirect_to_url: { url: intent.nextActionUrl } }
        : null,
    cancellation_reason: intent.cancellationReason,
    canceled_at: intent.canceledAt === null ? null : epochSeconds(intent.canceledAt),
    capture_before: intent.captureBefore === null ? null : epochSeconds(intent.captureBefore),
    livemode: intent.mode === 'live',
    created: epochSeconds(intent.createdAt),
  };
}

export function paymentIntentListView(intents: readonly PaymentIntent[], nextCursor: string | null) {
  return listView(intents.map(paymentIntentView), nextCursor);
}
