import type { ProviderRefund } from '../../../../shared/app/payments/ports.js';
import { refundIntent } from '../../../../shared/app/refunds/intent-refunds.js';
import type { MerchantCaller } from '../../../../shared/domain/merchant.js';
import { API_KEY_SCOPES } from '../../../../shared/domain/merchant.js';
import { mapError } from '../../../../shared/http/errors.js';
import { failureOf, NOW } from '../payments/harness.js';
import { intent, memoryIntentRefunds, zeroVolumeMerchantLedger } from './intent-refund-harness.js';

const caller: MerchantCaller = {
  merchantId: 'mch_shop',
  mode: 'test',
  scopes: API_KEY_SCOPES,
  keyId: 'key_1',
};

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
  const memory = memoryIntentRefunds();
  return {
    memory,
    deps: {
      intents: { get: async (_tenant: unknown, id: string) => (id === intent.intentId ? intent : undefined) },
      intentRefunds: memory.store,
      provider,
      clock: { now: () => new Date(NOW) },
      merchantLedger: zeroVolumeMerchantLedger,
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
