/**
 * The merchant API's invoice PDFs (API.md "Billing and checkout"): server to server with a secret key.
 * One catalogue of the route table (../routes.ts).
 */
import type { RouteDefinition } from '../route-definition.js';

export const invoiceDocumentsRoutes = [
  {
    method: 'GET',
    path: '/v1/invoices/{invoiceId}/pdf',
    fn: 'invoiceDocuments',
    auth: 'apiKey',
    scope: 'billing:read',
    idempotency: 'none',
    // No user token in front of it (the API-key authorizer is): a limit of its own, below the stage's.
    throttle: { burstLimit: 50, rateLimit: 20 },
    summary: "An invoice's PDF",
    tags: ['invoices'],
  },
] as const satisfies readonly RouteDefinition[];
