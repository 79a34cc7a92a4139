import type { ProviderRefund } from '../../../../shared/app/payments/ports.js';
import { refundIntent } from '../../../../shared/app/refunds/intent-refunds.js';
import type { IntentRefund, IntentRefundStore } from '../../../../shared/app/refunds/ports.js';
import { ConcurrentModificationError } from '../../../../shared/domain/errors.js';
import type { MerchantCaller } from '../../../../shared/domain/merchant.js';
import { API_KEY_SCOPES } from '../../../../shared/domain/merchant.js';
import { InvalidAmountError } from '../../../../shared/domain/money.js';
import type { PaymentIntent } from '../../../../shared/domain/payment-intent.js';
import { mapError } from '../../../../shared/http/errors.js';
import { failureOf, NOW } from '../payments/harness.js';

const caller: MerchantCaller = {
  merchantId: 'mch_shop',
  mode: 'test',
  scopes: API_KEY_SCOPES,
  keyId: 'key_1',
};

const intent: PaymentIntent = {
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

/** An in-memory IntentRefundStore with the adapter's rules: reserved never above captured, only from pending. */
function memoryStore() {
  const refunds = new Map<string, IntentRefund>();
  const totals = { reserved: 0, settled: 0 };
  const posted: unknown[] = [];
  const store: IntentRefundStore = {
    intentRefund: async (_tenant, refundId) => refunds.get(refundId),
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
      if (current === undefined || current.status !== 'pending') return input.refund;
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
  return { store, totals, posted };
}

/** The processor's refunds, all ending `status` at once. */
function processor(status: ProviderRefund['status'] = 'succeeded') {
  const answer = (input: { paymentId: string; idempotencyKey: string; amount?: number }): ProviderRefund => ({
    provider: 'stripe',
    id: `re_at_processor_${input.idempotencyKey}`,
    paymentId: input.paymentId,
    amount: input.amount ?? 0,
    currency: 'usd',
    status,
  });
  return {
    refund: async (input: { paymentId: string; idempotencyKey: string; amount?: number }) => answer(input),
    retrieveRefund: async (paymentId: string, refundId: string) =>
      answer({ paymentId, idempotencyKey: refundId }),
  };
}

function depsOf(provider = processor()) {
  const memory = memoryStore();
  return {
    memory,
    deps: {
      intents: { get: async (_tenant: unknown, id: string) => (id === intent.intentId ? intent : undefined) },
      intentRefunds: memory.store,
      provider,
      clock: { now: () => new Date(NOW) },
      merchantLedger: {
        balances: { monthlyVolume: async () => 0, accounts: async () => [] },
        fees: { tiers: [{ fromVolume: 0, bps: 820 }], processing: { bps: 290, fixed: 30 } },
        settlementDelaySeconds: 0,
        ids: {
          next: (prefix: string) => `${prefix}1`,
          derive: (prefix: string, ...parts: readonly string[]) => `${prefix}${parts.join('_')}`,
        },
      },
    },
  };
}

describe('Use case: refundIntent', () => {
  it('posts the part refunded with the platform fee returned in proportion, then the rest returns the remainder', async () => {
    // Arrange
    const { deps, memory } = depsOf();

    // Act
    const part = await refundIntent(caller, { intentId: 'pi_1', refundId: 're_1', amount: 2_500 }, deps);
    const rest = await refundIntent(caller, { intentId: 'pi_1', refundId: 're_2' }, deps);

    // Assert
    expect([part.status, rest.status, rest.amount]).toEqual(['succeeded', 'succeeded', 7_500]);
    expect(memory.posted).toEqual([
      expect.objectContaining({ feeReturned: 205 }),
      expect.objectContaining({ feeReturned: 615 }),
    ]);
    expect(memory.totals).toEqual({ reserved: 10_000, settled: 10_000 });
  });

  it('refuses more than was captured (400) and an intent of another tenant (404)', async () => {
    // Arrange
    const { deps } = depsOf();

    // Act
    const over = await failureOf(
      refundIntent(caller, { intentId: 'pi_1', refundId: 're_1', amount: 10_001 }, deps),
    );
    const other = await failureOf(refundIntent(caller, { intentId: 'pi_other', refundId: 're_1' }, deps));

    // Assert
    expect([mapError(over).status, mapError(other).status]).toEqual([400, 404]);
  });

  it('gives a failed processor refund back to refund again, posting nothing', async () => {
    // Arrange
    const { deps, memory } = depsOf(processor('failed'));

    // Act
    const failed = await refundIntent(caller, { intentId: 'pi_1', refundId: 're_1', amount: 4_000 }, deps);

    // Assert
    expect(failed.status).toBe('failed');
    expect(memory.posted).toEqual([]);
    expect(memory.totals).toEqual({ reserved: 0, settled: 0 });
  });
});
