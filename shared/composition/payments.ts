/** The payment records and the provider waits (the reconciler's work list), on the single table. */
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { DynamoDbPayments } from '../adapters/dynamodb/payments.js';
import { DynamoDbProviderWaits } from '../adapters/dynamodb/provider-waits.js';
import { DynamoDbWalletPaymentReads } from '../adapters/dynamodb/wallet-payment-reads.js';
import { readTableName } from '../config.js';
import { once } from '../lazy.js';
import { merchantBalances } from './balance.js';
import { wallets } from './ledger.js';

export const payments = once(() => new DynamoDbPayments(documentClient(), readTableName()));
export const providerWaits = once(() => new DynamoDbProviderWaits(documentClient(), readTableName()));
/** A wallet payment's wallet and its merchant's volume, read in one request. */
export const walletPaymentReads = once(
  () =>
    new DynamoDbWalletPaymentReads(documentClient(), readTableName(), {
      wallets: wallets(),
      balances: merchantBalances(),
    }),
);
