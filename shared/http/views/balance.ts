import type { Balance, BalanceTransaction } from '../../domain/balance.js';
import type { Merchant } from '../../domain/merchant.js';

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
    created: transaction.created,
  };
}

/**
 * The merchant as the ops reserve route answers it (API.md "Onboarding" fields and its `reserve_bps`); the
 * Stripe Connect account and the review's reason stay inside.
 */
export function reserveMerchantView(merchant: Merchant) {
  return {
    id: merchant.merchantId,
    object: 'merchant' as const,
    status: merchant.status,
    owner: merchant.owner,
    name: merchant.name,
    email: merchant.email,
    country: merchant.country,
    business_type: merchant.businessType,
    reserve_bps: merchant.reserveBps,
    created: Math.floor(Date.parse(merchant.createdAt) / 1000),
  };
}
