import * as z from 'zod/mini';
import { MODES } from '../../../domain/merchant.js';
import {
  CANCELLATION_REASONS,
  CAPTURE_METHODS,
  PAYMENT_INTENT_STATUSES,
  type PaymentIntent,
} from '../../../domain/payment-intent.js';
import { defineEntity } from '../entity.js';
import { paymentIntentIndexKey, paymentIntentKey } from '../keys.js';
import type { SameType } from './exact.js';

const schema = z.object({
  intentId: z.string(),
  merchantId: z.string(),
  mode: z.enum(MODES),
  amount: z.number(),
  currency: z.string(),
  status: z.enum(PAYMENT_INTENT_STATUSES),
  captureMethod: z.enum(CAPTURE_METHODS),
  amountCapturable: z.number(),
  amountReceived: z.number(),
  customerId: z.nullable(z.string()),
  paymentMethodId: z.nullable(z.string()),
  description: z.nullable(z.string()),
  metadata: z.readonly(z.record(z.string(), z.string())),
  splits: z.readonly(z.array(z.readonly(z.object({ merchantId: z.string(), amount: z.number() })))),
  attempts: z.number(),
  providerPaymentId: z.nullable(z.string()),
  lastPaymentError: z.nullable(
    z.object({
      type: z.literal('card_error'),
      code: z.string(),
      declineCode: z.nullable(z.string()),
      message: z.string(),
      paymentMethod: z.nullable(z.string()),
    }),
  ),
  nextActionUrl: z.nullable(z.string()),
  cancellationReason: z.nullable(z.enum(CANCELLATION_REASONS)),
  captureBefore: z.nullable(z.string()),
  fees: z.nullable(z.object({ platform: z.number(), processing: z.number() })),
  canceledAt: z.nullable(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

true satisfies SameType<z.output<typeof schema>, PaymentIntent>;

/**
 * A merchant's PaymentIntent: `MERCHANT#<id>#<mode>` / `PI#<id>`, listed newest first on GSI1
 * (`<tenant>#PAYMENT_INTENTS`, `<created>#<id>`).
 */
export const PaymentIntentEntity = defineEntity<PaymentIntent>({
  type: 'PaymentIntent',
  schema: schema satisfies z.ZodMiniType<PaymentIntent>,
  key: (intent) => paymentIntentKey(intent.merchantId, intent.mode, intent.intentId),
  indexes: (intent) =>
    paymentIntentIndexKey(intent.merchantId, intent.mode, intent.createdAt, intent.intentId),
});
