import * as z from 'zod/mini';
import {
  CHECKOUT_MODES,
  CHECKOUT_PAYMENT_STATUSES,
  CHECKOUT_STATUSES,
  MAX_LINE_ITEMS,
  MAX_QUANTITY,
} from '../../domain/checkout-session.js';
import { listOf } from './list.js';

const int = () => z.number().check(z.int());
const sessionId = z.string().check(z.regex(/^cs_[A-Za-z0-9_]{1,128}$/, 'unknown checkout session id'));
/** Where the customer is sent: an absolute http(s) URL. */
const redirectUrl = z
  .string()
  .check(z.maxLength(2048), z.regex(/^https?:\/\/[^\s]+$/, 'must be an absolute http or https URL'));

export const CheckoutSessionIdParams = z.object({ sessionId });

export const CreateCheckoutSessionRequest = z
  .strictObject({
    mode: z.enum(CHECKOUT_MODES).register(z.globalRegistry, {
      description: '`payment` (one-time prices) or `subscription` (recurring prices)',
    }),
    line_items: z
      .array(
        z.strictObject({
          price: z.string().check(z.minLength(1), z.maxLength(255)),
          quantity: int().check(z.minimum(1), z.maximum(MAX_QUANTITY)),
        }),
      )
      .check(z.minLength(1), z.maxLength(MAX_LINE_ITEMS)),
    success_url: redirectUrl,
    cancel_url: redirectUrl,
    customer_email: z.optional(z.email().check(z.maxLength(254))),
    customer: z.optional(z.string().check(z.regex(/^cus_[A-Za-z0-9_]{1,128}$/, 'unknown customer id'))),
  })
  .register(z.globalRegistry, { id: 'CreateCheckoutSessionRequest' });

export const ListCheckoutSessionsQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 10),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
});

export const CheckoutSessionResponse = z
  .object({
    id: z.string(),
    object: z.literal('checkout.session'),
    url: z.nullable(z.string()).register(z.globalRegistry, {
      description: 'The hosted page, while the session is open (absolute, on this API)',
    }),
    status: z.enum(CHECKOUT_STATUSES),
    payment_status: z.enum(CHECKOUT_PAYMENT_STATUSES),
    mode: z.enum(CHECKOUT_MODES),
    amount_subtotal: int(),
    amount_total: int(),
    currency: z.string(),
    line_items: z.array(
      z.object({ price: z.string(), quantity: int(), amount_total: int(), currency: z.string() }),
    ),
    customer: z.nullable(z.string()),
    customer_email: z.nullable(z.string()),
    payment_intent: z.nullable(z.string()),
    subscription: z.nullable(z.string()),
    success_url: z.string(),
    cancel_url: z.string(),
    expires_at: int().register(z.globalRegistry, { description: 'Epoch seconds: 24 h after creation' }),
    livemode: z.boolean(),
    created: int().register(z.globalRegistry, { description: 'Epoch seconds' }),
  })
  .register(z.globalRegistry, { id: 'CheckoutSession' });

export const CheckoutSessionList = listOf(CheckoutSessionResponse, 'CheckoutSessionList');
