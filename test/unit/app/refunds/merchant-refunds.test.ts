import { createRefund, getRefund } from '../../../../shared/app/refunds/merchant-refunds.js';
import type { MerchantRefunds } from '../../../../shared/app/refunds/ports.js';
import type { MerchantCaller } from '../../../../shared/domain/merchant.js';
import { API_KEY_SCOPES } from '../../../../shared/domain/merchant.js';
import { mapError } from '../../../../shared/http/errors.js';
import {
  availableIn,
  completedWalletPayment,
  failureOf,
  type Harness,
  MERCHANT,
  setup,
} from '../payments/harness.js';

const statusOf = (error: unknown) => mapError(error).status;

function caller(overrides: Partial<MerchantCaller> = {}): MerchantCaller {
  return { merchantId: MERCHANT, mode: 'live', scopes: API_KEY_SCOPES, keyId: 'key_1', ...overrides };
}

/** The payer side's refunds as the merchant API reads them: its merchant's, in live mode. */
function refundsOf(harness: Harness): MerchantRefunds {
  return {
    async get(tenant, refundId) {
      const refund = await harness.payments.getRefund(refundId);
      return refund !== undefined && refund.merchantId === tenant.merchantId && tenant.mode === 'live'
        ? { kind: 'payment', refund }
        : undefined;
    },
    list: async () => ({ items: [] }),
  };
}

function depsOf(harness: Harness) {
  const unused = () => Promise.reject(new Error('no PaymentIntents here'));
  const { merchantLedger } = harness.deps;
  if (merchantLedger === undefined) throw new Error('the harness has a merchant ledger');
  return {
    ...harness.deps,
    merchantLedger,
    refunds: refundsOf(harness),
    intents: { get: async () => undefined },
    intentRefunds: {
      intentRefund: async () => undefined,
      totals: async () => ({ reserved: 0, settled: 0 }),
      reserve: unused,
      settle: unused,
      noteProvider: unused,
    },
  };
}

describe('Use case: createRefund (merchant API)', () => {
  describe('of a mini-app payment', () => {
    it("refunds the merchant's own live payment to the payer's wallet, as the payer side's refund", async () => {
      // Arrange
      const harness = setup();
      const { wallet, payment } = await completedWalletPayment(harness);

      // Act
      const created = await createRefund(
        caller(),
        { payment: payment.paymentId, amount: 400, reason: 'duplicate' },
        'idem-1',
        depsOf(harness),
      );

      // Assert
      expect(created.kind).toBe('payment');
      expect(created.refund).toMatchObject({
        paymentId: payment.paymentId,
        merchantId: MERCHANT,
        amount: 400,
        status: 'succeeded',
        reason: 'duplicate',
      });
      expect(created.refund.refundId).toMatch(/^re_/);
      expect(await availableIn(harness.ledger, wallet)).toBe(10_000 - 1_000 + 400);
      expect(await getRefund(caller(), created.refund.refundId, depsOf(harness))).toEqual(created);
    });

    it('resumes the same refund for the same Idempotency-Key, and refuses going past what was paid (400)', async () => {
      // Arrange
      const harness = setup();
      const { wallet, payment } = await completedWalletPayment(harness);
      const first = await createRefund(
        caller(),
        { payment: payment.paymentId, amount: 600 },
        'k',
        depsOf(harness),
      );

      // Act
      const again = await createRefund(
        caller(),
        { payment: payment.paymentId, amount: 600 },
        'k',
        depsOf(harness),
      );
      const over = await failureOf(
        createRefund(caller(), { payment: payment.paymentId, amount: 401 }, 'k2', depsOf(harness)),
      );

      // Assert
      expect(again.refund.refundId).toBe(first.refund.refundId);
      expect(statusOf(over)).toBe(400);
      expect(await availableIn(harness.ledger, wallet)).toBe(10_000 - 1_000 + 600);
    });

    it("answers 404 for another merchant's payment and in test mode, and 400 without exactly one target", async () => {
      // Arrange
      const harness = setup();
      const { payment } = await completedWalletPayment(harness);
      const target = { payment: payment.paymentId };

      // Act
      const other = await failureOf(
        createRefund(caller({ merchantId: 'mch_other' }), target, 'k', depsOf(harness)),
      );
      const test = await failureOf(createRefund(caller({ mode: 'test' }), target, 'k', depsOf(harness)));
      const both = await failureOf(
        createRefund(caller(), { ...target, payment_intent: 'pi_1' }, 'k', depsOf(harness)),
      );
      const none = await failureOf(createRefund(caller(), {}, 'k', depsOf(harness)));
      const tooMuch = await failureOf(
        createRefund(caller({ mode: 'test' }), { ...target, amount: 10_000_000_001 }, 'k', depsOf(harness)),
      );
      const noScope = await failureOf(
        createRefund(caller({ scopes: ['payments:read'] }), target, 'k', depsOf(harness)),
      );

      // Assert
      expect([statusOf(other), statusOf(test)]).toEqual([404, 404]);
      expect([statusOf(both), statusOf(none)]).toEqual([400, 400]);
      expect(statusOf(noScope)).toBe(403);
      // An amount past the maximum is refused before the payment is looked up, even in the wrong mode.
      expect(statusOf(tooMuch)).toBe(400);
    });
  });
});
