/**
 * The split legs of a PaymentIntent's charge and of its refunds (merchantChargeOf / merchantRefundOf with
 * `splits`): the fees on the whole capture, borne by the charging merchant; each split merchant's share
 * into its pending balance with a `split` balance transaction; the refund's reversals from the split
 * merchants' available, then pending, back into the charging merchant's available. Every transaction is
 * posted on an in-memory ledger (live mode: merchantRefundOf refunds mini-app payments, which are live), which must balance (Σ debits = Σ credits) after each one, and every
 * merchant's balance must have moved by the net of its balance transactions.
 */
import {
  type BalanceTransaction,
  merchantChargeOf,
  merchantRefundOf,
  paymentRefundSource,
} from '../../../shared/domain/balance.js';
import {
  DEFAULT_FEE_TIERS,
  DEFAULT_PROCESSING_FEE,
  feesOf,
  parseFeeTiers,
  parseProcessingFee,
} from '../../../shared/domain/fees.js';
import {
  type Account,
  accounts,
  applyPosting,
  checkLedgerInvariant,
  type NewTransfer,
  postingsOfNew,
} from '../../../shared/domain/ledger.js';
import type { Payment } from '../../../shared/domain/payment.js';

const AT = new Date('2026-12-07T12:00:00Z');
const SCHEDULE = {
  tiers: parseFeeTiers(DEFAULT_FEE_TIERS),
  processing: parseProcessingFee(DEFAULT_PROCESSING_FEE),
};
const CLEARING = accounts.providerClearing('stripe', 'USD');

class MemoryLedger {
  readonly accounts = new Map<string, Account>();

  post(transfers: readonly NewTransfer[]): void {
    for (const transfer of transfers) {
      expect(transfer.amount).toBeGreaterThan(0);
      for (const { account, delta } of postingsOfNew('post', transfer)) {
        const before = this.accounts.get(account.id) ?? {
          ...account,
          debitsPosted: 0,
          creditsPosted: 0,
          debitsPending: 0,
          creditsPending: 0,
          version: 0,
        };
        this.accounts.set(account.id, applyPosting(before, delta));
      }
    }
    expect(checkLedgerInvariant([...this.accounts.values()])).toEqual([]);
    const all = [...this.accounts.values()];
    const debits = all.reduce((sum, a) => sum + a.debitsPosted, 0);
    const credits = all.reduce((sum, a) => sum + a.creditsPosted, 0);
    expect(debits).toBe(credits);
  }

  net(account: { id: string }): number {
    const found = this.accounts.get(account.id);
    return found === undefined ? 0 : found.creditsPosted - found.debitsPosted;
  }

  /** A merchant's pending + available in live mode. */
  balance(merchantId: string): number {
    return (
      this.net(accounts.merchantPending(merchantId, 'live', 'USD')) +
      this.net(accounts.merchantAvailable(merchantId, 'live', 'USD'))
    );
  }
}

const netOf = (transactions: readonly BalanceTransaction[], merchantId: string) =>
  transactions.filter((t) => t.merchantId === merchantId).reduce((sum, t) => sum + t.net, 0);

/** The charge of `captured` of an intent of 10,000 with splits of 3,000 (mch_b) and 1,000 (mch_c). */
function chargeWithSplits(captured: number, shares: readonly [number, number]) {
  const fees = feesOf(captured, 'card', 0, SCHEDULE);
  const charge = merchantChargeOf(
    {
      sourceId: 'pi_1',
      merchantId: 'mch_a',
      mode: 'live',
      amount: { currency: 'USD', value: captured },
      payer: CLEARING,
    },
    fees,
    {
      transactionId: 'txn_charge',
      at: AT,
      settlementDelaySeconds: 60,
      splits: {
        payments: [
          { merchantId: 'mch_b', share: shares[0], transactionId: 'txn_split_b' },
          { merchantId: 'mch_c', share: shares[1], transactionId: 'txn_split_c' },
        ],
        transactionId: 'txn_split_a',
      },
    },
  );
  return { fees, charge };
}

/** An intent as merchantRefundOf takes a charge's source (the lead's and mrefunds' shape may differ). */
const intentAsPayment = (captured: number, platform: number, processing: number) =>
  ({
    paymentId: 'pi_1',
    merchantId: 'mch_a',
    amount: { currency: 'USD', value: captured },
    fees: { platform, processing },
  }) as Payment & { merchantId: string };

