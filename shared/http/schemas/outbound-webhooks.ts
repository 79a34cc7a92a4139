/** Requests and answers of the merchant's outbound webhooks (API.md "Webhook endpoints"). */
import * as z from 'zod/mini';
import { MAX_ENABLED_EVENTS } from '../../domain/webhook-endpoint.js';
import { listOf } from './list.js';

const int = () => z.number().check(z.int());
const epochSeconds = () => int().register(z.globalRegistry, { description: 'Epoch seconds' });

const endpointId = () => z.string().check(z.regex(/^we_[A-Za-z0-9]{1,64}$/, 'unknown webhook endpoint id'));
const eventId = () => z.string().check(z.regex(/^evt_[A-Za-z0-9]{1,64}$/, 'unknown event id'));

export const WebhookEndpointIdParams = z.object({ endpointId: endpointId() });
export const EventIdParams = z.object({ eventId: eventId() });

const url = () =>
  z.string().check(z.minLength(1), z.maxLength(2048)).register(z.globalRegistry, {
    description:
      'Where events are POSTed. Live mode: https only, and the host must not resolve to a private, loopback or link-local address',
    example: 'https://example.com/webhooks/tween',
  });

const enabledEvents = () =>
  z
    .array(z.string().check(z.minLength(1), z.maxLength(128)))
    .check(z.minLength(1), z.maxLength(MAX_ENABLED_EVENTS))
    .register(z.globalRegistry, {
      description: 'Event types to deliver (API.md lists them), or `["*"]` for all; an unknown type is a 400',
      example: ['payment_intent.succeeded', 'refund.updated'],
    });

const description = () => z.string().check(z.maxLength(512));

export const CreateWebhookEndpointRequest = z
  .strictObject({ url: url(), enabled_events: enabledEvents(), description: z.optional(description()) })
  .register(z.globalRegistry, { id: 'CreateWebhookEndpointRequest' });

export const UpdateWebhookEndpointRequest = z
  .strictObject({
    url: z.optional(url()),
    enabled_events: z.optional(enabledEvents()),
    description: z.optional(description()),
    disabled: z.optional(z.boolean()).register(z.globalRegistry, {
      description: 'true disables it; false enables it again and clears its failure clock',
    }),
  })
  .register(z.globalRegistry, { id: 'UpdateWebhookEndpointRequest' });

export const ListWebhookQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 10),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
});

export const ListEventsQuery = z.strictObject({
  ...ListWebhookQuery.shape,
  type: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
});

export const ResendEventRequest = z
  .strictObject({ endpoint: endpointId() })
  .register(z.globalRegistry, { id: 'ResendEventRequest' });

export const WebhookEndpointResponse = z
  .object({
    id: z.string(),
    object: z.literal('webhook_endpoint'),
    url: z.string(),
    enabled_events: z.array(z.string()),
    description: z.nullable(z.string()),
    status: z.enum(['enabled', 'disabled']),
    secret: z.optional(z.string()).register(z.globalRegistry, {
      description: 'The Standard Webhooks signing secret (`whsec_…`): in the creation answer only',
    }),
    livemode: z.boolean(),
    created: epochSeconds(),
  })
  .register(z.globalRegistry, { id: 'WebhookEndpoint' });

export const DeletedWebhookEndpointResponse = z
  .object({ id: z.string(), object: z.literal('webhook_endpoint'), deleted: z.literal(true) })
  .register(z.globalRegistry, { id: 'DeletedWebhookEndpoint' });

export const EventResponse = z
  .object({
    id: z.string(),
    object: z.literal('event'),
    type: z.string(),
    created: epochSeconds(),
    livemode: z.boolean(),
    data: z.object({ object: z.record(z.string(), z.unknown()) }),
  })
  .register(z.globalRegistry, { id: 'Event' });

export const WebhookDeliveryResponse = z
  .object({
    object: z.literal('webhook_delivery'),
    event: z.string(),
    attempt: int(),
    attempted_at: epochSeconds(),
    status_code: z.nullable(int()),
    duration_ms: int(),
    next_attempt_at: z.nullable(epochSeconds()),
    error: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: 'WebhookDelivery' });

export const WebhookEndpointList = listOf(WebhookEndpointResponse, 'WebhookEndpointList');
export const EventList = listOf(EventResponse, 'EventList');
export const WebhookDeliveryList = listOf(WebhookDeliveryResponse, 'WebhookDeliveryList');
