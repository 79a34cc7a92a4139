/**
 * Liveness, readiness, startup and the integrations check: public, each with a throttle of its own.
 * One catalogue of the route table (../routes.ts), which assembles them in the order of the API.
 */
import type { RouteDefinition } from '../route-definition.js';

export const healthRoutes = [
  {
    method: 'GET',
    path: '/health',
    fn: 'health',
    auth: 'none',
    idempotency: 'none',
    throttle: { burstLimit: 20, rateLimit: 10 },
    summary: 'Liveness',
    tags: ['health'],
  },
  {
    method: 'GET',
    path: '/health/ready',
    fn: 'health',
    auth: 'none',
    idempotency: 'none',
    throttle: { burstLimit: 20, rateLimit: 10 },
    summary: 'Readiness: configuration loaded and the service able to take traffic',
    tags: ['health'],
  },
  {
    method: 'GET',
    path: '/health/startup',
    fn: 'health',
    auth: 'none',
    idempotency: 'none',
    throttle: { burstLimit: 20, rateLimit: 10 },
    summary: 'Startup: cold start finished',
    tags: ['health'],
  },
  {
    method: 'GET',
    path: '/health/integrations',
    fn: 'healthIntegrations',
    auth: 'none',
    idempotency: 'none',
    // Each call touches five AWS APIs (KMS and Step Functions quotas are shared with the payment paths).
    throttle: { burstLimit: 5, rateLimit: 2 },
    summary: 'Each integration (table, queue, bus, Step Functions, KMS) touched and reported',
    tags: ['health'],
  },
] as const satisfies readonly RouteDefinition[];