describe('Function: merchantChargeOf with splits', () => {
  it('takes the fees on the whole capture from the charging merchant and pays each split its share', () => {
    // Arrange
    const ledger = new MemoryLedger();

    // Act
    const { fees, charge } = chargeWithSplits(10_000, [3_000, 1_000]);
    ledger.post(charge.transfers);

    // Assert
    expect(fees).toEqual(feesOf(10_000, 'card', 0, SCHEDULE));
    expect(ledger.net(accounts.merchantPending('mch_b', 'live', 'USD'))).toBe(3_000);
    expect(ledger.net(accounts.merchantPending('mch_c', 'live', 'USD'))).toBe(1_000);
    expect(ledger.net(accounts.merchantPending('mch_a', 'live', 'USD'))).toBe(fees.net - 4_000);
    expect(ledger.net(accounts.platformFees('live', 'USD'))).toBe(fees.platform);
    expect(ledger.net(accounts.processingFees('live', 'USD'))).toBe(fees.processing);
    expect(ledger.net(CLEARING)).toBe(-10_000);
    const listed = [charge.transaction, ...charge.splitTransactions];
    for (const merchantId of ['mch_a', 'mch_b', 'mch_c'])
      expect(netOf(listed, merchantId)).toBe(ledger.balance(merchantId));
    expect(charge.splitTransactions).toEqual([
      expect.objectContaining({ id: 'txn_split_b', merchantId: 'mch_b', kind: 'split', amount: 3_000 }),
      expect.objectContaining({ id: 'txn_split_c', merchantId: 'mch_c', kind: 'split', amount: 1_000 }),
      expect.objectContaining({ id: 'txn_split_a', merchantId: 'mch_a', kind: 'split', amount: -4_000 }),
    ]);
    for (const split of charge.splitTransactions) {
      expect(split).toMatchObject({
        mode: 'live',
        fee: 0,
        net: split.amount,
        status: 'pending',
        source: 'pi_1',
        availableOn: charge.transaction.availableOn,
        created: charge.transaction.created,
      });
    }
    expect(charge.transaction).toMatchObject({ amount: 10_000, net: fees.net, kind: 'charge' });
  });

  it('moves nothing for a share of 0 and lists no split without shares', () => {
    const { charge } = chargeWithSplits(1, [0, 0]);
    expect(charge.transfers.filter((t) => t.code === 'payment')).toHaveLength(1);
    expect(charge.splitTransactions).toEqual([]);
  });
});

