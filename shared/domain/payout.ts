/**
 * A merchant's payout (API.md "Payouts"): money out of its available balance to its Stripe connected
 * account and on to its bank. The rules (minimum, daily limit, the instant fee, the arrival date) and the
 * ledger movements of each step are decided here:
 * - created: available → payouts in transit (amount − fee) and → the platform's fee account (fee), with its
 *   `payout` balance transaction (amount −(amount − fee), fee, net −amount: the balance moved by `amount`);
 * - paid: in transit → paid out;
 * - failed: in transit → available and the fee back, with a balance transaction that undoes the first.
 */
import type { BalanceTransaction } from './balance.js';
import { DomainError } from './errors.js';
import { basisPointsOf } from './fees.js';
import { type AccountRef, accounts, type LedgerMode, type NewTransfer } from './ledger.js';

export const PAYOUT_METHODS = ['standard', 'instant'] as const;
export type PayoutMethod = (typeof PAYOUT_METHODS)[number];
export const PAYOUT_STATUSES = ['pending', 'in_transit', 'paid', 'failed'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

export const PAYOUT_MINIMUM = 10_000;
/** Per merchant, mode and currency, per UTC day. */
export const PAYOUT_DAILY_LIMIT = 5_000_000;
export const INSTANT_PAYOUT_FEE_BPS = 100;
const INSTANT_ARRIVAL_SECONDS = 30 * 60;
const STANDARD_BUSINESS_DAYS = 2;

export interface Payout {
  payoutId: string;
  merchantId: string;
  mode: LedgerMode;
  /** What the merchant's balance is debited by. */
  amount: number;
  /** The instant fee (0 for standard); `amount − fee` arrives. */
  fee: number;
  currency: string;
  method: PayoutMethod;
  status: PayoutStatus;
  /** Epoch seconds: when the money is expected at the bank. */
  arrivalDate: number;
  /** The connected account it goes to. */
  destination: string;
  /** `yyyy-mm-dd` (UTC) of its creation: the day its amount counts towards the daily limit. */
  day: string;
  failureCode?: string;
  /** The transfer to the connected account and the payout on it, once made. */
  providerTransferId?: string;
  providerPayoutId?: string;
  /** The waiting flow's task token while it waits for the provider's answer. */
  taskToken?: string;
  createdAt: string;
  updatedAt: string;
}

export class PayoutBelowMinimumError extends DomainError {
  override readonly name = 'PayoutBelowMinimumError';
  constructor() {
    super('PAYOUT_BELOW_MINIMUM', `A payout must be at least ${PAYOUT_MINIMUM}`, { minimum: PAYOUT_MINIMUM });
  }
}

export class PayoutLimitExceededError extends DomainError {
  override readonly name = 'PayoutLimitExceededError';
  constructor() {
    super('PAYOUT_LIMIT_EXCEEDED', `Payouts may add up to at most ${PAYOUT_DAILY_LIMIT} a day`, {
      limit: PAYOUT_DAILY_LIMIT,
    });
  }
}

/** The instant fee: 100 bps, half-even; standard payouts are free. */
export function payoutFeeOf(amount: number, method: PayoutMethod): number {
  return method === 'instant' ? basisPointsOf(amount, INSTANT_PAYOUT_FEE_BPS) : 0;
}

/** About 30 minutes for instant; 2 business days (Saturday and Sunday skipped) for standard. */
export function arrivalDateOf(method: PayoutMethod, at: Date): number {
  const created = Math.floor(at.getTime() / 1000);
  if (method === 'instant') return created + INSTANT_ARRIVAL_SECONDS;
  const day = new Date(at.getTime());
  for (let left = STANDARD_BUSINESS_DAYS; left > 0; ) {
    day.setUTCDate(day.getUTCDate() + 1);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) left -= 1;
  }
  return Math.floor(day.getTime() / 1000);
}

/** The UTC day a payout created at `at` counts towards. */
export function payoutDayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export const payoutAccounts = {
  inTransit: (merchantId: string, mode: LedgerMode, currency: string): AccountRef =>
    own(`mch_payouts_in_transit_${merchantId}.${mode}.${currency}`, 'payouts_in_transit', currency),
  paidOut: (merchantId: string, mode: LedgerMode, currency: string): AccountRef =>
    own(`mch_paid_out_${merchantId}.${mode}.${currency}`, 'paid_out', currency),
};

function own(id: string, kind: AccountRef['kind'], currency: string): AccountRef {
  return { id, kind, currency, historyOwner: id };
}

