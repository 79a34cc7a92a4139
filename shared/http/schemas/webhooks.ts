import * as z from 'zod/mini';
import { WEBHOOK_STATUSES, type WebhookStatus } from '../../app/webhooks/ports.js';

const Status = z.enum(WEBHOOK_STATUSES as [WebhookStatus, ...WebhookStatus[]]);
const int = () => z.number().check(z.int());

/**
 * The Stripe Event as Stripe sends it, for the document only: the handler verifies the signature over the
 * raw bytes before it reads anything, and the signature header carries the proof.
 */
export const PayPalEventBody = z
  .looseObject({
    id: z.string().register(z.globalRegistry, { example: 'WH-2WR32451HC0233532-67976317FL4543714' }),
    event_type: z.string().register(z.globalRegistry, { example: 'PAYMENT.CAPTURE.COMPLETED' }),
    resource_type: z.string().register(z.globalRegistry, { example: 'capture' }),
    create_time: z.string(),
    resource: z.record(z.string(), z.unknown()),
  })
  .register(z.globalRegistry, {
    id: 'PayPalEvent',
    description:
      'Signed by PayPal: headers `PayPal-Transmission-Id`, `-Time`, `-Sig`, `PayPal-Cert-Url`, `PayPal-Auth-Algo`, verified through verify-webhook-signature',
  });

export const StripeEventBody = z
  .looseObject({
    id: z.string().register(z.globalRegistry, { example: 'evt_1Q2w3E4r5T6y7U8i' }),
    object: z.literal('event'),
    type: z.string().register(z.globalRegistry, { example: 'payment_intent.succeeded' }),
    created: int(),
    data: z.object({ object: z.record(z.string(), z.unknown()) }),
  })
  .register(z.globalRegistry, {
    id: 'StripeEvent',
    description:
      'Signed by Stripe: header `Stripe-Signature: t=<unix time>,v1=<HMAC-SHA256>` (300 s tolerance)',
  });

export const WebhookReceipt = z
  .object({ received: z.literal(true) })
  .register(z.globalRegistry, { id: 'WebhookReceipt' });

export const WebhookEventsQuery = z.strictObject({
  status: z.optional(Status),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
});

export const WebhookEvent = z
  .object({
    eventId: z.string().register(z.globalRegistry, { example: 'stripe:evt_1Q2w3E4r5T6y7U8i' }),
    provider: z.enum(['stripe', 'paypal']),
    providerEventId: z.string(),
    type: z.string(),
    objectId: z.string(),
    paymentId: z
      .optional(z.string())
      .register(z.globalRegistry, { description: "The provider's payment the event concerns" }),
    status: Status,
    deliveries: int().register(z.globalRegistry, {
      description: 'Times the queue handed it over, replays included',
    }),
    failures: int(),
    outcome: z.optional(z.string()).register(z.globalRegistry, { example: 'topup_completed' }),
    reason: z
      .optional(z.string())
      .register(z.globalRegistry, { description: 'Why it was ignored', example: 'not_ours' }),
    subject: z.optional(
      z.object({ type: z.enum(['topup', 'payment', 'payment_intent', 'payout']), id: z.string() }),
    ),
    details: z.optional(z.record(z.string(), z.union([z.string(), z.number()]))),
    lastError: z.optional(z.string()),
    providerCreatedAt: z.iso.datetime(),
    receivedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    settledAt: z.optional(z.iso.datetime()),
  })
  .register(z.globalRegistry, { id: 'WebhookEvent' });

export const WebhookEventsPage = z
  .object({ items: z.array(WebhookEvent), nextCursor: z.nullable(z.string()) })
  .register(z.globalRegistry, { id: 'WebhookEventsPage' });

export const ReplayRequest = z
  .strictObject({
    eventId: z
      .string()
      .check(
        z.regex(
          /^(([a-z]+:)?evt_[A-Za-z0-9_]{1,255}|paypal:WH-[A-Za-z0-9-]{1,255})$/,
          'must be an inbox id (stripe:evt_…, paypal:WH-…) or a Stripe evt_ id',
        ),
      ),
  })
  .register(z.globalRegistry, { id: 'WebhookReplayRequest' });

export const ReplayResponse = z
  .object({ eventId: z.string(), status: Status, replayed: z.literal(true) })
  .register(z.globalRegistry, { id: 'WebhookReplay' });
