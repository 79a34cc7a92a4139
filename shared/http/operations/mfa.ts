import type { OperationDoc } from '../operations.js';
import {
  Challenge,
  ChallengeRequest,
  DeviceEnrolled,
  DeviceRequest,
  Enrolled,
  MfaStatus,
  PinRequest,
  TotpConfirmRequest,
  TotpEnrolment,
  VerifyRequest,
} from '../schemas/mfa.js';
import { PaymentIdParams, PaymentResponse } from '../schemas/payments.js';
import { UserIdParams } from '../schemas/wallets.js';

const FORBIDDEN = { 403: { description: 'FORBIDDEN: only your own factors' } } as const;

/** The MFA routes (challenge, verify, status, enrolment). */
export const mfaOperations: Readonly<Record<string, OperationDoc>> = {
  'POST /payments/v1/{paymentId}/mfa/challenge': {
    operationId: 'createMfaChallenge',
    request: { params: PaymentIdParams, body: ChallengeRequest },
    responses: {
      201: {
        description:
          'The new challenge, now the active one. A challenge replacing a pending one carries its attempts over.',
        schema: Challenge,
      },
      400: {
        description: 'VALIDATION_ERROR: the method is not enrolled (details.methods lists those that are)',
      },
      404: { description: 'NOT_FOUND: no such payment of yours' },
      409: { description: 'INVALID_STATE_TRANSITION: the payment is not waiting for its second factor' },
      429: { description: 'MFA_LOCKED: too many failed attempts in the last hour' },
    },
  },
  'POST /payments/v1/{paymentId}/mfa/verify': {
    operationId: 'verifyMfaChallenge',
    request: { params: PaymentIdParams, body: VerifyRequest },
    responses: {
      200: {
        description:
          'Verified: the payment, moving on (Authorized). A challenge already verified answers the same.',
        schema: PaymentResponse,
      },
      401: {
        description:
          'MFA_FAILED: not accepted, details.attemptsRemaining says how many are left; the third failure fails the payment',
      },
      404: { description: 'NOT_FOUND: no such payment or challenge of yours' },
      409: { description: 'INVALID_STATE_TRANSITION: the challenge expired, was replaced or is closed' },
      429: { description: 'MFA_LOCKED: too many failed attempts in the last hour' },
    },
  },
  'GET /payments/v1/{paymentId}/mfa/status': {
    operationId: 'getMfaStatus',
    request: { params: PaymentIdParams },
    responses: {
      200: {
        description: "The payment's MFA state, the active challenge and the lockout",
        schema: MfaStatus,
      },
      404: { description: 'NOT_FOUND: no such payment of yours' },
    },
  },
  'PUT /payments/v1/user/{userId}/mfa/pin': {
    operationId: 'setTransactionPin',
    request: { params: UserIdParams, body: PinRequest },
    responses: {
      200: { description: 'The PIN is set (only its scrypt hash is stored)', schema: Enrolled },
      ...FORBIDDEN,
    },
  },
  'POST /payments/v1/user/{userId}/mfa/totp': {
    operationId: 'startTotpEnrolment',
    request: { params: UserIdParams },
    responses: {
      201: {
        description: 'A new secret, pending until confirmed by a first code; shown this once',
        schema: TotpEnrolment,
      },
      ...FORBIDDEN,
    },
  },
  'POST /payments/v1/user/{userId}/mfa/totp/confirm': {
    operationId: 'confirmTotpEnrolment',
    request: { params: UserIdParams, body: TotpConfirmRequest },
    responses: {
      200: { description: 'TOTP is enrolled', schema: Enrolled },
      401: { description: 'MFA_FAILED: the code did not verify; enrolment stays pending' },
      ...FORBIDDEN,
      409: {
        description: 'INVALID_STATE_TRANSITION: no pending enrolment (not started, or already confirmed)',
      },
    },
  },
  'POST /payments/v1/user/{userId}/mfa/devices': {
    operationId: 'registerDevice',
    request: { params: UserIdParams, body: DeviceRequest },
    responses: {
      201: { description: 'The device key is registered for biometric signing', schema: DeviceEnrolled },
      400: { description: 'VALIDATION_ERROR: not a P-256 SPKI key, or too many devices' },
      ...FORBIDDEN,
      409: { description: 'INVALID_STATE_TRANSITION: the device id is registered with another key' },
    },
  },
};
