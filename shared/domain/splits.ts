/**
 * Splits of a PaymentIntent (API.md "PaymentIntents": `splits` pay other active merchants from the same
 * charge), as pure arithmetic on integer minor units and the ledger legs that carry it:
 * - the shares of what was captured: a full capture pays each split its amount; a partial capture scales
 *   the splits in proportion, half-even, allocated on the running total so the shares sum exactly to the
 *   rounded proportion of the splits' total and none is negative;
 * - the reversal of a refund: each split gives back its share in proportion to what was refunded,
 *   half-even, computed on the refunded total before and after (as the platform fee's return is), so the
 *   reversals of a split over several refunds never exceed its share and add up to it when all is refunded.
 *
 * Like Stripe Connect's separate charges and transfers: the charging merchant bears the fees on the whole
 * charge and transfers the shares on; a split is not processed volume of the merchant it pays (no fee is
 * taken from it), so it does not count toward that merchant's fee tier. A refund reverses the transfers in
 * proportion (Stripe's `reverse_transfer`); the split merchant sees the reversal as a negative `split`
 * balance transaction — the reversal of the money it was sent, not a refund it made — and the charging
 * merchant sees the money coming back as a positive `split` beside its `refund`.
 */
import type { BalanceTransaction } from './balance.js';
import { accounts, type LedgerMode, type NewTransfer } from './ledger.js';

/**
 * `a × b / c` rounded half to even, exactly: amounts go up to 10^10, so the product may pass 2^53 and is
 * taken in BigInt. All non-negative integers, `c` positive.
 */
export function proportionHalfEven(a: number, b: number, c: number): number {
  const numerator = BigInt(a) * BigInt(b);
  const denominator = BigInt(c);
  const quotient = numerator / denominator;
  const twice = 2n * (numerator - quotient * denominator);
  if (twice > denominator || (twice === denominator && quotient % 2n === 1n)) return Number(quotient + 1n);
  return Number(quotient);
}

/** What one split merchant is paid out of a charge. */
export interface SplitShare {
  merchantId: string;
  share: number;
}

/**
 * The shares of `captured` for splits asked on an intent of `amount` (Σ amounts < amount): each split's
 * amount × captured / amount, half-even on the running total, so Σ shares = that of Σ amounts exactly.
 */
export function splitSharesOf(
  splits: readonly { merchantId: string; amount: number }[],
  amount: number,
  captured: number,
): SplitShare[] {
  if (captured === amount) return splits.map(({ merchantId, amount: share }) => ({ merchantId, share }));
  let running = 0;
  let before = 0;
  return splits.map((split) => {
    running += split.amount;
    const upTo = proportionHalfEven(running, captured, amount);
    const share = upTo - before;
    before = upTo;
    return { merchantId: split.merchantId, share };
  });
}

/**
 * What a refund of `refundAmount` reverses of a split paid `share` out of a charge of `captured`, when
 * `refundedBefore` was refunded already: the share in proportion to the refunded total after, less that
 * before (half-even both), so a split is never reversed by more than it was paid.
 */
export function splitReversalOf(
  share: number,
  captured: number,
  refundedBefore: number,
  refundAmount: number,
): number {
  const reversed = (refunded: number) => proportionHalfEven(share, Math.min(refunded, captured), captured);
  return reversed(refundedBefore + refundAmount) - reversed(refundedBefore);
}

/** Stable ids of split transfers, so a retried charge or refund moves each once. */
export const splitTransferIds = {
  share: (sourceId: string, merchantId: string) => `split:${sourceId}:${merchantId}`,
  reversal: (refundId: string, merchantId: string, from: 'available' | 'pending') =>
    `refund:${refundId}:split:${merchantId}:from_${from}`,
};

/** A split merchant paid by a charge, with the id of the balance transaction that lists it. */
export interface SplitPayment extends SplitShare {
  transactionId: string;
}

/** The balance transaction ids of a charge's splits: each split merchant's, and the charging merchant's. */
export interface SplitCharge {
  payments: readonly SplitPayment[];
  /** The charging merchant's (negative) `split` balance transaction: all the shares it sends on. */
  transactionId: string;
}

/** Whose charge, in which mode and currency, from which source (a PaymentIntent id), when. */
export interface SplitContext {
  merchantId: string;
  mode: LedgerMode;
  currency: string;
  sourceId: string;
  created: number;
  availableOn: number;
  status: BalanceTransaction['status'];
}

