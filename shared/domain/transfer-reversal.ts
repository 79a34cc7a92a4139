/**
 * Transfer reversals (issue #17, "Splits and reversals"): when a refund reverses a split merchant's share
 * (splits.ts) and that merchant's balance is negative afterwards because its share already left in a paid
 * payout, the platform takes the uncovered part back from the merchant's connected account, like Stripe
 * Connect's `reverse_transfer`: a transfer reversal on the merchant's most recent paid payout transfers.
 *
 * The rules, as pure arithmetic on integer minor units:
 * - uncovered = min(reversed share, −balance) when the balance (available + pending, the refund's mode and
 *   currency) is negative, else 0: never more than the refund took from that merchant;
 * - it is taken from the paid payouts' transfers newest first, each at most its unreversed amount; what no
 *   paid transfer covers stays negative and is recovered from the next payouts;
 * - the ledger side: paid out → available (the money is back on the platform, the balance goes up), with an
 *   `adjustment` balance transaction whose source is the refund, once per (refund, split merchant).
 */
import type { BalanceTransaction } from './balance.js';
import { type Account, accounts, type LedgerMode, type NewTransfer } from './ledger.js';
import { payoutAccounts } from './payout.js';

/** A paid payout's transfer to the connected account, and how much of it was reversed already. */
export interface PaidTransfer {
  payoutId: string;
  transferId: string;
  /** What the transfer sent (the payout's amount less its fee). */
  amount: number;
  reversed: number;
}

/** One transfer reversal: `amount` of a paid payout's transfer taken back. */
export interface TransferReversalPart {
  payoutId: string;
  transferId: string;
  amount: number;
  /** What the transfer sent: the part's reversed total may not pass it. */
  transferAmount: number;
  /** The provider's reversal id, once made. */
  providerReversalId?: string;
}

/** What a refund recovered from one split merchant's paid payouts (keyed by refund and merchant). */
export interface TransferReversal {
  refundId: string;
  /** The split merchant. */
  merchantId: string;
  mode: LedgerMode;
  currency: string;
  /** Σ parts. */
  amount: number;
  parts: TransferReversalPart[];
  createdAt: string;
}

/** The merchant's balance in one currency: available + pending, posted money only. */
export function merchantBalanceIn(all: readonly Account[], currency: string): number {
  return all
    .filter(
      (account) =>
        account.currency === currency &&
        (account.kind === 'merchant_available' || account.kind === 'merchant_pending'),
    )
    .reduce((sum, account) => sum + account.creditsPosted - account.debitsPosted, 0);
}

/** What is left to recover: the negative part of the balance, at most the share the refund reversed. */
export function uncoveredOf(reversedShare: number, balance: number): number {
  return Math.max(0, Math.min(reversedShare, -balance));
}

/**
 * The reversals covering `uncovered` from paid transfers given newest first, each at most its unreversed
 * amount. Σ amounts ≤ uncovered (less when the transfers do not cover it).
 */
export function transferReversalPartsOf(
  uncovered: number,
  transfers: readonly PaidTransfer[],
): TransferReversalPart[] {
  const parts: TransferReversalPart[] = [];
  let left = uncovered;
  for (const transfer of transfers) {
    if (left <= 0) break;
    const amount = Math.min(left, Math.max(0, transfer.amount - transfer.reversed));
    if (amount === 0) continue;
    parts.push({
      payoutId: transfer.payoutId,
      transferId: transfer.transferId,
      amount,
      transferAmount: transfer.amount,
    });
    left -= amount;
  }
  return parts;
}

/** The idempotency key of one part at the provider, and the id of its ledger transfer: one per (refund, merchant). */
export const transferReversalIds = {
  provider: (refundId: string, merchantId: string, payoutId: string) =>
    `${refundId}:${merchantId}:${payoutId}`,
  transfer: (refundId: string, merchantId: string) =>
    `refund:${refundId}:split:${merchantId}:reversed_payout`,
};

/** paid out → available, with its `adjustment` balance transaction (source: the refund). */
export function transferReversalMovementOf(
  reversal: TransferReversal,
  transactionId: string,
  created: number,
): { transfer: NewTransfer; transaction: BalanceTransaction } {
  const { refundId, merchantId, mode, currency, amount } = reversal;
  return {
    transfer: {
      id: transferReversalIds.transfer(refundId, merchantId),
      debit: payoutAccounts.paidOut(merchantId, mode, currency),
      credit: accounts.merchantAvailable(merchantId, mode, currency),
      amount,
      code: 'adjustment',
      metadata: { refundId, merchantId },
    },
    transaction: {
      id: transactionId,
      merchantId,
      mode,
      kind: 'adjustment',
      amount,
      fee: 0,
      net: amount,
      currency,
      status: 'available',
      availableOn: created,
      source: refundId,
      created,
    },
  };
}
