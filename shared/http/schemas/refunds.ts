import * as z from 'zod/mini';
import { REFUND_REASONS } from '../../app/refunds/ports.js';
import { listOf } from './list.js';

const int = () => z.number().check(z.int());

export const RefundIdParams = z.object({
  refundId: z.string().check(z.regex(/^(re|rf)_[A-Za-z0-9]{1,128}$/, 'unknown refund id')),
});

export const CreateRefundRequest = z
  .strictObject({
    payment_intent: z.optional(z.string().check(z.regex(/^pi_[A-Za-z0-9_]{1,64}$/, 'must be a pi_ id'))),
    payment: z.optional(z.string().check(z.regex(/^pay_[A-Za-z0-9_]{1,128}$/, 'must be a pay_ id'))),
    amount: z.optional(int().check(z.positive())).register(z.globalRegistry, {
      description: 'Minor units; omitted: everything not yet refunded',
    }),
    reason: z.optional(z.enum(REFUND_REASONS)),
  })
  .register(z.globalRegistry, {
    id: 'CreateRefundRequest',
    description: 'Exactly one of `payment_intent` and `payment` (else 400 VALIDATION_ERROR)',
  });

export const ListRefundsQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 10),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
});

export const RefundResponse = z
  .object({
    id: z.string(),
    object: z.literal('refund'),
    amount: int(),
    currency: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    payment_intent: z.nullable(z.string()),
    payment: z.nullable(z.string()),
    reason: z.nullable(z.string()),
    livemode: z.boolean(),
    created: int().register(z.globalRegistry, { description: 'Epoch seconds' }),
  })
  .register(z.globalRegistry, { id: 'Refund' });

export const RefundList = listOf(RefundResponse, 'RefundList');
