/**
 * The merchant API's keys (the owner, with a JWT) and its `/v1/*` routes (a merchant's server, with a secret
 * key checked by the API-key authorizer). One catalogue of the route table (../routes.ts). The balance
 * routes and the ops reserve are at the end.
 */
import type { RouteDefinition } from '../route-definition.js';

/** Below the stage: a key's holder cannot take the whole API's capacity (API Gateway limits per route). */
const MERCHANT_API_THROTTLE = { burstLimit: 100, rateLimit: 50 };

export const merchantApiRoutes = [
  {
    method: 'POST',
    path: '/merchant/v1/merchants/{merchantId}/api-keys',
    fn: 'apiKeys',
    auth: 'jwt',
    // The answer carries the secret: it is never stored, so no replay of it either.
    idempotency: 'none',
    summary: 'Create an API key (its secret is shown this once)',
    tags: ['api-keys'],
  },
  {
    method: 'GET',
    path: '/merchant/v1/merchants/{merchantId}/api-keys',
    fn: 'apiKeys',
    auth: 'jwt',
    idempotency: 'none',
    summary: "The merchant's API keys, without secrets",
    tags: ['api-keys'],
  },
  {
    method: 'POST',
    path: '/merchant/v1/merchants/{merchantId}/api-keys/{keyId}/roll',
    fn: 'apiKeys',
    auth: 'jwt',
    idempotency: 'none',
    summary: 'Roll an API key: a new secret, the old one works until the grace ends',
    tags: ['api-keys'],
  },
  {
    method: 'DELETE',
    path: '/merchant/v1/merchants/{merchantId}/api-keys/{keyId}',
    fn: 'apiKeys',
    auth: 'jwt',
    idempotency: 'none',
    summary: 'Revoke an API key',
    tags: ['api-keys'],
  },
  {
    method: 'POST',
    path: '/v1/apps',
    fn: 'merchantApps',
    auth: 'apiKey',
    // Registering where mini-app payments land is part of taking payments.
    scope: 'payments:write',
    idempotency: 'optional',
    throttle: MERCHANT_API_THROTTLE,
    summary: "Register an app in the key's mode",
    tags: ['apps'],
  },
  {
    method: 'GET',
    path: '/v1/apps',
    fn: 'merchantApps',
    auth: 'apiKey',
    scope: 'payments:read',
    idempotency: 'none',
    throttle: MERCHANT_API_THROTTLE,
    summary: "The merchant's apps in the key's mode",
    tags: ['apps'],
  },
  {
    method: 'GET',
    path: '/v1/apps/{id}',
    fn: 'merchantApps',
    auth: 'apiKey',
    scope: 'payments:read',
    idempotency: 'none',
    throttle: MERCHANT_API_THROTTLE,
    summary: "An app of the merchant, in the key's mode",
    tags: ['apps'],
  },
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
    method: 'GET',
    path: '/v1/balance_transactions/{id}',
    fn: 'merchantBalance',
    auth: 'apiKey',
    scope: 'payments:read',
    throttle: MERCHANT_API_THROTTLE,
    idempotency: 'none',
    summary: "A balance transaction of the merchant, in the key's mode",
    tags: ['balance'],
  },
  {
    method: 'POST',
    path: '/ops/v1/merchants/{merchantId}/reserve',
    fn: 'merchantBalance',
    auth: 'jwt',
    // API.md: optional on every other POST, and honoured when sent (a reused key with another reserve: 422).
    idempotency: 'optional',
    summary: "Set a merchant's rolling reserve, in basis points of its available balance (ops role)",
    tags: ['balance'],
  },
] as const satisfies readonly RouteDefinition[];
