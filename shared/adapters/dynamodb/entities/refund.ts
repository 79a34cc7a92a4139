import * as z from 'zod/mini';
import type { Refund } from '../../../app/payments/ports.js';
import { defineEntity } from '../entity.js';
import { merchantRefundIndexKey, providerWaitIndexKey, refundKey } from '../keys.js';
import { exactSchemaOf } from './exact.js';

/**
 * A refund of a payment; on the reconciliation worklist (GSI2) from its creation until it ends, and, for a
 * merchant's payment, in the merchant's live-mode refunds (GSI1).
 */
export const RefundEntity = defineEntity<Refund>({
  type: 'Refund',
  schema: exactSchemaOf<Refund>()(
    z.object({
      refundId: z.string(),
      paymentId: z.string(),
      userId: z.string(),
      amount: z.number(),
      currency: z.string(),
      status: z.enum(['pending', 'succeeded', 'failed']),
      reason: z.exactOptional(z.string()),
      providerRefundId: z.exactOptional(z.string()),
      merchantId: z.exactOptional(z.string()),
      createdAt: z.string(),
      updatedAt: z.string(),
    }),
  ),
  key: (refund) => refundKey(refund.refundId),
  // A refund left pending (a crash) gets finished by reconciliation; a merchant's payment's is in its list.
  indexes: (refund) => ({
    ...providerWaitIndexKey('refund', refund.createdAt, refund.refundId),
    ...(refund.merchantId === undefined
      ? {}
      : merchantRefundIndexKey(refund.merchantId, 'live', refund.createdAt, refund.refundId)),
  }),
});
