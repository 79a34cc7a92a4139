import { assertSelf } from '../access.js';
import type { CursorCodec } from '../cursor.js';
import type { HistoryEntry, Ledger, WalletDirectory } from '../ports.js';

export interface WalletTransaction {
  transferId: string;
  type: HistoryEntry['code'];
  direction: HistoryEntry['direction'];
  amount: number;
  currency: string;
  status: HistoryEntry['status'];
  createdAt: string;
  metadata: Readonly<Record<string, string>>;
}

/**
 * 1. Only the caller's own history; a user with no wallet yet has none.
 * 2. One page, newest first; the cursor is signed and bound to this wallet, so a tampered or foreign one
 *    is refused. Counterparties' account ids are not shown: they identify other users' wallets.
 */
export async function listTransactions(
  callerId: string,
  userId: string,
  page: { limit: number; cursor?: string },
  deps: { wallets: WalletDirectory; ledger: Ledger; cursors: CursorCodec },
): Promise<{ items: WalletTransaction[]; nextCursor: string | null }> {
  assertSelf(callerId, userId);
  const wallet = await deps.wallets.find(userId);
  const list = `transactions:${userId}`;
  const after = page.cursor === undefined ? undefined : deps.cursors.decode(list, page.cursor);
  if (wallet === undefined) return { items: [], nextCursor: null };
  const history = await deps.ledger.history(wallet.walletId, {
    limit: page.limit,
    ...(after === undefined ? {} : { after }),
  });
  return {
    items: history.entries.map((entry) => ({
      transferId: entry.transferId,
      type: entry.code,
      direction: entry.direction,
      amount: entry.amount,
      currency: entry.currency,
      status: entry.status,
      createdAt: entry.createdAt,
      metadata: entry.metadata,
    })),
    nextCursor: history.after === undefined ? null : deps.cursors.encode(list, history.after),
  };
}
