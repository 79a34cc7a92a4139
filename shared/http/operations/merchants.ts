import type { OperationDoc } from '../operations.js';
import {
  CreateMerchantRequest,
  MerchantIdParams,
  MerchantList,
  MerchantResponse,
  MerchantsQuery,
  ReviewRequest,
  UpdateMerchantRequest,
  VerifyEmailRequest,
} from '../schemas/merchants.js';

const notYours = { 404: { description: "NOT_FOUND: no such merchant, or not the caller's" } };
const opsOnly = { 403: { description: 'FORBIDDEN: the token has no `ops` role' } };
const MAIL_DOWN = {
  503: {
    description:
      'DEPENDENCY_UNAVAILABLE: the mail service did not take the email; nothing changed, send the request again',
  },
};

/** Merchant onboarding (API.md "Onboarding"). */
export const merchantOperations: Readonly<Record<string, OperationDoc>> = {
  'POST /merchant/v1/merchants/{merchantId}': {
    operationId: 'updateMerchant',
    description: "The owner's contact details for notifications (a field left out stays as it is).",
    request: { params: MerchantIdParams, body: UpdateMerchantRequest },
    responses: { 200: { description: 'The merchant', schema: MerchantResponse }, ...notYours },
  },
  'POST /merchant/v1/merchants': {
    operationId: 'createMerchant',
    description:
      'The caller becomes the owner. A 6-digit verification code is emailed to `email`, valid for EMAIL_CODE_TTL_SECONDS (15 minutes); only its hash is stored.',
    request: { body: CreateMerchantRequest },
    responses: {
      201: { description: 'The merchant, pending_verification', schema: MerchantResponse },
      ...MAIL_DOWN,
    },
  },
  'GET /merchant/v1/merchants/{merchantId}': {
    operationId: 'getMerchant',
    request: { params: MerchantIdParams },
    responses: {
      200: { description: 'The merchant, for its owner or ops', schema: MerchantResponse },
      ...notYours,
    },
  },
  'POST /merchant/v1/merchants/{merchantId}/verify-email': {
    operationId: 'verifyMerchantEmail',
    request: { params: MerchantIdParams, body: VerifyEmailRequest },
    responses: {
      200: { description: 'Verified: kyc_required', schema: MerchantResponse },
      400: {
        description:
          'VALIDATION_ERROR: the code was refused; `details.reason` is `mismatch` (with `attempts_left`), `expired`, `too_many_attempts` (5 wrong codes) or `no_code`: request a new code',
      },
      ...notYours,
      409: { description: 'MERCHANT_STATE: the email is already verified' },
    },
  },
  'POST /merchant/v1/merchants/{merchantId}/verify-email/resend': {
    operationId: 'resendMerchantVerificationCode',
    description: 'Emails a new code; the previous one stops working once the new one is sent.',
    request: { params: MerchantIdParams },
    responses: {
      202: { description: 'A new code is on its way', schema: MerchantResponse },
      ...notYours,
      409: { description: 'MERCHANT_STATE: the email is already verified' },
      ...MAIL_DOWN,
    },
  },
  'POST /merchant/v1/merchants/{merchantId}/kyc/submit': {
    operationId: 'submitMerchantKyc',
    description:
      'Starts the onboarding execution (named by the merchant id; `<id>-<n>` for resubmission n), which waits up to 14 days for a reviewer; a review nobody decides in time is rejected as timed out (emailed; the owner may resubmit).',
    request: { params: MerchantIdParams },
    responses: {
      202: { description: 'in_review', schema: MerchantResponse },
      400: { description: 'VALIDATION_ERROR: no KYC document is uploaded yet' },
      ...notYours,
      409: { description: 'MERCHANT_STATE: only from kyc_required, or rejected (a resubmission)' },
    },
  },
  'GET /ops/v1/merchants': {
    operationId: 'listMerchants',
    request: { query: MerchantsQuery },
    responses: {
      200: {
        description: 'One page of the merchants in `status` (default in_review), oldest first',
        schema: MerchantList,
      },
      ...opsOnly,
    },
  },
  'POST /ops/v1/merchants/{merchantId}/review': {
    operationId: 'reviewMerchant',
    description:
      'Approve: a Stripe connected account is created (idempotent per merchant) and the merchant becomes active with it; reject (a `reason` is required): rejected. The owner is emailed either way.',
    request: { params: MerchantIdParams, body: ReviewRequest },
    responses: {
      200: { description: 'The decided merchant', schema: MerchantResponse },
      400: { description: 'VALIDATION_ERROR: a rejection without a reason' },
      ...opsOnly,
      404: { description: 'NOT_FOUND' },
      409: { description: 'MERCHANT_STATE: not in review (a second decision included)' },
      502: {
        description:
          'PROCESSOR_ERROR: Stripe could not create the connected account; nothing was decided, send the decision again',
      },
    },
  },
};
