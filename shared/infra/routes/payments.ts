/**
 * Mini-app payments: request, query, authorize, cancel and refund.
 * One catalogue of the route table (../routes.ts), which assembles them in the order of the API.
 */
import type { RouteDefinition } from '../route-definition.js';

export const paymentsRoutes = [
  {
    method: 'POST',
    path: '/api/v1/payments/request',
    fn: 'paymentRequest',
    auth: 'jwt',
    idempotency: 'required',
    userRateLimit: true,
    summary: 'Request a mini-app payment (MFA above the threshold)',
    tags: ['payments'],
  },
  {
    method: 'GET',
    path: '/api/v1/payments/{paymentId}',
    fn: 'paymentQuery',
    auth: 'jwt',
    idempotency: 'none',
    summary: 'A payment of the caller, with its history',
    tags: ['payments'],
  },
  {
    method: 'POST',
    path: '/api/v1/payments/{paymentId}/authorize',
    fn: 'paymentCommands',
    auth: 'jwt',
    idempotency: 'optional',
    summary: 'Continue a payment after MFA or 3-D Secure',
    tags: ['payments'],
  },
  {
    method: 'POST',
    path: '/api/v1/payments/{paymentId}/cancel',
    fn: 'paymentCommands',
    auth: 'jwt',
    idempotency: 'optional',
    summary: 'Cancel a payment before it is processed',
    tags: ['payments'],
  },
  {
    method: 'POST',
    path: '/api/v1/payments/{paymentId}/refund',
    fn: 'paymentRefund',
    auth: 'jwt',
    idempotency: 'required',
    userRateLimit: true,
    summary: 'Refund a payment, fully or partly (ops role)',
    tags: ['payments'],
  },
] as const satisfies readonly RouteDefinition[];
