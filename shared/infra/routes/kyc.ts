/**
 * A merchant's KYC documents (API.md "Onboarding"); the rest of onboarding is in its own catalogue.
 * One catalogue of the route table (../routes.ts).
 */
import type { RouteDefinition } from '../route-definition.js';

export const kycRoutes = [
  {
    method: 'POST',
    path: '/merchant/v1/merchants/{merchantId}/kyc/documents',
    fn: 'kycDocuments',
    auth: 'jwt',
    idempotency: 'optional',
    summary: 'Start a KYC document: an S3 presigned URL to PUT the file to (owner)',
    tags: ['merchants'],
  },
  {
    method: 'GET',
    path: '/merchant/v1/merchants/{merchantId}/kyc/documents',
    fn: 'kycDocuments',
    auth: 'jwt',
    idempotency: 'none',
    summary: "A merchant's KYC documents (owner or ops)",
    tags: ['merchants'],
  },
] as const satisfies readonly RouteDefinition[];
