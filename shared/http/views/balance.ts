import type { Balance, BalanceTransaction } from '../../domain/balance.js';

/** The balance as API.md shapes it: amounts per currency, `livemode` the key's mode. */
export function balanceView(balance: Balance) {
  return {
    object: 'balance' as const,
    available: balance.available.map(({ amount, currency }) => ({ amount, currency })),
    pending: balance.pending.map(({ amount, currency }) => ({ amount, currency })),
    reserved: balance.reserved.map(({ amount, currency }) => ({ amount, currency })),
    livemode: balance.mode === 'live',
  };
}

/** A balance transaction as API.md shapes it; like every merchant object it says its mode (`livemode`). */
export function balanceTransactionView(transaction: BalanceTransaction) {
  return {
    id: transaction.id,
    object: 'balance_transaction' as const,
    type: transaction.kind,
    amount: transaction.amount,
    fee: transaction.fee,
    net: transaction.net,
    currency: transaction.currency,
    status: transaction.status,
    available_on: transaction.availableOn,
    source: transaction.source,
    livemode: transaction.mode === 'live',
    created: transaction.created,
  };
}
