import type { OperationDoc } from '../operations.js';
import {
  PayPalEventBody,
  ReplayRequest,
  ReplayResponse,
  StripeEventBody,
  WebhookEventsPage,
  WebhookEventsQuery,
  WebhookReceipt,
} from '../schemas/webhooks.js';

const opsOnly = { 403: { description: 'FORBIDDEN: the token has no `ops` role' } };

/** The provider webhook and the ops routes over the webhook inbox. */
export const webhookOperations: Readonly<Record<string, OperationDoc>> = {
  'POST /api/v1/webhooks/stripe': {
    operationId: 'receiveStripeEvent',
    request: { body: StripeEventBody },
    responses: {
      200: { description: 'Verified and queued (or an event type we do not act on)', schema: WebhookReceipt },
      400: { description: 'VALIDATION_ERROR: missing, forged or stale signature; nothing was stored' },
    },
  },
  'POST /api/v1/webhooks/paypal': {
    operationId: 'receivePayPalEvent',
    request: { body: PayPalEventBody },
    responses: {
      200: { description: 'Verified and queued (or an event type we do not act on)', schema: WebhookReceipt },
      400: { description: 'VALIDATION_ERROR: missing or forged transmission signature; nothing was stored' },
      502: { description: 'PROCESSOR_ERROR: PayPal could not verify it now; PayPal delivers it again' },
    },
  },
  'GET /api/v1/webhooks/events': {
    operationId: 'listWebhookEvents',
    request: { query: WebhookEventsQuery },
    responses: {
      200: { description: 'One page of the inbox, newest first', schema: WebhookEventsPage },
      ...opsOnly,
    },
  },
  'POST /api/v1/webhooks/replay': {
    operationId: 'replayWebhookEvent',
    request: { body: ReplayRequest },
    responses: {
      202: {
        description: 'Queued again; a processed or ignored event changes nothing, a failed one is retried',
        schema: ReplayResponse,
      },
      ...opsOnly,
      404: { description: 'NOT_FOUND: no such event in the inbox' },
    },
  },
};
