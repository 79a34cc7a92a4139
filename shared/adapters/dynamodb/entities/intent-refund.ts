import * as z from 'zod/mini';
import type { IntentRefund } from '../../../app/refunds/ports.js';
import { intentRefundWaitId } from '../../../app/refunds/wait-ids.js';
import { MODES } from '../../../domain/merchant.js';
import { defineEntity } from '../entity.js';
import { intentRefundKey, merchantRefundIndexKey, providerWaitIndexKey } from '../keys.js';
import { exactSchemaOf } from './exact.js';

/**
 * A PaymentIntent's refund, in its tenant partition and in the tenant's refunds (GSI1); while pending, on
 * the provider-wait worklist (GSI2) that reconciliation finishes it from (settle removes it).
 */
export const IntentRefundEntity = defineEntity<IntentRefund>({
  type: 'IntentRefund',
  schema: exactSchemaOf<IntentRefund>()(
    z.object({
      refundId: z.string(),
      merchantId: z.string(),
      mode: z.enum(MODES),
      intentId: z.string(),
      amount: z.number(),
      currency: z.string(),
      status: z.enum(['pending', 'succeeded', 'failed']),
      reason: z.exactOptional(z.string()),
      providerRefundId: z.exactOptional(z.string()),
      createdAt: z.string(),
      updatedAt: z.string(),
    }),
  ),
  key: (refund) => intentRefundKey(refund.merchantId, refund.mode, refund.refundId),
  indexes: (refund) => ({
    ...merchantRefundIndexKey(refund.merchantId, refund.mode, refund.createdAt, refund.refundId),
    ...(refund.status === 'pending'
      ? providerWaitIndexKey('intent_refund', refund.createdAt, intentRefundWaitId(refund))
      : {}),
  }),
});
