/**
 * One error shape for every answer: `{"error": {"code", "message", "details"?}}`. Only errors whose status
 * is below 500 say what went wrong; anything else becomes a generic INTERNAL with no internals.
 */
import { $ZodError } from 'zod/v4/core';
import { DomainError, type ErrorCode, type ErrorDetails, RateLimitedError } from '../domain/errors.js';

export const statusOf: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_ERROR: 400,
  INVALID_AMOUNT: 400,
  UNSUPPORTED_CURRENCY: 400,
  IDEMPOTENCY_KEY_MISSING: 400,
  EXPIRED_CARD: 400,
  UNAUTHORIZED: 401,
  MFA_FAILED: 401,
  PAYMENT_REQUIRED: 402,
  INSUFFICIENT_FUNDS: 402,
  PAYMENT_DECLINED: 402,
  FORBIDDEN: 403,
  NOT_ROOM_MEMBER: 403,
  NOT_FOUND: 404,
  INVALID_STATE_TRANSITION: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  ALREADY_OPENED: 409,
  GIFT_EMPTY: 409,
  PAYLOAD_TOO_LARGE: 413,
  IDEMPOTENCY_KEY_REUSED: 422,
  MFA_REQUIRED: 428,
  STEP_UP_REQUIRED: 428,
  RATE_LIMITED: 429,
  MFA_LOCKED: 429,
  INTERNAL: 500,
  PROCESSOR_ERROR: 502,
  DEPENDENCY_UNAVAILABLE: 503,
  PAYOUT_BELOW_MINIMUM: 400,
  PAYOUT_LIMIT_EXCEEDED: 400,
  PRICE_OUT_OF_RANGE: 400,
  PURCHASE_LIMIT_EXCEEDED: 400,
  INVALID_API_KEY: 401,
  INSUFFICIENT_SCOPE: 403,
  MERCHANT_NOT_ACTIVE: 403,
  RISK_DECLINED: 403,
  WAITING_ROOM_REQUIRED: 403,
  MERCHANT_STATE: 409,
};

/** 5xx codes that say what failed (the caller may retry): every other 5xx becomes a generic INTERNAL. */
const TOLD_5XX: ReadonlySet<ErrorCode> = new Set(['PROCESSOR_ERROR', 'DEPENDENCY_UNAVAILABLE']);

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: ErrorDetails };
}

export interface MappedError {
  status: number;
  body: ErrorBody;
  /** True when the cause is ours, not the caller's: log it in full. */
  unexpected: boolean;
  /** Headers the answer carries besides the content type (`retry-after` on a 429 RATE_LIMITED). */
  headers?: Record<string, string>;
}

export function errorBody(code: ErrorCode, message: string, details?: ErrorDetails): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function mapError(error: unknown): MappedError {
  if (error instanceof RateLimitedError) {
    return {
      status: statusOf[error.code],
      body: errorBody(error.code, error.message, error.details),
      unexpected: false,
      headers: { 'retry-after': String(error.retryAfterSeconds) },
    };
  }
  if (error instanceof DomainError) {
    const status = statusOf[error.code];
    if (status >= 500 && !TOLD_5XX.has(error.code)) return internal();
    return { status, body: errorBody(error.code, error.message, error.details), unexpected: status >= 500 };
  }
  if (error instanceof $ZodError) {
    const body = validationBody(error);
    return { status: statusOf[body.error.code], body, unexpected: false };
  }
  // Powertools idempotency (shared/http/idempotency.ts); any other of its errors is ours: a 500. Known by
  // name, not class: importing the classes would bundle Powertools Idempotency and its JMESPath engine into
  // every function, those whose routes take no key included (plain-handler.ts).
  if (isPowertoolsError(error, 'IdempotencyAlreadyInProgressError')) {
    return known('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed');
  }
  if (isPowertoolsError(error, 'IdempotencyValidationError')) {
    return known(
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used with a different request body',
    );
  }
  return internal();
}

function isPowertoolsError(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

/**
 * Money fields have codes of their own: whatever is wrong with an amount (a float, a string, a negative,
 * too large) is INVALID_AMOUNT, and a currency that is not even a string of the right shape is
 * UNSUPPORTED_CURRENCY, as it would be from the domain's own checks.
 */
export const AMOUNT_FIELDS: ReadonlySet<string> = new Set([
  'amount',
  'total_amount',
  'value',
  'amount_to_capture',
  'unit_amount',
]);
export const CURRENCY_FIELDS: ReadonlySet<string> = new Set(['currency']);

/**
 * A use case names a route of this API by path (`details.challengePath`); the answer hands it out as an
 * absolute URL (`details.challengeUrl`), resolved by `url` against where the request arrived.
 */
export function withAbsoluteUrls(body: ErrorBody, url: (path: string) => string): ErrorBody {
  const details = body.error.details;
  if (details === undefined || typeof details.challengePath !== 'string') return body;
  const { challengePath, ...rest } = details;
  return { error: { ...body.error, details: { challengeUrl: url(challengePath), ...rest } } };
}

function validationBody(error: $ZodError): ErrorBody {
  const issues = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const field = (names: ReadonlySet<string>) =>
    error.issues.some((issue) => names.has(String(issue.path.at(-1))));
  if (field(AMOUNT_FIELDS)) {
    return errorBody('INVALID_AMOUNT', "Amounts are positive integers in the currency's minor unit", {
      issues,
    });
  }
  if (field(CURRENCY_FIELDS))
    return errorBody('UNSUPPORTED_CURRENCY', 'The currency is not supported', { issues });
  return errorBody('VALIDATION_ERROR', 'The request is not valid', { issues });
}

function known(code: ErrorCode, message: string): MappedError {
  return { status: statusOf[code], body: errorBody(code, message), unexpected: false };
}

function internal(): MappedError {
  return { status: 500, body: errorBody('INTERNAL', 'Something went wrong on our side'), unexpected: true };
}
