/**
 * Merchant onboarding (API.md "Onboarding"): the owner creates a merchant, verifies its email, submits its
 * KYC documents; ops list the review queue and decide. One catalogue of the route table (../routes.ts).
 */
import type { RouteDefinition } from '../route-definition.js';

export const merchantsRoutes = [
  {
    method: 'POST',
    path: '/merchant/v1/merchants',
    fn: 'merchantOnboarding',
    auth: 'jwt',
    idempotency: 'optional',
    userRateLimit: true,
    summary: 'Create a merchant (the caller owns it); a verification code is emailed',
    tags: ['merchants'],
  },
  {
    method: 'GET',
    path: '/merchant/v1/merchants/{merchantId}',
    fn: 'merchantOnboarding',
    auth: 'jwt',
    idempotency: 'none',
    summary: 'A merchant, for its owner or ops',
    tags: ['merchants'],
  },
  {
    method: 'POST',
    path: '/merchant/v1/merchants/{merchantId}',
    fn: 'merchantOnboarding',
    auth: 'jwt',
    // Setting a field to a value is idempotent in itself: a retry sets it again.
    idempotency: 'none',
    summary: "Update the owner's contact details (phone) for notifications",
    tags: ['merchants'],
  },
  {
    method: 'POST',
    path: '/merchant/v1/merchants/{merchantId}/verify-email',
    fn: 'merchantOnboarding',
    auth: 'jwt',
    idempotency: 'optional',
    userRateLimit: true,
    summary: 'Verify the email with the emailed code',
    tags: ['merchants'],
  },
  {
    method: 'POST',
    path: '/merchant/v1/merchants/{merchantId}/verify-email/resend',
    fn: 'merchantOnboarding',
    auth: 'jwt',
    idempotency: 'optional',
    userRateLimit: true,
    summary: 'Email a new verification code (the previous one stops working)',
    tags: ['merchants'],
  },
  {
    method: 'POST',
    path: '/merchant/v1/merchants/{merchantId}/kyc/submit',
    fn: 'merchantOnboarding',
    auth: 'jwt',
    idempotency: 'optional',
    summary: 'Submit the uploaded KYC documents for review',
    tags: ['merchants'],
  },
  {
    method: 'GET',
    path: '/ops/v1/merchants',
    fn: 'merchantReview',
    auth: 'jwt',
    idempotency: 'none',
    summary: 'Ops: merchants by status (the review queue), oldest first',
    tags: ['merchants'],
  },
  {
    method: 'POST',
    path: '/ops/v1/merchants/{merchantId}/review',
    fn: 'merchantReview',
    auth: 'jwt',
    idempotency: 'optional',
    summary: 'Ops: approve (a Stripe connected account is created) or reject a merchant in review',
    tags: ['merchants'],
  },
] as const satisfies readonly RouteDefinition[];