/** The split legs of a charge: the transfers and the balance transactions listing them, on both sides. */
export interface SplitLegs {
  transfers: NewTransfer[];
  transactions: BalanceTransaction[];
}

function splitTransaction(
  context: SplitContext,
  merchantId: string,
  id: string,
  amount: number,
): BalanceTransaction {
  const { mode, currency, sourceId, created, availableOn, status } = context;
  return {
    id,
    merchantId,
    mode,
    kind: 'split',
    amount,
    fee: 0,
    net: amount,
    currency,
    status,
    availableOn,
    source: sourceId,
    created,
  };
}

/**
 * Each split merchant's share, from the charging merchant's pending balance into the split merchant's
 * pending balance (same mode), listed as a `split` to each (fee 0) and one negative `split` to the charging
 * merchant, pending until the charge's available_on. A share of 0 (a tiny partial capture) moves nothing.
 */
export function splitChargeLegsOf(context: SplitContext, splits: SplitCharge): SplitLegs {
  const { merchantId, mode, currency, sourceId } = context;
  const paid = splits.payments.filter((payment) => payment.share > 0);
  const transfers = paid.map(
    (payment): NewTransfer => ({
      id: splitTransferIds.share(sourceId, payment.merchantId),
      debit: accounts.merchantPending(merchantId, mode, currency),
      credit: accounts.merchantPending(payment.merchantId, mode, currency),
      amount: payment.share,
      code: 'payment',
      metadata: { paymentId: sourceId, merchantId: payment.merchantId },
    }),
  );
  const transactions = paid.map((payment) =>
    splitTransaction(context, payment.merchantId, payment.transactionId, payment.share),
  );
  const total = paid.reduce((sum, payment) => sum + payment.share, 0);
  if (total > 0) transactions.push(splitTransaction(context, merchantId, splits.transactionId, -total));
  return { transfers, transactions };
}

/** A split merchant's part in a refund: its share of the charge and its available balance as read now. */
export interface SplitRefundParty extends SplitPayment {
  available: number;
}

/** The split side of a refund (merchantRefundOf's optional input). */
export interface SplitRefund {
  /** What the charge captured: the base of the proportions. */
  captured: number;
  parties: readonly SplitRefundParty[];
  /** The charging merchant's (positive) `split` balance transaction: the reversals coming back. */
  transactionId: string;
}

/**
 * The reversal legs of a refund: each split merchant gives back its share in proportion, from its available
 * balance first, then pending (either may go negative), into the charging merchant's available balance,
 * which pays the refund from there. `reversed` is what came back in all.
 */
export function splitRefundLegsOf(
  context: SplitContext & { refundId: string },
  refund: { amount: number; refundedBefore: number },
  splits: SplitRefund,
): SplitLegs & { reversed: number } {
  const { merchantId, mode, currency, sourceId, refundId } = context;
  const into = accounts.merchantAvailable(merchantId, mode, currency);
  const transfers: NewTransfer[] = [];
  const transactions: BalanceTransaction[] = [];
  let reversed = 0;
  for (const party of splits.parties) {
    const back = splitReversalOf(party.share, splits.captured, refund.refundedBefore, refund.amount);
    if (back === 0) continue;
    reversed += back;
    const fromAvailable = Math.min(back, Math.max(0, party.available));
    const metadata = { paymentId: sourceId, refundId, merchantId: party.merchantId };
    const leg = (from: 'available' | 'pending', amount: number): NewTransfer => ({
      id: splitTransferIds.reversal(refundId, party.merchantId, from),
      debit:
        from === 'available'
          ? accounts.merchantAvailable(party.merchantId, mode, currency)
          : accounts.merchantPending(party.merchantId, mode, currency),
      credit: into,
      amount,
      code: 'refund',
      metadata,
    });
    if (fromAvailable > 0) transfers.push(leg('available', fromAvailable));
    if (back > fromAvailable) transfers.push(leg('pending', back - fromAvailable));
    transactions.push(splitTransaction(context, party.merchantId, party.transactionId, -back));
  }
  if (reversed > 0) transactions.push(splitTransaction(context, merchantId, splits.transactionId, reversed));
  return { transfers, transactions, reversed };
}
