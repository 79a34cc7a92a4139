import { z } from 'zod';
import { WEBHOOK_STATUSES, type WebhookStatus } from '../../app/webhooks/ports.js';

const Status = z.enum(WEBHOOK_STATUSES as [WebhookStatus, ...WebhookStatus[]]);

/**
 * The Stripe Event as Stripe sends it, for the document only: the handler verifies the signature over the
 * raw bytes before it reads anything, and the signature header carries the proof.
 */
export const PayPalEventBody = z
  .looseObject({
    id: z.string().meta({ example: 'WH-2WR32451HC0233532-67976317FL4543714' }),
    event_type: z.string().meta({ example: 'PAYMENT.CAPTURE.COMPLETED' }),
    resource_type: z.string().meta({ example: 'capture' }),
    create_time: z.string(),
    resource: z.record(z.string(), z.unknown()),
  })
  .meta({
    id: 'PayPalEvent',
    description:
      'Signed by PayPal: headers `PayPal-Transmission-Id`, `-Time`, `-Sig`, `PayPal-Cert-Url`, `PayPal-Auth-Algo`, verified through verify-webhook-signature',
  });

export const StripeEventBody = z
  .looseObject({
    id: z.string().meta({ example: 'evt_1Q2w3E4r5T6y7U8i' }),
    object: z.literal('event'),
    type: z.string().meta({ example: 'payment_intent.succeeded' }),
    created: z.number().int(),
    data: z.object({ object: z.record(z.string(), z.unknown()) }),
  })
  .meta({
    id: 'StripeEvent',
    description:
      'Signed by Stripe: header `Stripe-Signature: t=<unix time>,v1=<HMAC-SHA256>` (300 s tolerance)',
  });

export const WebhookReceipt = z.object({ received: z.literal(true) }).meta({ id: 'WebhookReceipt' });

export const WebhookEventsQuery = z
  .object({
    status: Status.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(1024).optional(),
  })
  .strict();

export const WebhookEvent = z
  .object({
    eventId: z.string().meta({ example: 'stripe:evt_1Q2w3E4r5T6y7U8i' }),
    provider: z.enum(['stripe', 'paypal']),
    providerEventId: z.string(),
    type: z.string(),
    objectId: z.string(),
    paymentId: z.string().optional().meta({ description: "The provider's payment the event concerns" }),
    status: Status,
    deliveries: z.number().int().meta({ description: 'Times the queue handed it over, replays included' }),
    failures: z.number().int(),
    outcome: z.string().optional().meta({ example: 'topup_completed' }),
    reason: z.string().optional().meta({ description: 'Why it was ignored', example: 'not_ours' }),
    subject: z.object({ type: z.enum(['topup', 'payment']), id: z.string() }).optional(),
    details: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    lastError: z.string().optional(),
    providerCreatedAt: z.iso.datetime(),
    receivedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    settledAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'WebhookEvent' });

export const WebhookEventsPage = z
  .object({ items: z.array(WebhookEvent), nextCursor: z.string().nullable() })
  .meta({ id: 'WebhookEventsPage' });

export const ReplayRequest = z
  .object({
    eventId: z
      .string()
      .regex(
        /^(([a-z]+:)?evt_[A-Za-z0-9_]{1,255}|paypal:WH-[A-Za-z0-9-]{1,255})$/,
        'must be an inbox id (stripe:evt_…, paypal:WH-…) or a Stripe evt_ id',
      ),
  })
  .strict()
  .meta({ id: 'WebhookReplayRequest' });

export const ReplayResponse = z
  .object({ eventId: z.string(), status: Status, replayed: z.literal(true) })
  .meta({ id: 'WebhookReplay' });
