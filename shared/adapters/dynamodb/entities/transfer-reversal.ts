import * as z from 'zod/mini';
import { MODES } from '../../../domain/merchant.js';
import type { TransferReversal } from '../../../domain/transfer-reversal.js';
import { defineEntity } from '../entity.js';
import { transferReversalKey } from '../keys.js';
import { exactSchemaOf } from './exact.js';

/** What a refund took back from one split merchant's paid payout transfers, in that merchant's tenant. */
export const TransferReversalEntity = defineEntity<TransferReversal>({
  type: 'TransferReversal',
  schema: exactSchemaOf<TransferReversal>()(
    z.object({
      refundId: z.string(),
      merchantId: z.string(),
      mode: z.enum(MODES),
      currency: z.string(),
      amount: z.number(),
      parts: z.array(
        z.object({
          payoutId: z.string(),
          transferId: z.string(),
          amount: z.number(),
          transferAmount: z.number(),
          providerReversalId: z.exactOptional(z.string()),
        }),
      ),
      createdAt: z.string(),
    }),
  ),
  key: (reversal) => transferReversalKey(reversal.merchantId, reversal.mode, reversal.refundId),
});
