/**
 * What a payment's completion does on its merchant's side, decided in one place for every path that
 * completes a payment (the wallet fast path, the MFA hold's capture, a card or PayPal charge): the fees at
 * the merchant's tier this month, taken from the merchant's pending balance in the payment's own
 * transaction, with the balance transaction that lists it.
 */
import {
  balanceOf,
  type MerchantCharge,
  type MerchantRefund,
  merchantChargeOf,
  merchantRefundOf,
  paymentChargeSource,
  paymentRefundSource,
  volumeMonth,
} from '../../domain/balance.js';
import { type FeeSchedule, feesOf } from '../../domain/fees.js';
import { accounts } from '../../domain/ledger.js';
import type { Payment } from '../../domain/payment.js';
import type { PaymentIntent } from '../../domain/payment-intent.js';
import { type SplitCharge, type SplitRefund, splitSharesOf } from '../../domain/splits.js';
import type { Ids } from '../ports.js';
import type { MerchantBalances } from './ports.js';

export interface MerchantLedgerDeps {
  balances: Pick<MerchantBalances, 'monthlyVolume' | 'accounts'>;
  fees: FeeSchedule;
  settlementDelaySeconds: number;
  ids: Ids;
}

/**
 * The merchant charge of `payment` completing at `at`; none for a payment recorded before merchants
 * existed (it pays its app's own account, without fees).
 */
export async function merchantChargeFor(
  payment: Payment,
  at: Date,
  deps: MerchantLedgerDeps | undefined,
  /** The merchant's live volume in `at`'s month, when it was read already (with the payer's wallet). */
  volumeRead?: number,
): Promise<MerchantCharge | undefined> {
  const { merchantId } = payment;
  if (merchantId === undefined) return undefined;
  if (deps === undefined)
    throw new Error(`Payment ${payment.paymentId} pays a merchant: fees are not configured`);
  const volume = volumeRead ?? (await deps.balances.monthlyVolume(merchantId, 'live', volumeMonth(at)));
  const fees = feesOf(payment.amount.value, payment.paymentMethod.type, volume, deps.fees);
  return merchantChargeOf(paymentChargeSource({ ...payment, merchantId }), fees, {
    // Derived from the payment, so a retried completion writes the same transaction, never a second one.
    transactionId: deps.ids.derive('txn_', 'charge', payment.paymentId),
    at,
    settlementDelaySeconds: deps.settlementDelaySeconds,
  });
}

/**
 * The merchant charge of a PaymentIntent that succeeds at `at`: what was captured comes from the card
 * processor's clearing into the merchant's pending balance in the intent's mode, less the platform fee at
 * the tier of that mode's volume this month and the card processing fee (both on the whole capture), less
 * the splits' shares, which go on to the split merchants' pending balances (splits.ts). The volume the
 * write adds is the whole capture, to the charging merchant's; a split is not its merchant's volume.
 */
export async function intentChargeFor(
  intent: PaymentIntent,
  at: Date,
  deps: MerchantLedgerDeps,
): Promise<MerchantCharge> {
  const { merchantId, mode, currency, amountReceived } = intent;
  const volume = await deps.balances.monthlyVolume(merchantId, mode, volumeMonth(at));
  const fees = feesOf(amountReceived, 'card', volume, deps.fees);
  const source = {
    sourceId: intent.intentId,
    merchantId,
    mode,
    amount: { currency, value: amountReceived },
    payer: intentClearing(mode, currency),
  };
  return merchantChargeOf(source, fees, {
    // Derived from the intent, so a retried capture writes the same transaction, never a second one.
    transactionId: deps.ids.derive('txn_', 'charge', intent.intentId),
    at,
    settlementDelaySeconds: deps.settlementDelaySeconds,
    ...(intent.splits.length === 0 ? {} : { splits: splitChargeOf(intent, deps.ids) }),
  });
}

/** The shares of an intent's splits in what it captured, with their balance transactions' derived ids. */
function splitChargeOf(intent: PaymentIntent, ids: Ids): SplitCharge {
  return {
    payments: splitSharesOf(intent.splits, intent.amount, intent.amountReceived).map((share) => ({
      ...share,
      transactionId: ids.derive('txn_', 'split', intent.intentId, share.merchantId),
    })),
    transactionId: ids.derive('txn_', 'split', intent.intentId),
  };
}

