import * as z from 'zod/mini';
import { MODES } from '../../../domain/merchant.js';
import { PAYOUT_METHODS, PAYOUT_STATUSES, type Payout } from '../../../domain/payout.js';
import { defineEntity } from '../entity.js';
import { payoutIndexKey, payoutKey } from '../keys.js';
import { exactSchemaOf } from './exact.js';

/** A merchant's payout, in its tenant partition and in the tenant's payouts (GSI1, newest first). */
export const PayoutEntity = defineEntity<Payout>({
  type: 'Payout',
  schema: exactSchemaOf<Payout>()(
    z.object({
      payoutId: z.string(),
      merchantId: z.string(),
      mode: z.enum(MODES),
      amount: z.number(),
      fee: z.number(),
      currency: z.string(),
      method: z.enum(PAYOUT_METHODS),
      status: z.enum(PAYOUT_STATUSES),
      arrivalDate: z.number(),
      destination: z.string(),
      day: z.string(),
      failureCode: z.exactOptional(z.string()),
      providerTransferId: z.exactOptional(z.string()),
      providerPayoutId: z.exactOptional(z.string()),
      taskToken: z.exactOptional(z.string()),
      createdAt: z.string(),
      updatedAt: z.string(),
    }),
  ),
  key: (payout) => payoutKey(payout.merchantId, payout.mode, payout.payoutId),
  indexes: (payout) => payoutIndexKey(payout.merchantId, payout.mode, payout.createdAt, payout.payoutId),
});
