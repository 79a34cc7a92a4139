/** Group gifts on the single table (their escrow moves on the ledger), and their shortest lifetime. */
import * as z from 'zod/mini';
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { DynamoDbGiftStore } from '../adapters/dynamodb/gifts.js';
import { intSetting, readEnv, readTableName } from '../config.js';
import { once } from '../lazy.js';
import { ledger } from './ledger.js';

export const giftStore = once(() => new DynamoDbGiftStore(documentClient(), readTableName(), ledger()));

/** The shortest `expires_in_seconds` accepted (GIFT_MIN_LIFETIME_SECONDS). */
export const giftMinLifetimeSeconds = once(
  () => readEnv(z.object({ GIFT_MIN_LIFETIME_SECONDS: intSetting(60) })).GIFT_MIN_LIFETIME_SECONDS,
);