/**
 * The split side of a refund of a PaymentIntent (merchantRefundOf's `splits`), none without splits: each
 * split merchant's share of what was captured, its available balance as read now (the reversal is taken
 * from available first), and the ids of the reversals' balance transactions, derived from the refund.
 */
export async function splitRefundFor(
  intent: PaymentIntent,
  refundId: string,
  deps: Pick<MerchantLedgerDeps, 'balances' | 'ids'>,
): Promise<SplitRefund | undefined> {
  if (intent.splits.length === 0) return undefined;
  const shares = splitSharesOf(intent.splits, intent.amount, intent.amountReceived);
  const parties = await Promise.all(
    shares.map(async (share) => {
      const all = await deps.balances.accounts(share.merchantId, intent.mode);
      const balance = balanceOf(all, intent.mode, 0);
      const available = balance.available.find((b) => b.currency === intent.currency)?.amount ?? 0;
      const transactionId = deps.ids.derive('txn_', 'split', refundId, share.merchantId);
      return { ...share, available, transactionId };
    }),
  );
  return {
    captured: intent.amountReceived,
    parties,
    transactionId: deps.ids.derive('txn_', 'split', refundId),
  };
}

/**
 * Where a PaymentIntent's money comes from: the card processor's clearing, a separate one for test mode,
 * so test charges never meet live money on any account.
 */
export function intentClearing(mode: PaymentIntent['mode'], currency: string) {
  return accounts.providerClearing(mode === 'live' ? 'stripe' : 'stripe_test', currency);
}

/** The fields a completion sets and the charge it writes, for a PaymentTransition or createWith. */
export function completionFields(charge: MerchantCharge | undefined) {
  return charge === undefined
    ? {}
    : { fees: { platform: charge.fees.platform, processing: charge.fees.processing } };
}

/**
 * The merchant side of a refund of a merchant's payment that succeeded: the platform fee returned in
 * proportion (on what was refunded before, so a payment refunded in full returns all of it), and the money
 * taken from available first (as read now), then pending. None for a payment without a merchant.
 */
export async function merchantRefundFor(
  payment: Payment,
  refund: { refundId: string; amount: number },
  at: Date,
  deps: MerchantLedgerDeps | undefined,
): Promise<MerchantRefund | undefined> {
  const { merchantId } = payment;
  if (merchantId === undefined) return undefined;
  if (deps === undefined)
    throw new Error(`Payment ${payment.paymentId} pays a merchant: fees are not configured`);
  const balance = balanceOf(await deps.balances.accounts(merchantId, 'live'), 'live', 0);
  const available = balance.available.find((b) => b.currency === payment.amount.currency)?.amount ?? 0;
  return merchantRefundOf(
    paymentRefundSource({ ...payment, merchantId }),
    { refundId: refund.refundId, amount: refund.amount, refundedBefore: payment.refundSettledAmount ?? 0 },
    { transactionId: deps.ids.derive('txn_', 'refund', refund.refundId), at, available },
  );
}

/**
 * The merchant side of a PaymentIntent's refund that succeeded, all its legs in one place: the money from
 * the merchant's pending balance back to the processor's clearing of the intent's mode, the platform fee
 * returned in proportion (on what was refunded before, so a full refund returns all of it; the processing
 * fee is not returned), available debited first, then pending. Splits (branch splits16) add their
 * reversal legs here, in proportion, so they are written in the same transaction.
 */
export async function intentRefundFor(
  intent: PaymentIntent,
  refund: { refundId: string; amount: number; refundedBefore: number },
  at: Date,
  deps: MerchantLedgerDeps,
): Promise<MerchantRefund> {
  const { merchantId, mode, currency } = intent;
  const balance = balanceOf(await deps.balances.accounts(merchantId, mode), mode, 0);
  const available = balance.available.find((b) => b.currency === currency)?.amount ?? 0;
  const source = {
    sourceId: intent.intentId,
    merchantId,
    mode,
    amount: { currency, value: intent.amountReceived },
    ...(intent.fees === null ? {} : { platformFee: intent.fees.platform }),
    payee: intentClearing(mode, currency),
  };
  // The splits give back their shares in proportion, in the same transaction (splits.ts).
  const splits = await splitRefundFor(intent, refund.refundId, deps);
  return merchantRefundOf(source, refund, {
    transactionId: deps.ids.derive('txn_', 'refund', refund.refundId),
    at,
    available,
    ...(splits === undefined ? {} : { splits }),
  });
}
