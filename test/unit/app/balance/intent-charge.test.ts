/**
 * A succeeded PaymentIntent's charge: what was captured comes from the processor's clearing into the
 * merchant's pending balance in the intent's mode, with the platform and card fees out of it.
 */
import { intentChargeFor } from '../../../../shared/app/balance/charge.js';
import {
  DEFAULT_FEE_TIERS,
  DEFAULT_PROCESSING_FEE,
  feesOf,
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

const deps = () => ({
  balances: { monthlyVolume: async () => 0, accounts: async () => [] },
  fees: { tiers: parseFeeTiers(DEFAULT_FEE_TIERS), processing: parseProcessingFee(DEFAULT_PROCESSING_FEE) },
  settlementDelaySeconds: 60,
  ids: sequentialIds(),
});

describe('Function: intentChargeFor', () => {
  it("pays the splits their shares of a partial capture, fees on the whole capture borne by the intent's merchant", async () => {
    // Arrange: 10,000 with splits of 2,500 and 1,001, 6,000 captured
    const withSplits: PaymentIntent = {
      ...intent,
      splits: [
        { merchantId: 'mch_b', amount: 2_500 },
        { merchantId: 'mch_c', amount: 1_001 },
      ],
    };

    // Act
    const charge = await intentChargeFor(withSplits, AT, deps());
    const again = await intentChargeFor(withSplits, AT, deps());

    // Assert: 1,500 and 2,100.6 − 1,500 → 2,101 − 1,500 = 601 (half-even on the running total)
    const shareTo = (merchantId: string) =>
      charge.transfers.find((t) => t.credit.id === accounts.merchantPending(merchantId, 'test', 'USD').id);
    expect(shareTo('mch_b')).toMatchObject({
      debit: accounts.merchantPending('mch_shop', 'test', 'USD'),
      amount: 1_500,
    });
    expect(shareTo('mch_c')?.amount).toBe(601);
    expect(charge.fees).toEqual(feesOf(6_000, 'card', 0, deps().fees));
    expect(charge.splitTransactions.map((t) => [t.merchantId, t.kind, t.amount, t.source])).toEqual([
      ['mch_b', 'split', 1_500, 'pi_1'],
      ['mch_c', 'split', 601, 'pi_1'],
      ['mch_shop', 'split', -2_101, 'pi_1'],
    ]);
    // Ids derived from the intent: a retried capture writes the same balance transactions.
    expect(again.splitTransactions.map((t) => t.id)).toEqual(charge.splitTransactions.map((t) => t.id));
    expect(new Set(charge.splitTransactions.map((t) => t.id)).size).toBe(3);
  });

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
