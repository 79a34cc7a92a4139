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
): Promise<MerchantCharge | undefined> {
  const { merchantId } = payment;
  if (merchantId === undefined) return undefined;
  if (deps === undefined)
    throw new Error(`Payment ${payment.paymentId} pays a merchant: fees are not configured`);
  const volume = await deps.balances.monthlyVolume(merchantId, 'live', volumeMonth(at));
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
 * the tier of that mode's volume this month and the card processing fee.
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
  });
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
  return merchantRefundOf(source, refund, {
    transactionId: deps.ids.derive('txn_', 'refund', refund.refundId),
    at,
    available,
  });
}
