/**
 * A merchant's side of the money (API.md "Balance"): what a completed payment adds to its pending balance,
 * net of fees, as one set of ledger transfers with the balance transaction that lists it; settlement, which
 * makes it available when due; and the balance as the merchant reads it.
 */
import { type Fees, platformFeeReturned, reserveOf } from './fees.js';
import { type Account, type AccountRef, accounts, type LedgerMode, type NewTransfer } from './ledger.js';
import type { Payment } from './payment.js';
import { type SplitCharge, type SplitRefund, splitChargeLegsOf, splitRefundLegsOf } from './splits.js';

export const BALANCE_TRANSACTION_TYPES = ['charge', 'refund', 'payout', 'split', 'adjustment'] as const;
export type BalanceTransactionType = (typeof BALANCE_TRANSACTION_TYPES)[number];
export type BalanceTransactionStatus = 'pending' | 'available';

/** One movement of a merchant's balance (`txn_...`), in its tenant (merchant and mode), newest first. */
export interface BalanceTransaction {
  id: string;
  merchantId: string;
  mode: LedgerMode;
  kind: BalanceTransactionType;
  /** Gross, signed: a charge is positive, a refund negative. */
  amount: number;
  fee: number;
  /** What the merchant's balance moved by: amount − fee. */
  net: number;
  currency: string;
  status: BalanceTransactionStatus;
  /** Epoch seconds: when a pending movement becomes available. */
  availableOn: number;
  /** The payment (or refund, payout...) it comes from. */
  source: string;
  /** Epoch seconds. */
  created: number;
}

/** Everything a payment's completion does to its merchant's side, for one ledger transaction. */
export interface MerchantCharge {
  merchantId: string;
  mode: LedgerMode;
  fees: Fees;
  /** The fee transfers out of the merchant's pending balance, beside the payment's own transfer. */
  transfers: NewTransfer[];
  transaction: BalanceTransaction;
  /**
   * The `split` balance transactions of the shares paid on (splits.ts): one per split merchant, and the
   * charging merchant's negative one, written with `transaction`; their transfers are in `transfers`.
   */
  splitTransactions: BalanceTransaction[];
  /** `yyyy-mm` of the completion: the month whose volume the amount adds to (the fee tier). */
  month: string;
}

/** Stable ids of a payment's fee transfers, so a retried completion cannot take them twice. */
export const feeTransferIds = {
  /** A charge's amount into the merchant's pending balance, when the charge brings it (a PaymentIntent). */
  charge: (sourceId: string) => `charge:${sourceId}`,
  platform: (paymentId: string) => `payment:${paymentId}:platform_fee`,
  processing: (paymentId: string) => `payment:${paymentId}:processing_fee`,
  feeReturn: (refundId: string) => `refund:${refundId}:fee_return`,
  settlement: (transactionId: string) => `settle:${transactionId}`,
};

