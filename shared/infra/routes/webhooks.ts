/**
 * Provider webhooks (signature-verified, queued) and the ops view of the webhook inbox.
 * One catalogue of the route table (../routes.ts), which assembles them in the order of the API.
 */
import type { RouteDefinition } from '../route-definition.js';

export const webhooksRoutes = [
  {
    method: 'POST',
    path: '/api/v1/webhooks/stripe',
    fn: 'webhookIngest',
    auth: 'webhook',
    // The event id deduplicates (the queue, then the inbox); nothing to store per request.
    idempotency: 'none',
    rawBody: true,
    throttle: { burstLimit: 100, rateLimit: 50 },
    summary: "Stripe's webhook: signature verified, event queued for the consumer",
    tags: ['webhooks'],
  },
  {
    method: 'POST',
    path: '/api/v1/webhooks/paypal',
    fn: 'paypalWebhookIngest',
    auth: 'webhook',
    idempotency: 'none',
    rawBody: true,
    throttle: { burstLimit: 100, rateLimit: 50 },
    summary: "PayPal's webhook: transmission verified by PayPal, event queued for the consumer",
    tags: ['webhooks'],
  },
  {
    method: 'GET',
    path: '/api/v1/webhooks/events',
    fn: 'webhookOps',
    auth: 'jwt',
    idempotency: 'none',
    summary: 'The webhook inbox, newest first, by status (ops role)',
    tags: ['webhooks'],
  },
  {
    method: 'POST',
    path: '/api/v1/webhooks/replay',
    fn: 'webhookOps',
    auth: 'jwt',
    // A replay applies nothing twice (the consumer's inbox decides), so a repeat is harmless.
    idempotency: 'none',
    summary: 'Queue an inbox event again (ops role); a processed one changes nothing',
    tags: ['webhooks'],
  },
] as const satisfies readonly RouteDefinition[];
