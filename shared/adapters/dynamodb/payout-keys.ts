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
