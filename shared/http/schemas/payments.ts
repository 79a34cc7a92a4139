import { z } from 'zod';
import { MAX_AMOUNT } from '../../domain/money.js';
import { PAYMENT_STATES } from '../../domain/payment.js';

/** Payment metadata is capped as Stripe caps it: it is stored with the payment and echoed on every read. */
export const METADATA_KEYS_MAX = 50;
export const METADATA_KEY_MAX = 40;
export const METADATA_VALUE_MAX = 500;

export const PaymentIdParams = z.object({
  paymentId: z.string().regex(/^pay_[A-Za-z0-9]{1,64}$/, 'unknown payment id'),
});

export const PaymentRequest = z
  .object({
    appId: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[A-Za-z0-9_.-]+$/),
    amount: z
      .object({
        value: z
          .number()
          .int()
          .positive()
          .max(MAX_AMOUNT)
          .meta({ description: 'Minor units', example: 9999 }),
        currency: z.string().meta({ example: 'USD' }),
      })
      .strict(),
    paymentMethod: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('wallet') }).strict(),
        z.object({ type: z.literal('card'), id: z.string().min(1).max(255) }).strict(),
        z.object({ type: z.literal('paypal') }).strict(),
      ])
      .meta({
        description:
          "The wallet, a saved card (Stripe), or the payer's PayPal account: the payer approves at the " +
          '`nextAction` URL the payment shows while Processing.',
      }),
    description: z.string().max(500),
    metadata: z
      .record(z.string().max(METADATA_KEY_MAX), z.string().max(METADATA_VALUE_MAX))
      .refine((metadata) => Object.keys(metadata).length <= METADATA_KEYS_MAX, {
        message: `at most ${METADATA_KEYS_MAX} keys`,
      })
      .optional()
      .meta({
        description: `Up to ${METADATA_KEYS_MAX} keys of at most ${METADATA_KEY_MAX} characters, values of at most ${METADATA_VALUE_MAX} (as Stripe's)`,
        maxProperties: METADATA_KEYS_MAX,
      }),
    roomId: z
      .string()
      .regex(/^![^:]+:.+$/)
      .optional()
      .meta({
        description:
          'The Matrix room that hears about the payment (m.tween.payment.completed, naming the payer): a room ' +
          'the payer has joined, else 403 NOT_ROOM_MEMBER',
      }),
  })
  .strict()
  .meta({ id: 'PaymentRequest' });

export const RefundRequest = z
  .object({
    amount: z
      .number()
      .int()
      .positive()
      .max(MAX_AMOUNT)
      .optional()
      .meta({ description: 'Omit for a full refund' }),
    reason: z.string().max(500).optional(),
  })
  .strict()
  .meta({ id: 'RefundRequest' });

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
    amount: z.object({ value: z.number().int(), currency: z.string() }),
    paymentMethod: z.union([
      z.object({ type: z.literal('wallet') }),
      z.object({ type: z.literal('card'), id: z.string() }),
      z.object({ type: z.literal('paypal') }),
    ]),
    description: z.string(),
    metadata: z.record(z.string(), z.string()),
    roomId: z.string().optional(),
    state: z.enum(PAYMENT_STATES),
    status: z.enum(['pending', 'requires_mfa', 'processing', 'completed', 'failed', 'refunded', 'cancelled']),
    mfaRequired: z.boolean(),
    mfaMethod: z.string().optional(),
    mfa: z
      .object({
        methods: z.array(z.string()),
        challengeUrl: z.url().meta({
          description: 'Absolute URL of this payment\'s MFA challenge: POST `{"method"}` to it to start one',
        }),
      })
      .optional(),
    nextAction: z
      .object({ type: z.literal('redirect_to_url'), url: z.url() })
      .optional()
      .meta({ description: 'While Processing: where the payer approves the charge (3-D Secure, PayPal)' }),
    refundedAmount: z.number().int(),
    failureCode: z.string().optional(),
    history: z.array(HistoryEntry),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    completedAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'Payment' });
