import type { Account } from '../../../shared/domain/ledger.js';
import { accounts } from '../../../shared/domain/ledger.js';
import { payoutAccounts } from '../../../shared/domain/payout.js';
import {
  merchantBalanceIn,
  type TransferReversal,
  transferReversalMovementOf,
  transferReversalPartsOf,
  uncoveredOf,
} from '../../../shared/domain/transfer-reversal.js';

const account = (
  ref: ReturnType<typeof accounts.merchantAvailable>,
  credits: number,
  debits: number,
): Account => ({
  ...ref,
  creditsPosted: credits,
  debitsPosted: debits,
  creditsPending: 0,
  debitsPending: 0,
  version: 1,
});

describe('the uncovered part of a split reversal', () => {
  it('is the negative part of the balance, never more than the share the refund reversed', () => {
    expect(uncoveredOf(3_000, -3_000)).toBe(3_000);
    expect(uncoveredOf(3_000, -1_200)).toBe(1_200);
    expect(uncoveredOf(3_000, -9_000)).toBe(3_000);
    expect(uncoveredOf(3_000, 0)).toBe(0);
    expect(uncoveredOf(3_000, 500)).toBe(0);
  });

  it('reads the balance as available + pending, posted, in the currency asked only', () => {
    const all = [
      account(accounts.merchantAvailable('mch_b', 'test', 'USD'), 0, 5_000),
      account(accounts.merchantPending('mch_b', 'test', 'USD'), 1_000, 0),
      account(accounts.merchantAvailable('mch_b', 'test', 'EUR'), 0, 7_000),
    ];
    expect(merchantBalanceIn(all, 'USD')).toBe(-4_000);
    expect(merchantBalanceIn(all, 'GBP')).toBe(0);
  });
});

describe('which paid transfers a reversal takes from', () => {
  const transfers = [
    { payoutId: 'po_new', transferId: 'tr_new', amount: 1_000, reversed: 400 },
    { payoutId: 'po_mid', transferId: 'tr_mid', amount: 500, reversed: 500 },
    { payoutId: 'po_old', transferId: 'tr_old', amount: 10_000, reversed: 0 },
  ];

  it('takes the newest first, each at most its unreversed amount, skipping the fully reversed', () => {
    expect(transferReversalPartsOf(2_000, transfers)).toEqual([
      { payoutId: 'po_new', transferId: 'tr_new', amount: 600, transferAmount: 1_000 },
      { payoutId: 'po_old', transferId: 'tr_old', amount: 1_400, transferAmount: 10_000 },
    ]);
  });

  it('stops when covered, and covers only what the transfers hold', () => {
    expect(transferReversalPartsOf(300, transfers)).toEqual([
      { payoutId: 'po_new', transferId: 'tr_new', amount: 300, transferAmount: 1_000 },
    ]);
    const all = transferReversalPartsOf(50_000, transfers);
    expect(all.reduce((sum, part) => sum + part.amount, 0)).toBe(10_600);
  });

  it('reverses nothing without a paid transfer (the next payouts recover it) or without anything uncovered', () => {
    expect(transferReversalPartsOf(2_000, [])).toEqual([]);
    expect(transferReversalPartsOf(0, transfers)).toEqual([]);
  });
});

describe('the ledger side of a reversal', () => {
  it('moves paid out → available with an adjustment whose source is the refund', () => {
    const reversal: TransferReversal = {
      refundId: 're_1',
      merchantId: 'mch_b',
      mode: 'test',
      currency: 'USD',
      amount: 2_000,
      parts: [{ payoutId: 'po_1', transferId: 'tr_1', amount: 2_000, transferAmount: 5_000 }],
      createdAt: '2026-12-07T10:00:00.000Z',
    };
    const { transfer, transaction } = transferReversalMovementOf(reversal, 'txn_r', 1_800_000_000);
    expect(transfer).toMatchObject({
      debit: payoutAccounts.paidOut('mch_b', 'test', 'USD'),
      credit: accounts.merchantAvailable('mch_b', 'test', 'USD'),
      amount: 2_000,
      code: 'adjustment',
    });
    expect(transaction).toMatchObject({
      id: 'txn_r',
      merchantId: 'mch_b',
      kind: 'adjustment',
      amount: 2_000,
      fee: 0,
      net: 2_000,
      status: 'available',
      source: 're_1',
    });
  });
});
