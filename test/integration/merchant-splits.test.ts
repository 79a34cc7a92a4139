/**
 * A PaymentIntent's splits on DynamoDB Local, through the adapters: the charge of a capture with two splits
 * is one transaction (the money from clearing, both fees, both shares, every merchant's balance
 * transaction and the charging merchant's volume); each merchant reads its own balance and `split`
 * balance transactions; settlement makes each available; a refund reverses the splits in proportion in
 * the refund's own transaction. The ledger stays balanced throughout.
 */

import { CompanionConditionFailedError } from '../../shared/adapters/dynamodb/ledger.js';
import {
  chargeItems,
  DynamoDbMerchantBalances,
  refundItems,
} from '../../shared/adapters/dynamodb/merchant-balances.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { intentChargeFor, splitRefundFor } from '../../shared/app/balance/charge.js';
import {
  balanceOf,
  merchantRefundOf,
  paymentRefundSource,
  volumeMonth,
} from '../../shared/domain/balance.js';
import {
  DEFAULT_FEE_TIERS,
  DEFAULT_PROCESSING_FEE,
  parseFeeTiers,
  parseProcessingFee,
} from '../../shared/domain/fees.js';
import { accounts } from '../../shared/domain/ledger.js';
import type { Payment } from '../../shared/domain/payment.js';
import type { PaymentIntent } from '../../shared/domain/payment-intent.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { unique } from '../contract/subject.js';
import { createLocalTable, ledgerProblems, localDocumentClient, localLedger } from '../support/ledger.js';

const TABLE_NAME = `${tableDefinition.localName}-splits`;
const client = localDocumentClient();
const ledger = localLedger(client, undefined, TABLE_NAME);
const balances = new DynamoDbMerchantBalances(client, TABLE_NAME, ledger);
const deps = {
  balances,
  fees: { tiers: parseFeeTiers(DEFAULT_FEE_TIERS), processing: parseProcessingFee(DEFAULT_PROCESSING_FEE) },
  settlementDelaySeconds: 60,
  ids: randomIds,
};

beforeAll(async () => {
  await createLocalTable(TABLE_NAME);
});

function succeededIntent(merchantId: string, splits: PaymentIntent['splits']): PaymentIntent {
  const at = new Date().toISOString();
  return {
    intentId: unique('pi_'),
    merchantId,
    mode: 'live',
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
    splits,
    attempts: 1,
    providerPaymentId: unique('pi_stripe_'),
    lastPaymentError: null,
    nextActionUrl: null,
    cancellationReason: null,
    captureBefore: null,
    fees: null,
    canceledAt: null,
    createdAt: at,
    updatedAt: at,
  };
}

const balanceFor = async (merchantId: string) =>
  balanceOf(await balances.accounts(merchantId, 'live'), 'live', 0);
const listed = async (merchantId: string) =>
  (await balances.transactions({ merchantId, mode: 'live', limit: 10 })).transactions;

