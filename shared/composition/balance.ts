/** Merchant balances, fees and settlement settings, on the single table. */
import * as z from 'zod/mini';
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { DynamoDbMerchantBalances } from '../adapters/dynamodb/merchant-balances.js';
import { randomIds } from '../adapters/ids.js';
import type { MerchantLedgerDeps } from '../app/balance/charge.js';
import { intSetting, readEnv, readTableName } from '../config.js';
import {
  DEFAULT_FEE_TIERS,
  DEFAULT_PROCESSING_FEE,
  type FeeSchedule,
  parseFeeTiers,
  parseProcessingFee,
} from '../domain/fees.js';
import { once } from '../lazy.js';
import { ledger } from './ledger.js';

export const merchantBalances = once(
  () => new DynamoDbMerchantBalances(documentClient(), readTableName(), ledger()),
);

/** FEE_TIERS and PROCESSING_FEE, parsed once per cold start (a malformed one fails it, naming itself). */
export const feeSchedule = once((): FeeSchedule => {
  const env = readEnv(
    z.object({
      FEE_TIERS: z._default(z.string(), DEFAULT_FEE_TIERS),
      PROCESSING_FEE: z._default(z.string(), DEFAULT_PROCESSING_FEE),
    }),
  );
  return { tiers: parseFeeTiers(env.FEE_TIERS), processing: parseProcessingFee(env.PROCESSING_FEE) };
});

/** How long a payment's net stays pending before settlement makes it available (SETTLEMENT_DELAY_SECONDS). */
export const settlementDelaySeconds = once(
  () =>
    readEnv(z.object({ SETTLEMENT_DELAY_SECONDS: intSetting(172_800, { min: 0 }) })).SETTLEMENT_DELAY_SECONDS,
);

/** What every function completing a payment needs for its merchant side. */
export const merchantLedger = once(
  (): MerchantLedgerDeps => ({
    balances: merchantBalances(),
    fees: feeSchedule(),
    settlementDelaySeconds: settlementDelaySeconds(),
    ids: randomIds,
  }),
);