/** Stable transfer ids per payout step, so a retried step cannot move the money twice. */
export const payoutTransferIds = {
  debit: (payoutId: string) => `payout:${payoutId}:debit`,
  fee: (payoutId: string) => `payout:${payoutId}:fee`,
  paid: (payoutId: string) => `payout:${payoutId}:paid`,
  returned: (payoutId: string) => `payout:${payoutId}:returned`,
  feeReturned: (payoutId: string) => `payout:${payoutId}:fee_returned`,
};

/** The ledger side of a step: its transfers (the first is the main one) and its balance transaction. */
export interface PayoutMovement {
  transfers: [NewTransfer, ...NewTransfer[]];
  transaction?: BalanceTransaction;
}

/** available → in transit (amount − fee), available → platform fees (fee). */
export function payoutDebitOf(payout: Payout, created: number): PayoutMovement {
  const { payoutId, merchantId, mode, currency, amount, fee } = payout;
  const available = accounts.merchantAvailable(merchantId, mode, currency);
  const metadata = { payoutId, merchantId };
  const transfers: [NewTransfer, ...NewTransfer[]] = [
    {
      id: payoutTransferIds.debit(payoutId),
      debit: available,
      credit: payoutAccounts.inTransit(merchantId, mode, currency),
      amount: amount - fee,
      code: 'adjustment',
      metadata,
    },
  ];
  if (fee > 0) {
    transfers.push({
      id: payoutTransferIds.fee(payoutId),
      debit: available,
      credit: accounts.platformFees(mode, currency),
      amount: fee,
      code: 'fee',
      metadata,
    });
  }
  return { transfers, transaction: payoutTransaction(payout, `txn_${payoutId}`, created, -1) };
}

/** in transit → paid out. */
export function payoutPaidOf(payout: Payout): PayoutMovement {
  const { payoutId, merchantId, mode, currency } = payout;
  return {
    transfers: [
      {
        id: payoutTransferIds.paid(payoutId),
        debit: payoutAccounts.inTransit(merchantId, mode, currency),
        credit: payoutAccounts.paidOut(merchantId, mode, currency),
        amount: payout.amount - payout.fee,
        code: 'adjustment',
        metadata: { payoutId, merchantId },
      },
    ],
  };
}

/** in transit → available, the fee back from the platform: the whole debit returned. */
export function payoutReturnedOf(payout: Payout, created: number): PayoutMovement {
  const { payoutId, merchantId, mode, currency, fee } = payout;
  const available = accounts.merchantAvailable(merchantId, mode, currency);
  const metadata = { payoutId, merchantId };
  const transfers: [NewTransfer, ...NewTransfer[]] = [
    {
      id: payoutTransferIds.returned(payoutId),
      debit: payoutAccounts.inTransit(merchantId, mode, currency),
      credit: available,
      amount: payout.amount - fee,
      code: 'adjustment',
      metadata,
    },
  ];
  if (fee > 0) {
    transfers.push({
      id: payoutTransferIds.feeReturned(payoutId),
      debit: accounts.platformFees(mode, currency),
      credit: available,
      amount: fee,
      code: 'fee',
      metadata,
    });
  }
  return { transfers, transaction: payoutTransaction(payout, `txn_${payoutId}_failed`, created, 1) };
}

function payoutTransaction(payout: Payout, id: string, created: number, sign: 1 | -1): BalanceTransaction {
  return {
    id,
    merchantId: payout.merchantId,
    mode: payout.mode,
    kind: 'payout',
    amount: sign * (payout.amount - payout.fee),
    fee: -sign * payout.fee,
    net: sign * payout.amount,
    currency: payout.currency,
    status: 'available',
    availableOn: created,
    source: payout.payoutId,
    created,
  };
}

/** The payout as the merchant API shows it (API.md "Payouts"), snake_case: the view and the events' `object`. */
export function payoutObjectOf(payout: Payout) {
  return {
    id: payout.payoutId,
    object: 'payout' as const,
    amount: payout.amount,
    fee: payout.fee,
    currency: payout.currency,
    method: payout.method,
    status: payout.status,
    arrival_date: payout.arrivalDate,
    ...(payout.failureCode === undefined ? {} : { failure_code: payout.failureCode }),
    destination: payout.destination,
    livemode: payout.mode === 'live',
    created: Math.floor(Date.parse(payout.createdAt) / 1000),
  };
}
