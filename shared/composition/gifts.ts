/** Group gifts on the single table (their escrow moves on the ledger), and their shortest lifetime. */
import { z } from 'zod';
import { documentClient } from '../adapters/aws/clients.js';
import { DynamoDbGiftStore } from '../adapters/dynamodb/gifts.js';
import { readEnv, readTableName } from '../config.js';
import { once } from '../lazy.js';
import { ledger } from './ledger.js';

export const giftStore = once(() => new DynamoDbGiftStore(documentClient(), readTableName(), ledger()));

/** The shortest `expires_in_seconds` accepted (GIFT_MIN_LIFETIME_SECONDS). */
export const giftMinLifetimeSeconds = once(
  () =>
    readEnv(z.object({ GIFT_MIN_LIFETIME_SECONDS: z.coerce.number().int().positive().default(60) }))
      .GIFT_MIN_LIFETIME_SECONDS,
);
