/**
 * The wallet functions' wiring: adapters built once per cold start, shared by the handlers of this folder.
 * Each piece is created on first use, so a handler only pays for what it touches.
 */
import { z } from 'zod';
import { documentClient } from '../../shared/adapters/aws/clients.js';
import { systemClock } from '../../shared/adapters/clock.js';
import { DynamoDbLedger } from '../../shared/adapters/dynamodb/ledger.js';
import { DynamoDbProviderCustomers } from '../../shared/adapters/dynamodb/provider-customers.js';
import { DynamoDbSavedCards } from '../../shared/adapters/dynamodb/saved-cards.js';
import { DynamoDbTopups } from '../../shared/adapters/dynamodb/topups.js';
import { DynamoDbWalletDirectory } from '../../shared/adapters/dynamodb/wallets.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { readEnv, readTableName } from '../../shared/config.js';
import { CurrencyPolicy, DEFAULT_ENABLED_CURRENCIES } from '../../shared/domain/money.js';
import { once } from '../../shared/lazy.js';

const tableName = readTableName();
const env = readEnv(z.object({ ENABLED_CURRENCIES: z.string().default(DEFAULT_ENABLED_CURRENCIES) }));

export { systemClock };
export const currencies = once(() => CurrencyPolicy.fromList(env.ENABLED_CURRENCIES));
export const ledger = once(() => new DynamoDbLedger(documentClient(), tableName));
export const wallets = once(() => new DynamoDbWalletDirectory(documentClient(), tableName, randomIds));
export const topups = once(() => new DynamoDbTopups(documentClient(), tableName));
export const savedCards = once(() => new DynamoDbSavedCards(documentClient(), tableName));
export const providerCustomers = once(() => new DynamoDbProviderCustomers(documentClient(), tableName));