describe('PaymentIntent splits on DynamoDB Local', () => {
  it("pays each split merchant's balance in the charge's transaction, settles each, and reverses in proportion", async () => {
    // Arrange
    const [a, b, c] = [unique('mch_'), unique('mch_'), unique('mch_')];
    const intent = succeededIntent(a, [
      { merchantId: b, amount: 3_000 },
      { merchantId: c, amount: 1_000 },
    ]);
    const at = new Date();

    // Act: the charge, as the intent's save writes it (its transfers, balance transactions and volume)
    const charge = await intentChargeFor(intent, at, deps);
    const [money, ...rest] = charge.transfers;
    if (money === undefined) throw new Error('A charge moves money');
    await ledger.executeWith({ type: 'post', ...money }, chargeItems(TABLE_NAME, charge), rest);

    // Assert: every merchant's own balance and balance transactions
    const net = charge.fees.net;
    expect((await balanceFor(a)).pending).toEqual([{ amount: net - 4_000, currency: 'USD' }]);
    expect((await balanceFor(b)).pending).toEqual([{ amount: 3_000, currency: 'USD' }]);
    expect((await balanceFor(c)).pending).toEqual([{ amount: 1_000, currency: 'USD' }]);
    expect((await listed(a)).map((t) => [t.kind, t.amount, t.fee, t.net]).sort()).toEqual(
      [
        ['charge', 10_000, charge.fees.platform + charge.fees.processing, net],
        ['split', -4_000, 0, -4_000],
      ].sort(),
    );
    for (const [merchantId, share] of [
      [b, 3_000],
      [c, 1_000],
    ] as const) {
      expect(await listed(merchantId)).toEqual([
        expect.objectContaining({
          kind: 'split',
          amount: share,
          fee: 0,
          net: share,
          status: 'pending',
          source: intent.intentId,
          availableOn: charge.transaction.availableOn,
        }),
      ]);
    }
    expect(await balances.monthlyVolume(a, 'live', volumeMonth(at))).toBe(10_000);
    expect(await balances.monthlyVolume(b, 'live', volumeMonth(at))).toBe(0);

    // A retried write moves nothing twice: its balance transactions exist, so it is refused whole.
    await expect(
      ledger.executeWith({ type: 'post', ...money }, chargeItems(TABLE_NAME, charge), rest),
    ).rejects.toBeInstanceOf(CompanionConditionFailedError);
    expect((await balanceFor(b)).pending).toEqual([{ amount: 3_000, currency: 'USD' }]);

    // Settlement: each pending movement becomes available once.
    for (const transaction of [charge.transaction, ...charge.splitTransactions])
      expect(await balances.settle(transaction)).toBe(true);
    expect(await balanceFor(a)).toMatchObject({
      available: [{ amount: net - 4_000, currency: 'USD' }],
      pending: [{ amount: 0, currency: 'USD' }],
    });
    expect((await balanceFor(b)).available).toEqual([{ amount: 3_000, currency: 'USD' }]);
    expect((await listed(c)).map((t) => t.status)).toEqual(['available']);

    // A refund of half reverses half of each split, from available, in the refund's own transaction.
    const refundId = unique('re_');
    const later = new Date(at.getTime() + 1_000);
    const splits = await splitRefundFor(intent, refundId, deps);
    const asPayment = {
      paymentId: intent.intentId,
      merchantId: a,
      amount: { currency: 'USD', value: 10_000 },
      fees: { platform: charge.fees.platform, processing: charge.fees.processing },
    } as Payment & { merchantId: string };
    const refund = merchantRefundOf(
      paymentRefundSource(asPayment),
      { refundId, amount: 5_000, refundedBefore: 0 },
      {
        transactionId: deps.ids.derive('txn_', 'refund', refundId),
        at: later,
        available: net - 4_000,
        ...(splits === undefined ? {} : { splits }),
      },
    );
    await ledger.executeWith(
      {
        type: 'post',
        id: `refund:${refundId}`,
        debit: accounts.merchantPending(a, 'live', 'USD'),
        credit: accounts.providerClearing('stripe', 'USD'),
        amount: 5_000,
        code: 'refund',
      },
      refundItems(TABLE_NAME, refund),
      refund.transfers,
    );
    expect(refund.splitsReversed).toBe(2_000);
    expect((await balanceFor(b)).available).toEqual([{ amount: 1_500, currency: 'USD' }]);
    expect((await balanceFor(c)).available).toEqual([{ amount: 500, currency: 'USD' }]);
    expect((await listed(b))[0]).toMatchObject({ kind: 'split', amount: -1_500, status: 'available' });
    const aBalance = await balanceFor(a);
    expect((aBalance.available[0]?.amount ?? 0) + (aBalance.pending[0]?.amount ?? 0)).toBe(
      net - 4_000 - 5_000 + refund.feeReturned + 2_000,
    );
    expect(await ledgerProblems(client, TABLE_NAME)).toEqual([]);
  });
});
