/**
 * Which Stripe failures mapStripeError marks retryable: what the SDK's own retry rule would have retried
 * (connection errors, 409, 5xx unless `Stripe-Should-Retry: false`), now that our wrapper does the retrying
 * and counts them against the circuit breaker.
 */
import Stripe from 'stripe';
import { mapStripeError } from '../../../shared/adapters/stripe/map-error.js';
import { ProcessorError } from '../../../shared/domain/provider-errors.js';

const { errors } = Stripe;

describe('Function: mapStripeError (retryable)', () => {
  it.each([
    ['a connection failure', new errors.StripeConnectionError({ message: 'ECONNREFUSED' }), true],
    ['a 503', new errors.StripeAPIError({ type: 'api_error', statusCode: 503, message: 'down' }), true],
    [
      'a 409 lock conflict',
      new errors.StripeAPIError({ type: 'api_error', statusCode: 409, code: 'lock_timeout', message: 'x' }),
      true,
    ],
    [
      'a 500 Stripe says not to retry',
      new errors.StripeAPIError({
        type: 'api_error',
        statusCode: 500,
        message: 'x',
        headers: { 'stripe-should-retry': 'false' },
      }),
      false,
    ],
    [
      'a 400 Stripe says to retry',
      new errors.StripeInvalidRequestError({
        type: 'invalid_request_error',
        statusCode: 400,
        message: 'x',
        headers: { 'stripe-should-retry': 'true' },
      }),
      true,
    ],
    ['a rate limit', new errors.StripeRateLimitError({ statusCode: 429, message: 'slow down' }), false],
    [
      'refused credentials',
      new errors.StripeAuthenticationError({ statusCode: 401, message: 'Invalid API Key' }),
      false,
    ],
    [
      'an unknown parameter (our bug)',
      new errors.StripeInvalidRequestError({ statusCode: 400, code: 'parameter_unknown', message: 'x' }),
      false,
    ],
  ])('marks %s retryable: %s', (_, error, retryable) => {
    // Act
    const mapped = mapStripeError(error);

    // Assert
    expect(mapped).toBeInstanceOf(ProcessorError);
    expect((mapped as ProcessorError).retryable).toBe(retryable);
  });
});
