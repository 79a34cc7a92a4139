import type { BalanceTransaction, BalanceTransactionType } from '../../domain/balance.js';
import type { Account, LedgerMode } from '../../domain/ledger.js';

export interface BalanceTransactionPage {
  transactions: BalanceTransaction[];
  /** Where the next page starts (an adapter position, not yet a client cursor). */
  after?: string;
}

/** A merchant's balances and their movements, and the settlement worklist. */
export interface MerchantBalances {
  /** The merchant's settled volume in a month (`yyyy-mm`), in minor units of all currencies: the fee tier. */
  monthlyVolume(merchantId: string, mode: LedgerMode, month: string): Promise<number>;
  /** The merchant's ledger accounts in one mode (pending and available, per currency): one query. */
  accounts(merchantId: string, mode: LedgerMode): Promise<Account[]>;
  /** One page of the merchant's balance transactions in one mode, newest first. */
  transactions(query: {
    merchantId: string;
    mode: LedgerMode;
    limit: number;
    type?: BalanceTransactionType;
    after?: string;
  }): Promise<BalanceTransactionPage>;
  /** The balance transaction with this id, whoever's it is (the caller checks the merchant and mode). */
  transaction(transactionId: string): Promise<BalanceTransaction | undefined>;
  /** Pending balance transactions due by `now` (epoch seconds), soonest first, at most `limit`. */
  due(now: number, limit: number): Promise<BalanceTransaction[]>;
  /**
   * Makes a pending transaction available: its net moves pending → available and its status changes, in
   * one transaction on the condition that it is still pending. False when it was settled already.
   */
  settle(transaction: BalanceTransaction): Promise<boolean>;
}
