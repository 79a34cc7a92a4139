/**
 * A succeeded PaymentIntent's charge: what was captured comes from the processor's clearing into the
 * merchant's pending balance in the intent's mode, with the platform and card fees out of it.
 */
import { intentChargeFor } from '../../../../shared/app/balance/charge.js';
import {
  DEFAULT_FEE_TIERS,
  DEFAULT_PROCESSING_FEE,
  parseFeeTiers,
  parseProcessingFee,
} from '../../../../shared/domain/fees.js';
import { accounts } from '../../../../shared/domain/ledger.js';
import type { PaymentIntent } from '../../../../shared/domain/payment-intent.js';
import { sequentialIds } from '../../../support/fakes/ids.js';

const AT = new Date('2026-12-07T12:00:00Z');

const intent: PaymentIntent = {
  intentId: 'pi_1',
  merchantId: 'mch_shop',
  mode: 'test',
  amount: 10_000,
  currency: 'USD',
  status: 'succeeded',
  captureMethod: 'manual',
  amountCapturable: 0,
  amountReceived: 6_000,
  customerId: null,
  paymentMethodId: 'pm_card_visa',
  description: null,
  metadata: {},
  splits: [],
  attempts: 1,
  providerPaymentId: 'pi_stripe_1',
  lastPaymentError: null,
  nextActionUrl: null,
  cancellationReason: null,
  captureBefore: null,
  fees: null,
  canceledAt: null,
  createdAt: AT.toISOString(),
  updatedAt: AT.toISOString(),
};

describe('Function: intentChargeFor', () => {
  it("charges what was captured into the merchant's pending balance in the intent's mode, from that mode's clearing", async () => {
    // Arrange
    const volumes: string[] = [];
    const deps = {
      balances: {
        monthlyVolume: async (merchantId: string, mode: 'test' | 'live', month: string) => {
          volumes.push(`${merchantId}/${mode}/${month}`);
          return 0;
        },
        accounts: async () => [],
      },
      fees: {
        tiers: parseFeeTiers(DEFAULT_FEE_TIERS),
        processing: parseProcessingFee(DEFAULT_PROCESSING_FEE),
      },
      settlementDelaySeconds: 60,
      ids: sequentialIds(),
    };

    // Act
    const charge = await intentChargeFor(intent, AT, deps);

    // Assert
    const pending = accounts.merchantPending('mch_shop', 'test', 'USD');
    const into = charge.transfers.filter((t) => t.credit.id === pending.id);
    const out = charge.transfers.filter((t) => t.debit.id === pending.id);
    const moved = (list: typeof into) => list.reduce((sum, t) => sum + t.amount, 0);
    expect(into).toEqual([
      expect.objectContaining({ debit: accounts.providerClearing('stripe_test', 'USD'), amount: 6_000 }),
    ]);
    expect(moved(out)).toBe(charge.fees.platform + charge.fees.processing);
    expect(charge.fees.processing).toBeGreaterThan(0);
    expect(moved(into) - moved(out) + charge.fees.platform + charge.fees.processing).toBe(6_000);
    expect(charge.transaction).toMatchObject({
      source: 'pi_1',
      mode: 'test',
      amount: 6_000,
      net: charge.fees.net,
    });
    expect(volumes).toEqual(['mch_shop/test/2026-12']);
  });
});
