/**
 * MFA: a payment's challenges, and enrolment of the PIN, TOTP, device keys and step-up tokens.
 * One catalogue of the route table (../routes.ts), which assembles them in the order of the API.
 */
import type { RouteDefinition } from '../route-definition.js';

export const mfaRoutes = [
  {
    method: 'POST',
    path: '/payments/v1/{paymentId}/mfa/challenge',
    fn: 'mfaChallenges',
    auth: 'jwt',
    idempotency: 'optional',
    userRateLimit: true,
    summary: 'Start an MFA challenge for a payment',
    tags: ['mfa'],
  },
  {
    method: 'POST',
    path: '/payments/v1/{paymentId}/mfa/verify',
    fn: 'mfaChallenges',
    auth: 'jwt',
    idempotency: 'none',
    userRateLimit: true,
    summary: 'Answer an MFA challenge',
    tags: ['mfa'],
  },
  {
    method: 'GET',
    path: '/payments/v1/{paymentId}/mfa/status',
    fn: 'mfaChallenges',
    auth: 'jwt',
    idempotency: 'none',
    summary: "A payment's MFA state",
    tags: ['mfa'],
  },
  {
    method: 'PUT',
    path: '/payments/v1/user/{userId}/mfa/pin',
    fn: 'mfaEnrolment',
    auth: 'jwt',
    idempotency: 'none',
    summary: 'Set the transaction PIN',
    tags: ['mfa'],
  },
  {
    method: 'POST',
    path: '/payments/v1/user/{userId}/mfa/totp',
    fn: 'mfaEnrolment',
    auth: 'jwt',
    idempotency: 'none',
    summary: 'Start TOTP enrolment: a secret and an otpauth URI',
    tags: ['mfa'],
  },
  {
    method: 'POST',
    path: '/payments/v1/user/{userId}/mfa/totp/confirm',
    fn: 'mfaEnrolment',
    auth: 'jwt',
    idempotency: 'optional',
    summary: 'Confirm TOTP enrolment with a first code',
    tags: ['mfa'],
  },
  {
    method: 'POST',
    path: '/payments/v1/user/{userId}/mfa/devices',
    fn: 'mfaEnrolment',
    auth: 'jwt',
    idempotency: 'optional',
    summary: 'Register a device key for biometric signing',
    tags: ['mfa'],
  },
  {
    method: 'POST',
    path: '/payments/v1/user/{userId}/mfa/step-up',
    fn: 'mfaEnrolment',
    auth: 'jwt',
    // The answer carries the token: never stored for replay.
    idempotency: 'none',
    // A second-factor guess, like a payment challenge's verify.
    userRateLimit: true,
    summary: 'Answer a second factor for a single-use step-up token (factor changes, large transfers)',
    tags: ['mfa'],
  },
  {
    method: 'POST',
    path: '/payments/v1/user/{userId}/mfa/step-up/challenge',
    fn: 'mfaEnrolment',
    auth: 'jwt',
    // A replayed answer would hand out a nonce already replaced or spent.
    idempotency: 'none',
    summary: 'A nonce for a biometric step-up, for the device to sign',
    tags: ['mfa'],
  },
] as const satisfies readonly RouteDefinition[];
