import * as z from 'zod/mini';
import { MAX_AMOUNT } from '../../domain/money.js';
import { PAYMENT_STATES } from '../../domain/payment.js';

/** Payment metadata is capped as Stripe caps it: it is stored with the payment and echoed on every read. */
export const METADATA_KEYS_MAX = 50;
export const METADATA_KEY_MAX = 40;
export const METADATA_VALUE_MAX = 500;

const int = () => z.number().check(z.int());

export const PaymentIdParams = z.object({
  paymentId: z.string().check(z.regex(/^pay_[A-Za-z0-9]{1,64}$/, 'unknown payment id')),
});

export const PaymentRequest = z
  .strictObject({
    appId: z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9_.-]+$/)),
    amount: z.strictObject({
      value: z
        .number()
        .check(z.int(), z.positive(), z.maximum(MAX_AMOUNT))
        .register(z.globalRegistry, { description: 'Minor units', example: 9999 }),
      currency: z.string().register(z.globalRegistry, { example: 'USD' }),
    }),
    paymentMethod: z
      .discriminatedUnion('type', [
        z.strictObject({ type: z.literal('wallet') }),
        z.strictObject({ type: z.literal('card'), id: z.string().check(z.minLength(1), z.maxLength(255)) }),
        z.strictObject({ type: z.literal('paypal') }),
      ])
      .register(z.globalRegistry, {
        description:
          "The wallet, a saved card (Stripe), or the payer's PayPal account: the payer approves at the " +
          '`nextAction` URL the payment shows while Processing.',
      }),
    description: z.string().check(z.maxLength(500)),
    metadata: z
      .optional(
        z
          .record(
            z.string().check(z.maxLength(METADATA_KEY_MAX)),
            z.string().check(z.maxLength(METADATA_VALUE_MAX)),
          )
          .check(
            z.refine((metadata) => Object.keys(metadata).length <= METADATA_KEYS_MAX, {
              message: `at most ${METADATA_KEYS_MAX} keys`,
            }),
          ),
      )
      .register(z.globalRegistry, {
        description: `Up to ${METADATA_KEYS_MAX} keys of at most ${METADATA_KEY_MAX} characters, values of at most ${METADATA_VALUE_MAX} (as Stripe's)`,
        maxProperties: METADATA_KEYS_MAX,
      }),
    roomId: z.optional(z.string().check(z.regex(/^![^:]+:.+$/))).register(z.globalRegistry, {
      description:
        'The Matrix room that hears about the payment (m.tween.payment.completed, naming the payer): a room ' +
        'the payer has joined, else 403 NOT_ROOM_MEMBER',
    }),
  })
  .register(z.globalRegistry, { id: 'PaymentRequest' });

export const RefundRequest = z
  .strictObject({
    amount: z
      .optional(z.number().check(z.int(), z.positive(), z.maximum(MAX_AMOUNT)))
      .register(z.globalRegistry, { description: 'Omit for a full refund' }),
    reason: z.optional(z.string().check(z.maxLength(500))),
  })
  .register(z.globalRegistry, { id: 'RefundRequest' });

const HistoryEntry = z.object({
  state: z.enum(PAYMENT_STATES),
  event: z.string(),
  at: z.iso.datetime(),
  actor: z.string(),
});

export const PaymentResponse = z
  .object({
    paymentId: z.string(),
    userId: z.string(),
    appId: z.string(),
    amount: z.object({ value: int(), currency: z.string() }),
    paymentMethod: z.union([
      z.object({ type: z.literal('wallet') }),
      z.object({ type: z.literal('card'), id: z.string() }),
      z.object({ type: z.literal('paypal') }),
    ]),
    description: z.string(),
    metadata: z.record(z.string(), z.string()),
    roomId: z.optional(z.string()),
    state: z.enum(PAYMENT_STATES),
    status: z.enum(['pending', 'requires_mfa', 'processing', 'completed', 'failed', 'refunded', 'cancelled']),
    mfaRequired: z.boolean(),
    mfaMethod: z.optional(z.string()),
    mfa: z.optional(
      z.object({
        methods: z.array(z.string()),
        challengeUrl: z.url().register(z.globalRegistry, {
          description: 'Absolute URL of this payment\'s MFA challenge: POST `{"method"}` to it to start one',
        }),
      }),
    ),
    nextAction: z
      .optional(z.object({ type: z.literal('redirect_to_url'), url: z.url() }))
      .register(z.globalRegistry, {
        description: 'While Processing: where the payer approves the charge (3-D Secure, PayPal)',
      }),
    refundedAmount: int(),
    failureCode: z.optional(z.string()),
    history: z.array(HistoryEntry),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    completedAt: z.optional(z.iso.datetime()),
  })
  .register(z.globalRegistry, { id: 'Payment' });