/** The month a volume counts towards, as `yyyy-mm` (UTC). */
export function volumeMonth(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/**
 * What a charge is for: its source (a payment or PaymentIntent id), whose balance it pays in which mode,
 * the amount, and, when the money comes into the merchant's pending balance in this charge (a
 * PaymentIntent, from provider clearing), the account it comes from.
 */
export interface ChargeSource {
  sourceId: string;
  merchantId: string;
  mode: LedgerMode;
  amount: { currency: string; value: number };
  /** None for a mini-app payment: its own transfer credits the merchant's pending balance (payeeAccountOf). */
  payer?: AccountRef;
}

/** A mini-app payment as a charge source: live, paid in by the payment's own transfer. */
export function paymentChargeSource(payment: Payment & { merchantId: string }): ChargeSource {
  return {
    sourceId: payment.paymentId,
    merchantId: payment.merchantId,
    mode: 'live',
    amount: payment.amount,
  };
}

/**
 * The merchant side of a charge that completes at `at` with `fees`: the amount comes into the merchant's
 * pending balance (from `payer` here, or by the payment's own transfer), and these transfers take the fees
 * from it, so the merchant's pending grows by the net and pending + fees = amount.
 */
export function merchantChargeOf(
  source: ChargeSource,
  fees: Fees,
  input: { transactionId: string; at: Date; settlementDelaySeconds: number; splits?: SplitCharge },
): MerchantCharge {
  const { currency, value } = source.amount;
  const { merchantId, mode, sourceId } = source;
  const pending = accounts.merchantPending(merchantId, mode, currency);
  const metadata = { paymentId: sourceId, merchantId };
  const transfers: NewTransfer[] = [];
  if (source.payer !== undefined) {
    transfers.push({
      id: feeTransferIds.charge(sourceId),
      debit: source.payer,
      credit: pending,
      amount: value,
      code: 'payment',
      metadata,
    });
  }
  if (fees.platform > 0) {
    transfers.push({
      id: feeTransferIds.platform(sourceId),
      debit: pending,
      credit: accounts.platformFees(mode, currency),
      amount: fees.platform,
      code: 'fee',
      metadata,
    });
  }
  if (fees.processing > 0) {
    transfers.push({
      id: feeTransferIds.processing(sourceId),
      debit: pending,
      credit: accounts.processingFees(mode, currency),
      amount: fees.processing,
      code: 'fee',
      metadata,
    });
  }
  const created = Math.floor(input.at.getTime() / 1000);
  const availableOn = created + input.settlementDelaySeconds;
  // The fees are on the whole charge, borne by its merchant; the splits' shares go on from its pending.
  const splits =
    input.splits === undefined
      ? { transfers: [], transactions: [] }
      : splitChargeLegsOf(
          { merchantId, mode, currency, sourceId, created, availableOn, status: 'pending' },
          input.splits,
        );
  transfers.push(...splits.transfers);
  return {
    merchantId,
    mode,
    fees,
    transfers,
    splitTransactions: splits.transactions,
    month: volumeMonth(input.at),
    transaction: {
      id: input.transactionId,
      merchantId,
      mode,
      kind: 'charge',
      amount: value,
      fee: fees.platform + fees.processing,
      net: fees.net,
      currency,
      status: 'pending',
      availableOn,
      source: sourceId,
      created,
    },
  };
}

/** Settlement of a pending movement: its net moves from the merchant's pending balance to available. */
export function settlementTransferOf(transaction: BalanceTransaction): NewTransfer {
  const { merchantId, mode, currency } = transaction;
  const positive = transaction.net >= 0;
  const pending = accounts.merchantPending(merchantId, mode, currency);
  const available = accounts.merchantAvailable(merchantId, mode, currency);
  return {
    id: feeTransferIds.settlement(transaction.id),
    debit: positive ? pending : available,
    credit: positive ? available : pending,
    amount: Math.abs(transaction.net),
    code: 'adjustment',
    metadata: { balanceTransactionId: transaction.id, merchantId },
  };
}

/**
 * The merchant side of a refund of `amount` of a charge (a mini-app payment or a PaymentIntent): the
 * platform fee returned in proportion to the merchant's available balance, and the refund taken from
 * available first, then pending (a balance may go negative). `available` is as read before.
 */
export interface MerchantRefund {
  /** The part of the refund taken from available (the rest from pending). */
  fromAvailable: number;
  fromPending: number;
  feeReturned: number;
  /**
   * With the refund's money (merchant pending → the payer or provider clearing, the whole amount: the
   * payment's own refund transfer, or the first of these when the source names a payee): the fee returned
   * to available, and available's share moved to pending first, so available pays before pending does.
   */
  transfers: NewTransfer[];
  transaction: BalanceTransaction;
  /** What the splits gave back into available (splits.ts), and their `split` balance transactions. */
  splitsReversed: number;
  splitTransactions: BalanceTransaction[];
}

/**
 * What a refund is of: the charge's source (a payment or PaymentIntent id), whose balance pays it in which
 * mode, what was charged and its platform fee, and, when the refund takes the money out of the merchant's
 * pending balance itself (a PaymentIntent's, back to provider clearing), the account it goes to.
 */
export interface RefundSource {
  sourceId: string;
  merchantId: string;
  mode: LedgerMode;
  amount: { currency: string; value: number };
  /** The charge's platform fee; none for a charge recorded before fees were kept. */
  platformFee?: number;
  /** None for a mini-app payment: its own refund transfer debits the merchant's pending balance. */
  payee?: AccountRef;
}

/** A mini-app payment as a refund source: live, paid back by the payment's own refund transfer. */
export function paymentRefundSource(payment: Payment & { merchantId: string }): RefundSource {
  return {
    sourceId: payment.paymentId,
    merchantId: payment.merchantId,
    mode: 'live',
    amount: payment.amount,
    ...(payment.fees === undefined ? {} : { platformFee: payment.fees.platform }),
  };
}

/** Stable id of a refund's own money when the merchant side carries it (a PaymentIntent's refund). */
export const refundMoneyTransferId = (refundId: string) => `refund:${refundId}:money`;

export function merchantRefundOf(
  source: RefundSource,
  refund: { refundId: string; amount: number; refundedBefore: number },
  input: { transactionId: string; at: Date; available: number; splits?: SplitRefund },
): MerchantRefund {
  const { currency, value } = source.amount;
  const { mode, merchantId } = source;
  const feeReturned =
    source.platformFee === undefined
      ? 0
      : platformFeeReturned(
          { amount: value, platformFee: source.platformFee },
          refund.refundedBefore,
          refund.amount,
        );
  const created = Math.floor(input.at.getTime() / 1000);
  const splits =
    input.splits === undefined
      ? { transfers: [], transactions: [], reversed: 0 }
      : splitRefundLegsOf(
          {
            merchantId,
            mode,
            currency,
            sourceId: source.sourceId,
            refundId: refund.refundId,
            created,
            availableOn: created,
            status: 'available',
          },
          refund,
          input.splits,
        );
  const fromAvailable = Math.min(refund.amount, Math.max(0, input.available + feeReturned + splits.reversed));
  const metadata = { paymentId: source.sourceId, refundId: refund.refundId };
  const available = accounts.merchantAvailable(merchantId, mode, currency);
  const pending = accounts.merchantPending(merchantId, mode, currency);
  // The splits' reversals come into available first, so available pays the refund with them.
  const transfers: NewTransfer[] = [...splits.transfers];
  if (source.payee !== undefined) {
    transfers.push({
      id: refundMoneyTransferId(refund.refundId),
      debit: pending,
      credit: source.payee,
      amount: refund.amount,
      code: 'refund',
      metadata,
    });
  }
  if (feeReturned > 0) {
    transfers.push({
      id: feeTransferIds.feeReturn(refund.refundId),
      debit: accounts.platformFees(mode, currency),
      credit: available,
      amount: feeReturned,
      code: 'fee',
      metadata,
    });
  }
  if (fromAvailable > 0) {
    transfers.push({
      id: `refund:${refund.refundId}:from_available`,
      debit: available,
      credit: pending,
      amount: fromAvailable,
      code: 'refund',
      metadata,
    });
  }
  return {
    fromAvailable,
    fromPending: refund.amount - fromAvailable,
    feeReturned,
    transfers,
    splitsReversed: splits.reversed,
    splitTransactions: splits.transactions,
    transaction: {
      id: input.transactionId,
      merchantId,
      mode,
      kind: 'refund',
      amount: -refund.amount,
      fee: -feeReturned,
      net: -refund.amount + feeReturned,
      currency,
      status: 'available',
      availableOn: created,
      source: source.sourceId,
      created,
    },
  };
}

export interface BalanceAmount {
  amount: number;
  currency: string;
}

export interface Balance {
  available: BalanceAmount[];
  pending: BalanceAmount[];
  reserved: BalanceAmount[];
  mode: LedgerMode;
}

/** A merchant's balance from its accounts (both kinds, every currency): posted money only. */
export function balanceOf(all: readonly Account[], mode: LedgerMode, reserveBps: number): Balance {
  const currencies = [...new Set(all.map((account) => account.currency))].sort();
  const posted = (kind: AccountRef['kind'], currency: string) =>
    all
      .filter((account) => account.kind === kind && account.currency === currency)
      .reduce((sum, account) => sum + account.creditsPosted - account.debitsPosted, 0);
  const available = currencies.map((currency) => ({
    amount: posted('merchant_available', currency),
    currency,
  }));
  return {
    mode,
    available,
    pending: currencies.map((currency) => ({ amount: posted('merchant_pending', currency), currency })),
    reserved: available.map(({ amount, currency }) => ({ amount: reserveOf(amount, reserveBps), currency })),
  };
}
