/**
 * The merchant API's refunds (API.md "The merchant API": Refunds): server to server with a secret key.
 * One catalogue of the route table (../routes.ts).
 */
import type { RouteDefinition } from '../route-definition.js';

const common = { fn: 'merchantRefunds', auth: 'apiKey', tags: ['refunds'] } as const;
/** No user token in front of these (the API-key authorizer is): a limit of their own, below the stage's. */
const throttle = { burstLimit: 100, rateLimit: 50 } as const;

export const refundsRoutes = [
  {
    ...common,
    method: 'POST',
    path: '/v1/refunds',
    scope: 'refunds:write',
    idempotency: 'required',
    throttle,
    summary: 'Refund a PaymentIntent or a mini-app payment, wholly or partly',
  },
  {
    ...common,
    method: 'GET',
    path: '/v1/refunds',
    scope: 'payments:read',
    idempotency: 'none',
    throttle,
    summary: "The merchant's refunds, newest first",
  },
  {
    ...common,
    method: 'GET',
    path: '/v1/refunds/{refundId}',
    scope: 'payments:read',
    idempotency: 'none',
    throttle,
    summary: 'A refund',
  },
] as const satisfies readonly RouteDefinition[];
