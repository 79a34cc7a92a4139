/**
 * The merchant API's subscriptions (API.md "Billing and checkout"): server to server with a secret key. One
 * catalogue of the route table (../routes.ts).
 */
import type { RouteDefinition } from '../route-definition.js';

/** No user token in front of these (the API-key authorizer is): a limit of their own, below the stage's. */
const throttle = { burstLimit: 100, rateLimit: 50 } as const;
const common = { fn: 'merchantSubscriptions', auth: 'apiKey', tags: ['subscriptions'], throttle } as const;

export const subscriptionsRoutes = [
  {
    ...common,
    scope: 'billing:write',
    method: 'POST',
    path: '/v1/subscriptions',
    idempotency: 'optional',
    summary: 'Subscribe a customer to recurring prices, billing the first period or starting a trial',
  },
  {
    ...common,
    scope: 'billing:read',
    method: 'GET',
    path: '/v1/subscriptions',
    idempotency: 'none',
    summary: "The merchant's subscriptions, newest first, by customer or status",
  },
  {
    ...common,
    scope: 'billing:read',
    method: 'GET',
    path: '/v1/subscriptions/{subscriptionId}',
    idempotency: 'none',
    summary: 'A subscription',
  },
  {
    ...common,
    scope: 'billing:write',
    method: 'POST',
    path: '/v1/subscriptions/{subscriptionId}/cancel',
    idempotency: 'optional',
    summary: 'Cancel a subscription now or at the end of its period',
  },
] as const satisfies readonly RouteDefinition[];
