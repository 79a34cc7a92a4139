/**
 * The merchant platform's fees (API.md "Fees"), as pure arithmetic on integer minor units: the platform fee
 * tiered by the merchant's settled volume in the calendar month, the processing fee of card and PayPal
 * payments (wallet payments have none), the rolling reserve, and what a refund returns. Rounding is half-even
 * and the parts of a whole always sum to it: amount = net + platform fee + processing fee.
 */
import { ValidationError } from './errors.js';
import type { PaymentMethod } from './payment.js';

/** A platform fee rate that applies from a monthly settled volume (minor units) on. */
export interface FeeTier {
  fromVolume: number;
  bps: number;
}

export interface ProcessingFee {
  bps: number;
  fixed: number;
}

export interface FeeSchedule {
  /** Ascending by `fromVolume`, the first from 0. */
  tiers: readonly FeeTier[];
  processing: ProcessingFee;
}

export interface Fees {
  platform: number;
  processing: number;
  net: number;
}

export const BPS_WHOLE = 10_000;

/** `numerator / denominator` rounded half to even; both non-negative integers, denominator positive. */
export function divideHalfEven(numerator: number, denominator: number): number {
  const quotient = Math.floor(numerator / denominator);
  const twice = 2 * (numerator - quotient * denominator);
  if (twice > denominator) return quotient + 1;
  if (twice < denominator) return quotient;
  return quotient % 2 === 0 ? quotient : quotient + 1;
}

/** `amount × bps / 10000`, half-even. */
export function basisPointsOf(amount: number, bps: number): number {
  return divideHalfEven(amount * bps, BPS_WHOLE);
}

/** The platform fee rate for a merchant whose settled volume this month is `monthlyVolume`. */
export function platformBps(schedule: FeeSchedule, monthlyVolume: number): number {
  let bps = schedule.tiers[0]?.bps ?? 0;
  for (const tier of schedule.tiers) if (monthlyVolume >= tier.fromVolume) bps = tier.bps;
  return bps;
}

/**
 * The fees of a payment of `amount` (the amount charged): the platform fee at the merchant's tier, and for a
 * card or PayPal payment the processing fee. The fees never exceed the amount (the processing fee is cut
 * first), so the net is never negative and net + fees = amount.
 */
export function feesOf(
  amount: number,
  method: PaymentMethod['type'],
  monthlyVolume: number,
  schedule: FeeSchedule,
): Fees {
  const platform = Math.min(amount, basisPointsOf(amount, platformBps(schedule, monthlyVolume)));
  const processingFull =
    method === 'wallet' ? 0 : basisPointsOf(amount, schedule.processing.bps) + schedule.processing.fixed;
  const processing = Math.min(amount - platform, processingFull);
  return { platform, processing, net: amount - platform - processing };
}

/**
 * The platform fee a refund returns: the fee in proportion to the amount refunded, half-even, computed on
 * the refunded total before and after so that the returns of all the refunds of a payment add up to its
 * whole fee when it is refunded in full. The processing fee is not returned.
 */
export function platformFeeReturned(
  payment: { amount: number; platformFee: number },
  refundedBefore: number,
  refundAmount: number,
): number {
  const share = (refunded: number) => divideHalfEven(payment.platformFee * refunded, payment.amount);
  return share(refundedBefore + refundAmount) - share(refundedBefore);
}

/** The rolling reserve: `reserveBps` of the positive part of available, half-even (never more than it). */
export function reserveOf(available: number, reserveBps: number): number {
  return basisPointsOf(Math.max(available, 0), reserveBps);
}

/** `FEE_TIERS`: `volume:bps,...` ascending from volume 0, e.g. `0:820,1000000:790,10000000:750`. */
export function parseFeeTiers(text: string): FeeTier[] {
  const tiers = text.split(',').map((part) => {
    const [volume, bps, ...rest] = part.trim().split(':');
    const tier = { fromVolume: wholeNumber(volume), bps: wholeNumber(bps) };
    if (rest.length > 0 || tier.bps > BPS_WHOLE) throw new ValidationError(`FEE_TIERS: bad tier ${part}`);
    return tier;
  });
  if (tiers[0]?.fromVolume !== 0) throw new ValidationError('FEE_TIERS must start at volume 0');
  for (let index = 1; index < tiers.length; index += 1) {
    if ((tiers[index]?.fromVolume ?? 0) <= (tiers[index - 1]?.fromVolume ?? 0)) {
      throw new ValidationError('FEE_TIERS volumes must ascend');
    }
  }
  return tiers;
}

/** `PROCESSING_FEE`: `bps:fixed`, e.g. `290:30` (2.9% + 30). */
export function parseProcessingFee(text: string): ProcessingFee {
  const [bps, fixed, ...rest] = text.trim().split(':');
  const fee = { bps: wholeNumber(bps), fixed: wholeNumber(fixed) };
  if (rest.length > 0 || fee.bps > BPS_WHOLE) throw new ValidationError(`PROCESSING_FEE: bad value ${text}`);
  return fee;
}

export const DEFAULT_FEE_TIERS = '0:820,1000000:790,10000000:750';
export const DEFAULT_PROCESSING_FEE = '290:30';

function wholeNumber(text: string | undefined): number {
  if (text === undefined || !/^\d{1,15}$/.test(text.trim())) {
    throw new ValidationError(`Not a whole number: ${text ?? ''}`);
  }
  return Number(text.trim());
}
