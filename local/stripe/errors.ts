/**
 * Errors in Stripe's format: the body is `{"error": {type, code, message, param, ...}}` and the HTTP status
 * carries the class the SDK maps it to (400/404 invalid request or idempotency, 401 authentication,
 * 402 card error).
 */
import type { PaymentIntentResource, PaymentMethodObject } from './objects.js';

export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: PaymentIntentResource;
  payment_method?: PaymentMethodObject;
}

export class StripeApiError extends Error {
  readonly status: number;
  readonly body: StripeErrorBody;
  /**
   * The request failed before the endpoint began executing (a parameter did not validate). Stripe saves
   * no idempotent result for those, so a corrected retry with the same key is processed afresh.
   */
  readonly isValidation: boolean;

  constructor(status: number, body: StripeErrorBody, isValidation = false) {
    super(body.message);
    this.name = 'StripeApiError';
    this.status = status;
    this.body = body;
    this.isValidation = isValidation;
  }
}

/** Stripe links every coded error to its page: `card_declined` → `/docs/error-codes/card-declined`. */
export function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replaceAll('_', '-')}`;
}

interface ErrorDetails {
  code?: string;
  param?: string;
  status?: number;
}

function withDetails(body: StripeErrorBody, details: ErrorDetails): StripeErrorBody {
  const out: StripeErrorBody = { ...body };
  if (details.code !== undefined) {
    out.code = details.code;
    out.doc_url = docUrl(details.code);
  }
  if (details.param !== undefined) out.param = details.param;
  return out;
}

export function invalidRequest(message: string, details: ErrorDetails = {}): StripeApiError {
  return new StripeApiError(
    details.status ?? 400,
    withDetails({ type: 'invalid_request_error', message }, details),
  );
}

/** A parameter failed validation, before anything happened. */
export function invalidParam(message: string, details: ErrorDetails = {}): StripeApiError {
  return new StripeApiError(400, withDetails({ type: 'invalid_request_error', message }, details), true);
}

export function missingParam(param: string): StripeApiError {
  return invalidParam(`Missing required param: ${param}.`, { code: 'parameter_missing', param });
}

export function unknownParam(param: string): StripeApiError {
  return invalidParam(`Received unknown parameter: ${param}`, { code: 'parameter_unknown', param });
}

/**
 * `No such payment_intent: 'pi_x'`. The object named in the URL is a 404; an id passed as a parameter that
 * names nothing is a 400, as with Stripe.
 */
export function noSuchObject(kind: string, id: string, param: string, status: 400 | 404): StripeApiError {
  return new StripeApiError(
    status,
    withDetails(
      { type: 'invalid_request_error', message: `No such ${kind}: '${id}'` },
      { code: 'resource_missing', param },
    ),
    status === 400,
  );
}

export function unrecognizedUrl(method: string, path: string): StripeApiError {
  return invalidRequest(
    `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    { status: 404 },
  );
}

export function idempotencyError(message: string): StripeApiError {
  return new StripeApiError(400, { type: 'idempotency_error', message });
}
