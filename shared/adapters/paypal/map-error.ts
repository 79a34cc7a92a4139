/**
 * PayPal's errors as the same domain errors Stripe's become. PayPal answers a refused request with an HTTP
 * status and `{name, message, debug_id, details: [{issue, description}]}`; the `issue` says why. No PayPal
 * message or debug id is carried over; the original stays on `cause` of a ProcessorError, for the logs.
 */
import { DomainError } from '../../domain/errors.js';
import { InvalidAmountError } from '../../domain/money.js';
import {
  ExpiredCardError,
  PaymentDeclinedError,
  ProcessorError,
  ProviderStateConflictError,
} from '../../domain/provider-errors.js';
import { recordOf } from '../../json.js';

/** A non-2xx answer from PayPal, before mapping. */
export class PayPalHttpError extends Error {
  override readonly name = 'PayPalHttpError';
  /** The first `details[].issue`, else the error `name` (`UNPROCESSABLE_ENTITY`, `RESOURCE_NOT_FOUND`). */
  readonly issue: string | undefined;

  constructor(
    readonly status: number,
    body: Readonly<Record<string, unknown>>,
  ) {
    const issue = issueOf(body);
    super(`PayPal answered ${status}${issue === undefined ? '' : ` ${issue}`}`);
    this.issue = issue;
  }
}

/** The payer's funding was refused: a decline, whatever PayPal calls it (developer.paypal.com/api/rest/reference/orders/v2/errors). */
const DECLINE_ISSUES: ReadonlySet<string> = new Set([
  'INSTRUMENT_DECLINED',
  'TRANSACTION_REFUSED',
  'PAYER_CANNOT_PAY',
  'PAYEE_BLOCKED_TRANSACTION',
  'MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED',
  'COMPLIANCE_VIOLATION',
  'REDIRECT_PAYER_FOR_ALTERNATE_FUNDING',
  'CARD_CLOSED',
]);

/** "Not in this state on PayPal's side": our view was stale. */
const STATE_CONFLICT_ISSUES: ReadonlySet<string> = new Set([
  'ORDER_NOT_APPROVED',
  'ORDER_ALREADY_CAPTURED',
  'ORDER_ALREADY_AUTHORIZED',
  'ORDER_EXPIRED',
  'ORDER_COMPLETED_OR_VOIDED',
  'CAPTURE_FULLY_REFUNDED',
]);

const AMOUNT_ISSUES: ReadonlySet<string> = new Set([
  'REFUND_AMOUNT_EXCEEDED',
  'AMOUNT_NOT_PATCHABLE',
  'CANNOT_BE_ZERO_OR_NEGATIVE',
]);

export function mapPayPalError(error: unknown): Error {
  if (error instanceof DomainError) return error;
  if (error instanceof PayPalHttpError) return mapHttpError(error);
  // fetch's own failures: unreachable, reset, timed out (AbortSignal.timeout). An outage, worth a retry.
  return new ProcessorError({ cause: error, retryable: true });
}

function mapHttpError(error: PayPalHttpError): Error {
  const issue = error.issue ?? '';
  if (issue === 'CARD_EXPIRED') return new ExpiredCardError();
  if (DECLINE_ISSUES.has(issue)) {
    // PayPal gives the payer its own reason on its pages; we tell them no more than a generic decline.
    return new PaymentDeclinedError('generic_decline', { providerDeclineCode: issue.toLowerCase() });
  }
  if (STATE_CONFLICT_ISSUES.has(issue)) return new ProviderStateConflictError();
  if (AMOUNT_ISSUES.has(issue)) {
    return new InvalidAmountError('The amount is outside the range the payment processor accepts');
  }
  return new ProcessorError({ cause: error, retryable: isRetryable(error.status) });
}

/**
 * Whether PayPal may answer otherwise soon: a 5xx, or a 409 (a request with the same PayPal-Request-Id still
 * in progress). Throttling (429), refused credentials and refused requests answer the same again.
 */
function isRetryable(status: number): boolean {
  return status === 409 || status >= 500;
}

function issueOf(body: Readonly<Record<string, unknown>>): string | undefined {
  const details = body.details;
  if (Array.isArray(details)) {
    for (const detail of details) {
      const issue = recordOf(detail)?.issue;
      if (typeof issue === 'string') return issue;
    }
  }
  return typeof body.name === 'string' ? body.name : undefined;
}
