import * as z from 'zod/mini';
import {
  CHECKOUT_MODES,
  CHECKOUT_PAYMENT_STATUSES,
  CHECKOUT_STATUSES,
  type CheckoutSession,
} from '../../../domain/checkout-session.js';
import { MODES } from '../../../domain/merchant.js';
import { defineEntity } from '../entity.js';
import { checkoutPointerKey, checkoutSessionIndexKey, checkoutSessionKey } from '../keys.js';
import { exactSchemaOf } from './exact.js';

/** A merchant's checkout session, in its tenant partition and in the tenant's sessions (GSI1, newest first). */
export const CheckoutSessionEntity = defineEntity<CheckoutSession>({
  type: 'CheckoutSession',
  schema: exactSchemaOf<CheckoutSession>()(
    z.object({
      sessionId: z.string(),
      merchantId: z.string(),
      mode: z.enum(MODES),
      sessionMode: z.enum(CHECKOUT_MODES),
      status: z.enum(CHECKOUT_STATUSES),
      paymentStatus: z.enum(CHECKOUT_PAYMENT_STATUSES),
      lineItems: z.array(
        z.object({
          priceId: z.string(),
          productId: z.string(),
          quantity: z.number(),
          unitAmount: z.number(),
          amountTotal: z.number(),
        }),
      ),
      amountTotal: z.number(),
      currency: z.string(),
      successUrl: z.string(),
      cancelUrl: z.string(),
      customerEmail: z.nullable(z.string()),
      customerId: z.nullable(z.string()),
      paymentIntentId: z.nullable(z.string()),
      subscriptionId: z.nullable(z.string()),
      expiresAt: z.string(),
      completedAt: z.nullable(z.string()),
      createdAt: z.string(),
      updatedAt: z.string(),
    }),
  ),
  key: (session) => checkoutSessionKey(session.merchantId, session.mode, session.sessionId),
  indexes: (session) =>
    checkoutSessionIndexKey(session.merchantId, session.mode, session.createdAt, session.sessionId),
});

export interface CheckoutPointer {
  sessionId: string;
  merchantId: string;
  mode: (typeof MODES)[number];
}

/** Whose session an id is: what the public page reads before the session itself. */
export const CheckoutPointerEntity = defineEntity<CheckoutPointer>({
  type: 'CheckoutPointer',
  schema: exactSchemaOf<CheckoutPointer>()(
    z.object({ sessionId: z.string(), merchantId: z.string(), mode: z.enum(MODES) }),
  ),
  key: (pointer) => checkoutPointerKey(pointer.sessionId),
});
