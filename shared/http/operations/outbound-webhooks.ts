import type { OperationDoc } from '../operations.js';
import {
  CreateWebhookEndpointRequest,
  DeletedWebhookEndpointResponse,
  EventIdParams,
  EventList,
  EventResponse,
  ListEventsQuery,
  ListWebhookQuery,
  ResendEventRequest,
  UpdateWebhookEndpointRequest,
  WebhookDeliveryList,
  WebhookEndpointIdParams,
  WebhookEndpointList,
  WebhookEndpointResponse,
} from '../schemas/outbound-webhooks.js';

/** Every route here is the merchant API's: a secret key with `webhooks:write`, inside its merchant and mode. */
const KEY = {
  INVALID_API_KEY: 'no valid secret key (`Authorization: Bearer sk_test_…` or `sk_live_…`)',
  INSUFFICIENT_SCOPE: 'the key lacks the `webhooks:write` scope',
} as const;

const ENDPOINT_NOT_FOUND = { ...KEY, NOT_FOUND: "no such webhook endpoint of this key's merchant and mode" };
const BAD_CURSOR = { VALIDATION_ERROR: 'a cursor that was not issued for this list' } as const;
const BAD_ENDPOINT = {
  VALIDATION_ERROR:
    'an unknown event type in `enabled_events`, or a `url` not fit for the mode (live: https to a public address)',
} as const;

export const outboundWebhookOperations: Readonly<Record<string, OperationDoc>> = {
  'POST /v1/webhook_endpoints': {
    operationId: 'createWebhookEndpoint',
    description:
      "Needs the `webhooks:write` scope. The answer carries the endpoint's signing secret (`whsec_…`, Standard Webhooks) this once; it is kept sealed with KMS.",
    request: { body: CreateWebhookEndpointRequest },
    responses: { 201: { description: 'The endpoint, with its secret', schema: WebhookEndpointResponse } },
    errors: { ...KEY, ...BAD_ENDPOINT },
  },
  'GET /v1/webhook_endpoints': {
    operationId: 'listWebhookEndpoints',
    description: 'Needs the `webhooks:write` scope.',
    request: { query: ListWebhookQuery },
    responses: { 200: { description: 'One page of endpoints, newest first', schema: WebhookEndpointList } },
    errors: { ...KEY, ...BAD_CURSOR },
  },
  'GET /v1/webhook_endpoints/{endpointId}': {
    operationId: 'getWebhookEndpoint',
    description: 'Needs the `webhooks:write` scope. The secret is not shown again.',
    request: { params: WebhookEndpointIdParams },
    responses: { 200: { description: 'The endpoint', schema: WebhookEndpointResponse } },
    errors: ENDPOINT_NOT_FOUND,
  },
  'POST /v1/webhook_endpoints/{endpointId}': {
    operationId: 'updateWebhookEndpoint',
    description:
      'Needs the `webhooks:write` scope. Fields left out stay as they are; `disabled: false` enables it again and clears its failure clock; `description: ""` removes it.',
    request: { params: WebhookEndpointIdParams, body: UpdateWebhookEndpointRequest },
    responses: { 200: { description: 'The endpoint as updated', schema: WebhookEndpointResponse } },
    errors: { ...ENDPOINT_NOT_FOUND, ...BAD_ENDPOINT },
  },
  'DELETE /v1/webhook_endpoints/{endpointId}': {
    operationId: 'deleteWebhookEndpoint',
    description: 'Needs the `webhooks:write` scope. Nothing more is delivered to it.',
    request: { params: WebhookEndpointIdParams },
    responses: { 200: { description: 'The endpoint is deleted', schema: DeletedWebhookEndpointResponse } },
    errors: ENDPOINT_NOT_FOUND,
  },
  'GET /v1/webhook_endpoints/{endpointId}/deliveries': {
    operationId: 'listWebhookDeliveries',
    description:
      'Needs the `webhooks:write` scope. Every attempt to deliver an event to this endpoint, newest first: the status code (null without an answer, with `error`), how long it took and when the next attempt is due.',
    request: { params: WebhookEndpointIdParams, query: ListWebhookQuery },
    responses: { 200: { description: 'One page of attempts', schema: WebhookDeliveryList } },
    errors: { ...ENDPOINT_NOT_FOUND, ...BAD_CURSOR },
  },
  'GET /v1/events': {
    operationId: 'listEvents',
    description: "Needs the `webhooks:write` scope. The events of the merchant's objects in the key's mode.",
    request: { query: ListEventsQuery },
    responses: { 200: { description: 'One page of events, newest first', schema: EventList } },
    errors: { ...KEY, ...BAD_CURSOR },
  },
  'GET /v1/events/{eventId}': {
    operationId: 'getEvent',
    description: 'Needs the `webhooks:write` scope.',
    request: { params: EventIdParams },
    responses: { 200: { description: 'The event', schema: EventResponse } },
    errors: { ...KEY, NOT_FOUND: "no such event of this key's merchant and mode" },
  },
  'POST /v1/events/{eventId}/resend': {
    operationId: 'resendEvent',
    description:
      'Needs the `webhooks:write` scope. Queues the event for the endpoint again, even if it acknowledged it before.',
    request: { params: EventIdParams, body: ResendEventRequest },
    responses: { 202: { description: 'Queued; the event', schema: EventResponse } },
    errors: {
      ...KEY,
      NOT_FOUND: "no such event, or no such endpoint, of this key's merchant and mode",
      VALIDATION_ERROR: 'the endpoint is disabled or does not take events of this type',
    },
  },
};
