import { available } from '../../domain/ledger.js';
import { assertSelf } from '../access.js';
import type { Ledger, WalletDirectory } from '../ports.js';

export interface WalletBalance {
  userId: string;
  walletId: string;
  balances: { currency: string; available: number; pending: number; total: number }[];
}

/**
 * 1. Only the caller's own wallet; it is created on first use.
 * 2. One balance per currency the wallet holds: `available` to spend now, `pending` reserved by transfers
 *    not yet settled (a P2P transfer awaiting its recipient, a disputed top-up frozen until the dispute
 *    closes), `total` = available + pending.
 */
export async function getBalance(
  callerId: string,
  userId: string,
  deps: { wallets: WalletDirectory; ledger: Ledger },
): Promise<WalletBalance> {
  assertSelf(callerId, userId);
  const wallet = await deps.wallets.ensure(userId);
  const walletAccounts = await deps.ledger.accountsOf(wallet.walletId);
  return {
    userId,
    walletId: wallet.walletId,
    balances: walletAccounts
      .map((account) => ({
        currency: account.currency,
        available: available(account),
        pending: account.debitsPending,
        total: account.creditsPosted - account.debitsPosted,
      }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}
