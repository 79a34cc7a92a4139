import * as z from 'zod/mini';
import { MAX_AMOUNT } from '../../domain/money.js';
import {
  CANCELLATION_REASONS,
  CAPTURE_METHODS,
  PAYMENT_INTENT_STATUSES,
} from '../../domain/payment-intent.js';
import { listOf } from './list.js';
import { METADATA_KEY_MAX, METADATA_KEYS_MAX, METADATA_VALUE_MAX } from './payments.js';

const int = () => z.number().check(z.int());
const amount = () =>
  z
    .number()
    .check(z.int(), z.positive(), z.maximum(MAX_AMOUNT))
    .register(z.globalRegistry, { description: 'Minor units', example: 2000 });
const paymentMethodId = () =>
  z
    .string()
    .check(z.regex(/^pm_[A-Za-z0-9_]{1,128}$/, 'must be a payment method id (pm_…)'))
    .register(z.globalRegistry, { example: 'pm_card_visa' });

export const PaymentIntentIdParams = z.object({
  intentId: z.string().check(z.regex(/^pi_[A-Za-z0-9_]{1,64}$/, 'unknown PaymentIntent id')),
});

const metadata = () =>
  z
    .record(
      z.string().check(z.minLength(1), z.maxLength(METADATA_KEY_MAX)),
      z.string().check(z.maxLength(METADATA_VALUE_MAX)),
    )
    .check(
      z.refine((value) => Object.keys(value).length <= METADATA_KEYS_MAX, {
        message: `at most ${METADATA_KEYS_MAX} keys`,
      }),
    )
    .register(z.globalRegistry, { maxProperties: METADATA_KEYS_MAX });

export const CreatePaymentIntentRequest = z
  .strictObject({
    amount: amount(),
    currency: z.string().register(z.globalRegistry, { example: 'USD' }),
    customer: z.optional(
      z.string().check(z.regex(/^cus_[A-Za-z0-9]{1,64}$/, 'must be a customer id (cus_…)')),
    ),
    payment_method: z.optional(paymentMethodId()),
    capture_method: z._default(z.enum(CAPTURE_METHODS), 'automatic'),
    confirm: z.optional(z.boolean()),
    description: z.optional(z.string().check(z.maxLength(500))),
    metadata: z.optional(metadata()),
    splits: z.optional(
      z
        .array(
          z.strictObject({
            merchant: z.string().check(z.regex(/^mch_[A-Za-z0-9]{1,64}$/, 'must be a merchant id (mch_…)')),
            amount: amount(),
          }),
        )
        .check(z.maxLength(10)),
    ),
  })
  .register(z.globalRegistry, { id: 'CreatePaymentIntentRequest' });

export const ConfirmPaymentIntentRequest = z
  .strictObject({ payment_method: z.optional(paymentMethodId()) })
  .register(z.globalRegistry, { id: 'ConfirmPaymentIntentRequest' });

export const CapturePaymentIntentRequest = z
  .strictObject({
    amount_to_capture: z.optional(amount()).register(z.globalRegistry, {
      description:
        'At most amount_capturable; omit to capture it all (the rest of a partial capture is released)',
    }),
  })
  .register(z.globalRegistry, { id: 'CapturePaymentIntentRequest' });

export const CancelPaymentIntentRequest = z
  .strictObject({
    cancellation_reason: z.optional(
      z.enum(
        CANCELLATION_REASONS.filter((reason) => reason !== 'automatic') as [
          'duplicate',
          'fraudulent',
          'requested_by_customer',
          'abandoned',
        ],
      ),
    ),
  })
  .register(z.globalRegistry, { id: 'CancelPaymentIntentRequest' });

export const ListPaymentIntentsQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 10),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
  customer: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  status: z.optional(z.enum(PAYMENT_INTENT_STATUSES)),
});

export const PaymentIntentResponse = z
  .object({
    id: z.string(),
    object: z.literal('payment_intent'),
    amount: int(),
    amount_capturable: int(),
    amount_received: int(),
    currency: z.string(),
    status: z.enum(PAYMENT_INTENT_STATUSES),
    capture_method: z.enum(CAPTURE_METHODS),
    customer: z.nullable(z.string()),
    payment_method: z.nullable(z.string()),
    description: z.nullable(z.string()),
    metadata: z.record(z.string(), z.string()),
    splits: z.array(z.object({ merchant: z.string(), amount: int() })),
    fees: z.nullable(z.object({ platform: int(), processing: int() })),
    net: z.nullable(int()),
    last_payment_error: z.nullable(
      z.object({
        type: z.literal('card_error'),
        code: z.string(),
        decline_code: z.nullable(z.string()),
        message: z.string(),
        payment_method: z.nullable(z.string()),
      }),
    ),
    next_action: z.nullable(
      z.object({ type: z.literal('redirect_to_url'), redirect_to_url: z.object({ url: z.string() }) }),
    ),
    cancellation_reason: z.nullable(z.enum(CANCELLATION_REASONS)),
    canceled_at: z.nullable(int()),
    capture_before: z.nullable(int()),
    livemode: z.boolean(),
    created: int(),
  })
  .register(z.globalRegistry, { id: 'PaymentIntent' });

export const PaymentIntentList = listOf(PaymentIntentResponse, 'PaymentIntentList');
