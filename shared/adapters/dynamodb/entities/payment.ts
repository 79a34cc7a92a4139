import * as z from 'zod/mini';
import { PAYMENT_EVENTS, PAYMENT_STATES, type Payment } from '../../../domain/payment.js';
import { defineEntity } from '../entity.js';
import { paymentIndexKey, paymentKey } from '../keys.js';
import { exactSchemaOf } from './exact.js';

const state = z.enum(PAYMENT_STATES);

/**
 * A payment, listed under its payer by creation time (GSI1). While a card payment waits on the provider in
 * Processing it is also on the reconciliation worklist (GSI2, set and removed by its transitions).
 */
export const PaymentEntity = defineEntity<Payment>({
  type: 'Payment',
  schema: exactSchemaOf<Payment>()(
    z.object({
      paymentId: z.string(),
      userId: z.string(),
      appId: z.string(),
      amount: z.object({ value: z.number(), currency: z.string() }),
      paymentMethod: z.discriminatedUnion('type', [
        z.object({ type: z.literal('wallet') }),
        z.object({ type: z.literal('card'), id: z.string() }),
        z.object({ type: z.literal('paypal') }),
      ]),
      description: z.string(),
      metadata: z.record(z.string(), z.string()),
      roomId: z.exactOptional(z.string()),
      state,
      mfaRequired: z.boolean(),
      mfaMethod: z.exactOptional(z.string()),
      refundedAmount: z.number(),
      failureCode: z.exactOptional(z.string()),
      history: z.array(
        z.object({
          state,
          event: z.enum([...PAYMENT_EVENTS, 'created']),
          at: z.string(),
          actor: z.string(),
        }),
      ),
      createdAt: z.string(),
      updatedAt: z.string(),
      completedAt: z.exactOptional(z.string()),
      holdTransferId: z.exactOptional(z.string()),
      walletId: z.exactOptional(z.string()),
      refundSettledAmount: z.exactOptional(z.number()),
      providerPaymentId: z.exactOptional(z.string()),
      customerId: z.exactOptional(z.string()),
      cardId: z.exactOptional(z.string()),
      nextActionUrl: z.exactOptional(z.string()),
      taskToken: z.exactOptional(z.string()),
      activeChallengeId: z.exactOptional(z.string()),
      merchantId: z.exactOptional(z.string()),
      fees: z.exactOptional(z.object({ platform: z.number(), processing: z.number() })),
    }),
  ),
  key: (payment) => paymentKey(payment.paymentId),
  indexes: (payment) => paymentIndexKey(payment.userId, payment.createdAt),
});
