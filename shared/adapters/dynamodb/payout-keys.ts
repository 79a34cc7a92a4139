/**
 * Key builders of payouts in the single table (keys.ts re-exports these): each payout and its day's counter
 * in the merchant's tenant partition, the tenant's payouts newest first on GSI1.
 */
import type { ItemKey } from './keys.js';
import { merchantTenantPartition } from './merchant-keys.js';

type Mode = 'test' | 'live';

/** A payout by id: the tenant partition, `PAYOUT#<id>`. */
export function payoutKey(merchantId: string, mode: Mode, payoutId: string): ItemKey {
  return { PK: merchantTenantPartition(merchantId, mode), SK: `PAYOUT#${payoutId}` };
}

/** The tenant's payouts newest first: GSI1PK = `<tenant>#PAYOUTS`, GSI1SK = `<created>#<id>`. */
export function payoutIndexKey(
  merchantId: string,
  mode: Mode,
  createdAt: string,
  payoutId: string,
): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: payoutsIndexPartition(merchantId, mode), GSI1SK: `${createdAt}#${payoutId}` };
}

export function payoutsIndexPartition(merchantId: string, mode: Mode): string {
  return `${merchantTenantPartition(merchantId, mode)}#PAYOUTS`;
}

/** What the tenant's payouts of a currency add up to on a UTC day (`yyyy-mm-dd`): the daily limit's counter. */
export function payoutDayKey(merchantId: string, mode: Mode, currency: string, day: string): ItemKey {
  return { PK: merchantTenantPartition(merchantId, mode), SK: `PAYOUTDAY#${currency}#${day}` };
}

/** What was reversed of a paid payout's transfer (transfer reversals after refunds): beside the payout. */
export function payoutReversedKey(merchantId: string, mode: Mode, payoutId: string): ItemKey {
  return { PK: merchantTenantPartition(merchantId, mode), SK: `PAYOUTREVERSED#${payoutId}` };
}

/** What a refund took back from a split merchant's paid payouts, once per (refund, merchant): its tenant. */
export function transferReversalKey(merchantId: string, mode: Mode, refundId: string): ItemKey {
  return { PK: merchantTenantPartition(merchantId, mode), SK: `TRANSFERREVERSAL#${refundId}` };
}

/**
 * The transfer-reversal worklist: a succeeded PaymentIntent refund that reversed splits, written with its
 * end, until the settlement job has looked at it (`<at>#<refundId>`, oldest first).
 */
export function transferReversalDueKey(at: string, refundId: string): ItemKey {
  return { PK: TRANSFER_REVERSALS_DUE, SK: `${at}#${refundId}` };
}

export const TRANSFER_REVERSALS_DUE = 'TRANSFERREVERSALS#DUE';
