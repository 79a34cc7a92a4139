/**
 * What a contract case list runs against: the port under test and the ledger it moves money on, built
 * fresh for each case (a fake) or pointing at the shared DynamoDB Local table (an adapter). Ids are unique
 * per case, so the adapters' runs share the table without seeing each other.
 */
import { randomUUID } from 'node:crypto';
import type { Ledger } from '../../shared/app/ports.js';
import { type AccountRef, accounts, available } from '../../shared/domain/ledger.js';

export type Make<T> = () => T & { ledger: Ledger };

/** `prefix` followed by a fresh unique suffix. */
export function unique(prefix: string): string {
  return `${prefix}${randomUUID().replaceAll('-', '')}`;
}

/** An instant `seconds` after a fixed start, so writes made in a case order as they were made. */
export function at(seconds: number): string {
  return new Date(Date.UTC(2026, 0, 1, 0, 0, seconds)).toISOString();
}

/** A wallet of its own, holding `amount` from a card top-up (nothing when 0). */
export async function fundedWallet(ledger: Ledger, amount: number, currency = 'USD'): Promise<AccountRef> {
  const wallet = accounts.wallet(unique('tw_contract'), currency);
  if (amount > 0) {
    await ledger.execute({
      type: 'post',
      id: unique('fund-'),
      debit: accounts.providerClearing('stripe', currency),
      credit: wallet,
      amount,
      code: 'topup',
    });
  }
  return wallet;
}

/** What the account can spend now (0 for an account never used). */
export async function availableOf(ledger: Ledger, account: AccountRef): Promise<number> {
  const stored = await ledger.account(account.id);
  return stored === undefined ? 0 : available(stored);
}
