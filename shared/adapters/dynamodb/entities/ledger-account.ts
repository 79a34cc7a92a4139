import * as z from 'zod/mini';
import type { Account } from '../../../domain/ledger.js';
import { defineEntity } from '../entity.js';
import { accountIdOf, accountIndexKey, accountKey } from '../keys.js';
import { exactSchemaOf } from './exact.js';

/** An account but its version, which is the item's own (`versionOf`). */
export type StoredAccount = Omit<Account, 'version'>;

/** A balance the account has never moved reads as zero. */
const balance = z._default(z.number(), 0);

/**
 * A ledger account, listed under its history owner by currency (GSI1). Created on first use by the
 * transfer's own update (never put whole), which also keeps `available` beside the balances, for the
 * overdraft condition: bookkeeping the account's readers do not see. Its id is its key, not an attribute.
 */
export const LedgerAccountEntity = defineEntity<StoredAccount>({
  type: 'LedgerAccount',
  schema: exactSchemaOf<StoredAccount>()(
    z.object({
      id: z.string(),
      kind: z.enum([
        'user_wallet',
        'app',
        'gift_escrow',
        'provider_clearing',
        'fees',
        'merchant_pending',
        'merchant_available',
        'platform_fees',
        'processing_fees',
        'payouts_in_transit',
        'paid_out',
      ]),
      currency: z.string(),
      historyOwner: z.string(),
      debitsPosted: balance,
      creditsPosted: balance,
      debitsPending: balance,
      creditsPending: balance,
    }),
  ),
  key: (account) => accountKey(account.id),
  indexes: (account) => accountIndexKey(account.historyOwner, account.currency),
});

/** The account an item holds, its id read from the key. */
export function accountOf(item: Record<string, unknown>): Account {
  return {
    ...LedgerAccountEntity.fromItem({ ...item, id: accountIdOf(String(item.PK)) }),
    version: LedgerAccountEntity.versionOf(item),
  };
}
