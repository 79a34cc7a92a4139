/**
 * The merchant API's balance (API.md "Balance"), called with a merchant's secret key, and the ops route
 * that sets a merchant's rolling reserve. One catalogue of the route table (../routes.ts); the keys part
 * adds its `/v1/*` routes here too.
 */
import type { RouteDefinition } from '../route-definition.js';

/** As customers.ts: no user token in front of these, so a limit of their own below the stage's. */
const MERCHANT_API_THROTTLE = { burstLimit: 100, rateLimit: 50 } as const;

export const merchantApiRoutes = [
  {
    method: 'GET',
    path: '/v1/balance',
    fn: 'merchantBalance',
    auth: 'apiKey',
    scope: 'payments:read',
    throttle: MERCHANT_API_THROTTLE,
    idempotency: 'none',
    summary: "The merchant's balance: available, pending and reserved, per currency",
    tags: ['balance'],
  },
  {
    method: 'GET',
    path: '/v1/balance_transactions',
    fn: 'merchantBalance',
    auth: 'apiKey',
    scope: 'payments:read',
    throttle: MERCHANT_API_THROTTLE,
    idempotency: 'none',
    summary: "The merchant's balance transactions, newest first, optionally of one type",
    tags: ['balance'],
  },
  {
    method: 'POST',
    path: '/ops/v1/merchants/{id}/reserve',
    fn: 'merchantBalance',
    auth: 'jwt',
    // Setting the same reserve twice leaves it as it is: a repeat is harmless.
    idempotency: 'none',
    summary: "Set a merchant's rolling reserve, in basis points of its available balance (ops role)",
    tags: ['balance'],
  },
] as const satisfies readonly RouteDefinition[];
