/**
 * The wallet functions' wiring: adapters built once per cold start, shared by the handlers of this folder.
 * Each piece is created on first use, so a handler only pays for what it touches.
 */
import { z } from 'zod';
import { documentClient } from '../../shared/adapters/aws/clients.js';
import { DynamoDbLedger } from '../../shared/adapters/dynamodb/ledger.js';
import { DynamoDbProviderCustomers } from '../../shared/adapters/dynamodb/provider-customers.js';
import { DynamoDbSavedCards } from '../../shared/adapters/dynamodb/saved-cards.js';
import { DynamoDbTopups } from '../../shared/adapters/dynamodb/topups.js';
import { DynamoDbWalletDirectory } from '../../shared/adapters/dynamodb/wallets.js';
import { randomIds } from '../../shared/adapters/ids.js';
import type { Clock } from '../../shared/app/ports.js';
import { nonEmpty, readEnv } from '../../shared/config.js';
import { CurrencyPolicy } from '../../shared/domain/money.js';
import { once } from '../../shared/lazy.js';

const env = readEnv(
  z.object({ TABLE_NAME: nonEmpty, ENABLED_CURRENCIES: z.string().default('USD,EUR,GBP,JPY,KWD') }),
);

export const systemClock: Clock = { now: () => new Date() };
export const currencies = once(() => CurrencyPolicy.fromList(env.ENABLED_CURRENCIES));
export const ledger = once(() => new DynamoDbLedger(documentClient(), env.TABLE_NAME));
export const wallets = once(() => new DynamoDbWalletDirectory(documentClient(), env.TABLE_NAME, randomIds));
export const topups = once(() => new DynamoDbTopups(documentClient(), env.TABLE_NAME));
export const savedCards = once(() => new DynamoDbSavedCards(documentClient(), env.TABLE_NAME));
export const providerCustomers = once(() => new DynamoDbProviderCustomers(documentClient(), env.TABLE_NAME));
