/**
 * Stripe's errors as domain errors. The SDK has already retried what is worth retrying (connection
 * failures, 409 lock conflicts, 5xx, `Stripe-Should-Retry`) by the time an error gets here, so whatever
 * is transient is now a ProcessorError. No Stripe message or request id is carried over; the original
 * error stays on `cause` of a ProcessorError for the logs.
 */
import Stripe from 'stripe';
import { DomainError } from '../../domain/errors.js';
import { InvalidAmountError } from '../../domain/money.js';
import {
  ExpiredCardError,
  PaymentDeclinedError,
  ProcessorError,
  ProviderStateConflictError,
  UnknownPaymentMethodError,
  WebhookSignatureError,
} from '../../domain/provider-errors.js';

/**
 * Issuer reasons Stripe asks merchants not to reveal (the payer is told `generic_decline`), so a fraudster
 * learns nothing from a decline: docs.stripe.com/declines/codes.
 */
const UNDISCLOSED_DECLINE_CODES: ReadonlySet<string> = new Set([
  'fraudulent',
  'lost_card',
  'merchant_blacklist',
  'pickup_card',
  'restricted_card',
  'security_violation',
  'stolen_card',
]);

/** Invalid-request codes that mean "not in this state on Stripe's side", not "our request was malformed". */
const STATE_CONFLICT_CODES: ReadonlySet<string> = new Set([
  'charge_already_captured',
  'charge_already_refunded',
  'payment_intent_unexpected_state',
]);

const AMOUNT_OUT_OF_RANGE_CODES: ReadonlySet<string> = new Set(['amount_too_large', 'amount_too_small']);

const { errors } = Stripe;

export function mapStripeError(error: unknown): Error {
  if (error instanceof DomainError) return error;
  if (error instanceof errors.StripeCardError) return mapCardError(error);
  if (error instanceof errors.StripeSignatureVerificationError) return new WebhookSignatureError();
  if (error instanceof errors.StripeInvalidRequestError) return mapInvalidRequest(error);
  // Connection, API (5xx, 409 lock), rate limit, idempotency, authentication, permission and any other
  // Stripe error: nothing the caller did, nothing a retry by them would fix now.
  if (error instanceof errors.StripeError) {
    return new ProcessorError({ cause: error, retryable: isRetryable(error) });
  }
  if (error instanceof Error) return error;
  return new ProcessorError({ cause: error });
}

/**
 * Whether Stripe may answer otherwise if asked again soon, by the SDK's own rule (RequestSender
 * `_shouldRetry`): never reached it or timed out, it said `Stripe-Should-Retry: true`, a 409 (lock or
 * idempotency key in use), a 5xx unless it said `Stripe-Should-Retry: false` (its idempotency layer would
 * replay the same 500). Throttling (429), refused credentials and refused requests answer the same again.
 */
function isRetryable(error: Stripe.errors.StripeError): boolean {
  if (error instanceof errors.StripeConnectionError) return true;
  const shouldRetry = error.headers?.['stripe-should-retry'];
  if (shouldRetry === 'true') return true;
  if (shouldRetry === 'false') return false;
  const status = error.statusCode;
  if (status === undefined) return error instanceof errors.StripeAPIError;
  return status === 409 || status >= 500;
}

function mapCardError(error: Stripe.errors.StripeCardError): Error {
  const providerPaymentId = error.payment_intent?.id;
  const context = providerPaymentId === undefined ? {} : { providerPaymentId };
  const code = error.code ?? 'card_declined';
  // Stripe leaves decline_code out of card errors that are not issuer declines; the SDK then sets ''.
  const declineCode = error.decline_code === '' ? undefined : error.decline_code;
  if (code === 'expired_card' || declineCode === 'expired_card') return new ExpiredCardError(context);
  const reason = code === 'card_declined' ? (declineCode ?? 'generic_decline') : code;
  return new PaymentDeclinedError(toldDeclineCode(reason), { ...context, providerDeclineCode: reason });
}

/** What the payer may be told of a decline reason: the undisclosed ones read as `generic_decline`. */
export function toldDeclineCode(reason: string): string {
  return UNDISCLOSED_DECLINE_CODES.has(reason) ? 'generic_decline' : reason;
}

function mapInvalidRequest(error: Stripe.errors.StripeInvalidRequestError): Error {
  const code = error.code ?? '';
  // A payment method id comes from the client; a PaymentIntent or charge id comes from our own records.
  if (code === 'resource_missing' && error.param === 'payment_method') return new UnknownPaymentMethodError();
  if (STATE_CONFLICT_CODES.has(code)) return new ProviderStateConflictError(error.payment_intent?.status);
  // Stripe's per-currency minimum (USD 0.50) and maximum charge: the payer's amount, not our mistake.
  if (AMOUNT_OUT_OF_RANGE_CODES.has(code)) {
    return new InvalidAmountError('The amount is outside the range the payment processor accepts');
  }
  return new ProcessorError({ cause: error, retryable: isRetryable(error) });
}
