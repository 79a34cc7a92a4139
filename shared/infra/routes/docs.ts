/**
 * The OpenAPI document and the browsable API reference (Swagger UI served from here): public, throttled.
 * One catalogue of the route table (../routes.ts), which assembles them in the order of the API.
 */
import type { RouteDefinition } from '../route-definition.js';

export const docsRoutes = [
  {
    method: 'GET',
    path: '/openapi.json',
    fn: 'openapi',
    auth: 'none',
    idempotency: 'none',
    throttle: { burstLimit: 20, rateLimit: 10 },
    summary: 'This OpenAPI 3.1 document',
    tags: ['docs'],
  },
  {
    method: 'GET',
    path: '/docs',
    fn: 'docs',
    auth: 'none',
    idempotency: 'none',
    throttle: { burstLimit: 20, rateLimit: 10 },
    summary: 'The API reference: this document, browsable (Swagger UI, served from here, no CDN)',
    tags: ['docs'],
  },
  {
    method: 'GET',
    path: '/docs/assets/swagger-ui.css',
    fn: 'docs',
    auth: 'none',
    idempotency: 'none',
    throttle: { burstLimit: 20, rateLimit: 10 },
    summary: "The API reference's stylesheet",
    tags: ['docs'],
  },
  {
    method: 'GET',
    path: '/docs/assets/swagger-ui-bundle.js',
    fn: 'docs',
    auth: 'none',
    idempotency: 'none',
    throttle: { burstLimit: 20, rateLimit: 10 },
    summary: "The API reference's renderer (Swagger UI's standalone bundle)",
    tags: ['docs'],
  },
  {
    method: 'GET',
    path: '/docs/assets/reference.js',
    fn: 'docs',
    auth: 'none',
    idempotency: 'none',
    throttle: { burstLimit: 20, rateLimit: 10 },
    summary: 'Starts the API reference on /openapi.json',
    tags: ['docs'],
  },
] as const satisfies readonly RouteDefinition[];
