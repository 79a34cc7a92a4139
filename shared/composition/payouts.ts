/** Merchants' payouts on the single table, and how long a payout's flow waits for the provider's answer. */
import * as z from 'zod/mini';
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { DynamoDbPayouts } from '../adapters/dynamodb/payouts.js';
import { DynamoDbTransferReversals } from '../adapters/dynamodb/transfer-reversals.js';
import { intSetting, readEnv, readTableName } from '../config.js';
import { once } from '../lazy.js';
import { ledger } from './ledger.js';

export const payouts = once(() => new DynamoDbPayouts(documentClient(), readTableName(), ledger()));

/**
 * How long the payout flow waits for the provider's payout webhook before asking the provider itself
 * (PAYOUT_WAIT_SECONDS; a day by default, a standard payout taking days).
 */
export const payoutWaitSeconds = once(
  () => readEnv(z.object({ PAYOUT_WAIT_SECONDS: intSetting(86_400) })).PAYOUT_WAIT_SECONDS,
);

/** What refunds took back from split merchants' paid payouts (transfer reversals). */
export const transferReversals = once(
  () => new DynamoDbTransferReversals(documentClient(), readTableName(), ledger(), payouts()),
);
