/**
 * The merchant's balance and its movements (API.md "Balance"), the rolling reserve ops set, and settlement.
 */
import {
  type Balance,
  type BalanceTransaction,
  type BalanceTransactionType,
  balanceOf,
} from '../../domain/balance.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { assertScope, type Merchant, type MerchantCaller } from '../../domain/merchant.js';
import { assertOps } from '../access.js';
import type { CursorCodec } from '../cursor.js';
import type { Merchants } from '../merchants/ports.js';
import type { Clock } from '../ports.js';
import type { MerchantBalances } from './ports.js';

/**
 * The caller's balance in its key's mode: read from its two accounts per currency (one query, whatever its
 * history), `reserved` the merchant's rolling reserve of the positive available.
 */
export async function getBalance(
  caller: MerchantCaller,
  deps: { balances: MerchantBalances; merchants: Pick<Merchants, 'get'> },
): Promise<Balance> {
  assertScope(caller, 'payments:read');
  const [merchant, all] = await Promise.all([
    deps.merchants.get(caller.merchantId),
    deps.balances.accounts(caller.merchantId, caller.mode),
  ]);
  if (merchant === undefined) throw new NotFoundError('Merchant');
  return balanceOf(all, caller.mode, merchant.reserveBps);
}

/** One page of the caller's balance transactions, newest first; the cursor is bound to the caller and filter. */
export async function listBalanceTransactions(
  caller: MerchantCaller,
  page: { limit: number; cursor?: string; type?: BalanceTransactionType },
  deps: { balances: MerchantBalances; cursors: CursorCodec },
): Promise<{ transactions: BalanceTransaction[]; nextCursor: string | null }> {
  assertScope(caller, 'payments:read');
  const list = `balance_transactions:${caller.merchantId}:${caller.mode}:${page.type ?? 'all'}`;
  const after = page.cursor === undefined ? undefined : deps.cursors.decode(list, page.cursor);
  const found = await deps.balances.transactions({
    merchantId: caller.merchantId,
    mode: caller.mode,
    limit: page.limit,
    ...(page.type === undefined ? {} : { type: page.type }),
    ...(after === undefined ? {} : { after }),
  });
  return {
    transactions: found.transactions,
    nextCursor: found.after === undefined ? null : deps.cursors.encode(list, found.after),
  };
}

/** One of the caller's balance transactions (`payments:read`); another merchant's or mode's is NOT_FOUND. */
export async function getBalanceTransaction(
  caller: MerchantCaller,
  transactionId: string,
  deps: { balances: Pick<MerchantBalances, 'transaction'> },
): Promise<BalanceTransaction> {
  assertScope(caller, 'payments:read');
  const transaction = await deps.balances.transaction(transactionId);
  if (transaction?.merchantId !== caller.merchantId || transaction.mode !== caller.mode)
    throw new NotFoundError('Balance transaction');
  return transaction;
}

/** Ops set a merchant's rolling reserve, 0..10000 basis points of its available balance. */
export async function setReserve(
  roles: readonly string[],
  merchantId: string,
  reserveBps: number,
  deps: { merchants: Pick<Merchants, 'setReserve'>; clock: Clock },
): Promise<Merchant> {
  assertOps(roles);
  if (!Number.isInteger(reserveBps) || reserveBps < 0 || reserveBps > 10_000) {
    throw new ValidationError('reserve_bps must be a whole number from 0 to 10000', { field: 'reserve_bps' });
  }
  return deps.merchants.setReserve(merchantId, reserveBps, deps.clock.now().toISOString());
}

export interface SettlementRun {
  settled: number;
  /** Due ones another run (a twin job, a rerun) settled first. */
  skipped: number;
}

/**
 * Makes every pending balance transaction due by now available, at most `limit` per run (the next run goes
 * on): each one ledger transfer and its status change in one conditional transaction, so a rerun or a twin
 * job moves it once.
 */
export async function settleDue(
  limit: number,
  deps: { balances: Pick<MerchantBalances, 'due' | 'settle'>; clock: Clock },
): Promise<SettlementRun> {
  const now = Math.floor(deps.clock.now().getTime() / 1000);
  const run: SettlementRun = { settled: 0, skipped: 0 };
  for (const transaction of await deps.balances.due(now, limit)) {
    if (await deps.balances.settle(transaction)) run.settled += 1;
    else run.skipped += 1;
  }
  return run;
}
