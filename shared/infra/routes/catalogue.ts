/**
 * The merchant API's products and prices (API.md "Billing and checkout"): server to server with a secret
 * key. One catalogue of the route table (../routes.ts).
 */
import type { RouteDefinition } from '../route-definition.js';

/** No user token in front of these (the API-key authorizer is): a limit of their own, below the stage's. */
const throttle = { burstLimit: 100, rateLimit: 50 } as const;
const write = { fn: 'merchantCatalogue', auth: 'apiKey', scope: 'billing:write', throttle } as const;
const read = { fn: 'merchantCatalogue', auth: 'apiKey', scope: 'billing:read', throttle } as const;

export const catalogueRoutes = [
  {
    ...write,
    method: 'POST',
    path: '/v1/products',
    idempotency: 'optional',
    summary: 'Create a product',
    tags: ['products'],
  },
  {
    ...read,
    method: 'GET',
    path: '/v1/products',
    idempotency: 'none',
    summary: "The merchant's products, newest first",
    tags: ['products'],
  },
  {
    ...read,
    method: 'GET',
    path: '/v1/products/{productId}',
    idempotency: 'none',
    summary: 'A product',
    tags: ['products'],
  },
  {
    ...write,
    method: 'POST',
    path: '/v1/prices',
    idempotency: 'optional',
    summary: "Create a product's price: one-time, or recurring every month or year",
    tags: ['products'],
  },
  {
    ...read,
    method: 'GET',
    path: '/v1/prices',
    idempotency: 'none',
    summary: "The merchant's prices, newest first, optionally of one product and/or type",
    tags: ['products'],
  },
  {
    ...read,
    method: 'GET',
    path: '/v1/prices/{priceId}',
    idempotency: 'none',
    summary: 'A price',
    tags: ['products'],
  },
] as const satisfies readonly RouteDefinition[];
