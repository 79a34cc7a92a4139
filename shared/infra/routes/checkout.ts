/**
 * Hosted checkout (API.md "Billing and checkout"): the merchant API's sessions (server to server with a
 * secret key), and the public page each session's `url` opens (the session id is its capability). One
 * catalogue of the route table (../routes.ts).
 */
import type { RouteDefinition } from '../route-definition.js';

const api = { fn: 'merchantCheckout', auth: 'apiKey', tags: ['checkout'] } as const;
/** No user token in front of these (the API-key authorizer is): a limit of their own, below the stage's. */
const throttle = { burstLimit: 100, rateLimit: 50 } as const;
const page = {
  fn: 'checkoutPage',
  auth: 'none',
  idempotency: 'none',
  tags: ['checkout'],
  throttle: { burstLimit: 50, rateLimit: 25 },
} as const;

export const checkoutRoutes = [
  {
    ...api,
    method: 'POST',
    path: '/v1/checkout/sessions',
    scope: 'billing:write',
    idempotency: 'optional',
    throttle,
    summary: 'Create a checkout session: a hosted page where the customer pays for a few prices',
  },
  {
    ...api,
    method: 'GET',
    path: '/v1/checkout/sessions',
    scope: 'billing:read',
    idempotency: 'none',
    throttle,
    summary: "The merchant's checkout sessions, newest first",
  },
  {
    ...api,
    method: 'GET',
    path: '/v1/checkout/sessions/{sessionId}',
    scope: 'billing:read',
    idempotency: 'none',
    throttle,
    summary: 'A checkout session',
  },
  {
    ...api,
    method: 'POST',
    path: '/v1/checkout/sessions/{sessionId}/expire',
    scope: 'billing:write',
    idempotency: 'optional',
    throttle,
    summary: 'Expire an open checkout session: its page can no longer be paid',
  },
  {
    ...page,
    method: 'GET',
    path: '/checkout/{sessionId}',
    summary: "The hosted checkout page: the merchant's name, the lines, the total and a card form",
  },
  {
    ...page,
    method: 'POST',
    path: '/checkout/{sessionId}',
    summary: 'Pay the session from its page (a form post); 303 to success_url, or the page with the error',
  },
  {
    ...page,
    method: 'GET',
    path: '/checkout/{sessionId}/return',
    summary: 'Back from 3-D Secure: completes the payment, then 303 to success_url',
  },
] as const satisfies readonly RouteDefinition[];