describe('Function: merchantRefundOf with splits', () => {
  it('reverses the splits in proportion over refunds, available first, back to the charging merchant', () => {
    // Arrange: captured 10,000 with splits of 3,000 and 1,000; mch_b's share settled, mch_c's not.
    const ledger = new MemoryLedger();
    const { fees, charge } = chargeWithSplits(10_000, [3_000, 1_000]);
    ledger.post(charge.transfers);
    ledger.post([
      {
        id: 'settle:b',
        debit: accounts.merchantPending('mch_b', 'live', 'USD'),
        credit: accounts.merchantAvailable('mch_b', 'live', 'USD'),
        amount: 3_000,
        code: 'adjustment',
      },
    ]);
    const payment = intentAsPayment(10_000, fees.platform, fees.processing);
    const splitsAt = (refundId: string) => ({
      captured: 10_000,
      parties: [
        {
          merchantId: 'mch_b',
          share: 3_000,
          available: ledger.net(accounts.merchantAvailable('mch_b', 'live', 'USD')),
          transactionId: `txn_${refundId}_b`,
        },
        {
          merchantId: 'mch_c',
          share: 1_000,
          available: ledger.net(accounts.merchantAvailable('mch_c', 'live', 'USD')),
          transactionId: `txn_${refundId}_c`,
        },
      ],
      transactionId: `txn_${refundId}_a`,
    });
    const listed: BalanceTransaction[] = [charge.transaction, ...charge.splitTransactions];
    const balancesBefore = () => ['mch_a', 'mch_b', 'mch_c'].map((m) => ledger.balance(m));

    // Act: three refunds of 3,333, 3,333 and 3,334, each with the refund's own transfer
    let refundedBefore = 0;
    const reversals: number[][] = [];
    for (const [index, amount] of [3_333, 3_333, 3_334].entries()) {
      const refundId = `re_${index}`;
      const before = balancesBefore();
      const refund = merchantRefundOf(
        paymentRefundSource(payment),
        { refundId, amount, refundedBefore },
        {
          transactionId: `txn_${refundId}`,
          at: AT,
          available: ledger.net(accounts.merchantAvailable('mch_a', 'live', 'USD')),
          splits: splitsAt(refundId),
        },
      );
      ledger.post([
        ...refund.transfers,
        {
          id: `refund:${refundId}`,
          debit: accounts.merchantPending('mch_a', 'live', 'USD'),
          credit: CLEARING,
          amount,
          code: 'refund',
        },
      ]);
      refundedBefore += amount;
      const moved = [refund.transaction, ...refund.splitTransactions];
      listed.push(...moved);
      ['mch_a', 'mch_b', 'mch_c'].forEach((merchantId, m) => {
        expect(ledger.balance(merchantId) - (before[m] ?? 0)).toBe(netOf(moved, merchantId));
      });
      reversals.push(refund.splitTransactions.map((t) => t.amount));
      expect(refund.splitsReversed).toBe(
        refund.splitTransactions.filter((t) => t.merchantId === 'mch_a').reduce((s, t) => s + t.amount, 0),
      );
    }

    // Assert: half-even in proportion, all of each share back after a full refund
    expect(reversals).toEqual([
      [-1_000, -333, 1_333], // 3,000 × 3,333 / 10,000 = 999.9; 1,000 × 3,333 / 10,000 = 333.3
      [-1_000, -334, 1_334], // on the total: 1,999.8 → 2,000 and 666.6 → 667
      [-1_000, -333, 1_333],
    ]);
    expect(ledger.balance('mch_b')).toBe(0);
    expect(ledger.balance('mch_c')).toBe(0);
    // mch_b paid from available (it was settled); mch_c from pending.
    expect(ledger.net(accounts.merchantAvailable('mch_b', 'live', 'USD'))).toBe(0);
    expect(ledger.net(accounts.merchantPending('mch_c', 'live', 'USD'))).toBe(0);
    // The charging merchant is left with the processing fee lost, the platform fee returned in full.
    expect(ledger.balance('mch_a')).toBe(-fees.processing);
    expect(ledger.net(CLEARING)).toBe(0);
    for (const merchantId of ['mch_a', 'mch_b', 'mch_c'])
      expect(netOf(listed, merchantId)).toBe(ledger.balance(merchantId));
    for (const t of listed.filter((t) => t.kind === 'split' && t.source === 'pi_1' && t.amount < 0))
      expect(t).toMatchObject({ fee: 0, net: t.amount });
  });

  it('takes a split merchant below zero when it has paid its share out, and leaves a refund without splits as it was', () => {
    const payment = intentAsPayment(10_000, 820, 320);
    const refund = merchantRefundOf(
      paymentRefundSource(payment),
      { refundId: 're_1', amount: 10_000, refundedBefore: 0 },
      {
        transactionId: 'txn_re_1',
        at: AT,
        available: 0,
        splits: {
          captured: 10_000,
          parties: [{ merchantId: 'mch_b', share: 3_000, available: -50, transactionId: 'txn_b' }],
          transactionId: 'txn_a',
        },
      },
    );
    expect(refund.transfers.filter((t) => t.id.includes(':split:'))).toEqual([
      expect.objectContaining({
        id: 'refund:re_1:split:mch_b:from_pending',
        debit: accounts.merchantPending('mch_b', 'live', 'USD'),
        credit: accounts.merchantAvailable('mch_a', 'live', 'USD'),
        amount: 3_000,
      }),
    ]);
    // The reversal and the fee return pay the refund from available first.
    expect(refund.fromAvailable).toBe(3_000 + 820);

    const plain = merchantRefundOf(
      paymentRefundSource(payment),
      { refundId: 're_2', amount: 10_000, refundedBefore: 0 },
      { transactionId: 'txn_re_2', at: AT, available: 0 },
    );
    expect(plain).toMatchObject({ fromAvailable: 820, splitsReversed: 0, splitTransactions: [] });
  });
});
