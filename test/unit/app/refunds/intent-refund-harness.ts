/** A PaymentIntent with its refunds in memory, with the adapter's rules (reserved ≤ captured, only from pending). */
import type { MerchantLedgerDeps } from '../../../../shared/app/balance/charge.js';
import type { IntentRefund, IntentRefundStore } from '../../../../shared/app/refunds/ports.js';
import { ConcurrentModificationError } from '../../../../shared/domain/errors.js';
import { InvalidAmountError } from '../../../../shared/domain/money.js';
import type { PaymentIntent } from '../../../../shared/domain/payment-intent.js';
import { NOW } from '../payments/harness.js';

export const intent: PaymentIntent = {
  intentId: 'pi_1',
  merchantId: 'mch_shop',
  mode: 'test',
  amount: 10_000,
  currency: 'USD',
  status: 'succeeded',
  captureMethod: 'automatic',
  amountCapturable: 0,
  amountReceived: 10_000,
  customerId: null,
  paymentMethodId: 'pm_card_visa',
  description: null,
  metadata: {},
  splits: [],
  attempts: 1,
  providerPaymentId: 'pi_provider_1',
  lastPaymentError: null,
  nextActionUrl: null,
  cancellationReason: null,
  captureBefore: null,
  fees: { platform: 820, processing: 320 },
  canceledAt: null,
  createdAt: NOW,
  updatedAt: NOW,
};

export function memoryIntentRefunds() {
  const refunds = new Map<string, IntentRefund>();
  const totals = { reserved: 0, settled: 0 };
  const posted: unknown[] = [];
  const store: IntentRefundStore = {
    intentRefund: async (tenant, refundId) => {
      const refund = refunds.get(refundId);
      return refund?.merchantId === tenant.merchantId && refund.mode === tenant.mode ? refund : undefined;
    },
    totals: async () => ({ ...totals }),
    async reserve(of, refund) {
      const existing = refunds.get(refund.refundId);
      if (existing !== undefined) return existing;
      if (totals.reserved + refund.amount > of.amountReceived) throw new InvalidAmountError('too much');
      totals.reserved += refund.amount;
      refunds.set(refund.refundId, refund);
      return refund;
    },
    async settle(input) {
      const current = refunds.get(input.refund.refundId);
      if (current === undefined || current.status !== 'pending') return current ?? input.refund;
      if (input.status === 'succeeded') {
        if (totals.settled !== input.settledBefore) throw new ConcurrentModificationError('Refund');
        totals.settled += current.amount;
        posted.push(input.merchant);
      } else totals.reserved -= current.amount;
      const ended = { ...current, status: input.status };
      refunds.set(current.refundId, ended);
      return ended;
    },
    async noteProvider(refund, providerRefundId) {
      const noted = { ...refund, providerRefundId };
      refunds.set(refund.refundId, noted);
      return noted;
    },
  };
  return { store, totals, posted, refunds };
}

export const zeroVolumeMerchantLedger: MerchantLedgerDeps = {
  balances: { monthlyVolume: async () => 0, accounts: async () => [] },
  fees: { tiers: [{ fromVolume: 0, bps: 820 }], processing: { bps: 290, fixed: 30 } },
  settlementDelaySeconds: 0,
  ids: {
    next: (prefix: string) => `${prefix}1`,
    derive: (prefix: string, ...parts: readonly string[]) => `${prefix}${parts.join('_')}`,
  },
};

/** A refund of the whole intent the processor left pending, reserved as the request reserves it. */
export async function pendingIntentRefund(
  memory: ReturnType<typeof memoryIntentRefunds>,
  providerRefundId: string,
): Promise<IntentRefund> {
  return memory.store.reserve(intent, {
    refundId: 're_1',
    merchantId: intent.merchantId,
    mode: intent.mode,
    intentId: intent.intentId,
    amount: intent.amountReceived,
    currency: intent.currency,
    status: 'pending',
    providerRefundId,
    createdAt: NOW,
    updatedAt: NOW,
  });
}
