/**
 * The payment provider, built once per cold start for every function that talks to one: Stripe with the
 * keys from the app secrets, wrapped in bounded retries and the circuit breaker whose state lives in the
 * table (ResilientPaymentProvider).
 *
 * The Stripe SDK's own retries are switched off (`maxNetworkRetries: 0`) under the wrapper: two layers would
 * multiply (3 attempts × 3 SDK tries = 9 requests per call against a provider that is already struggling),
 * the breaker would see one failure per 3 requests, and the SDK's backoff would run on without asking the
 * breaker whether another invocation has meanwhile found the provider dead. What the SDK's retry rule knew
 * (`Stripe-Should-Retry`, 409, 5xx, connection errors) is kept: the error mapping marks exactly those
 * ProcessorErrors retryable. (The SDK still retries a connection closed before any answer once, whatever
 * the setting; with our idempotency keys that repeat is harmless.)
 */
import * as z from 'zod/mini';
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { DynamoDbBreakerStore } from '../adapters/dynamodb/breaker-store.js';
import { isPayPalOrderId } from '../adapters/paypal/paypal-provider.js';
import { RoutingPaymentProvider } from '../adapters/routing-provider.js';
import type { PaymentProvider, ProviderName } from '../app/payments/ports.js';
import {
  DEFAULT_BACKOFF,
  type ResilienceEvent,
  type ResilienceOptions,
  ResilientPaymentProvider,
} from '../app/resilience/resilient-provider.js';
import { intSetting, numberSetting, readEnv, readTableName } from '../config.js';
import { PAYPAL_METHOD_ID } from '../domain/payment.js';
import { onceAsync } from '../lazy.js';
import { logger } from '../observability/powertools.js';
import { barePayPal } from './paypal.js';
import { bareStripe } from './stripe.js';

export const resilienceEnvSchema = z.object({
  /** Consecutive failed provider attempts that open the breaker. */
  BREAKER_FAILURE_THRESHOLD: intSetting(5),
  /** How long an open breaker fails fast before one trial call may go through. */
  BREAKER_COOL_DOWN_SECONDS: numberSetting(30),
  /** Attempts per provider call, the first included. */
  PROVIDER_RETRY_ATTEMPTS: intSetting(3, { min: 1, max: 10 }),
});

export function resilienceFromEnv(env: NodeJS.ProcessEnv = process.env): ResilienceOptions {
  const parsed = readEnv(resilienceEnvSchema, env);
  return {
    breaker: {
      failureThreshold: parsed.BREAKER_FAILURE_THRESHOLD,
      coolDownMs: parsed.BREAKER_COOL_DOWN_SECONDS * 1000,
    },
    attempts: parsed.PROVIDER_RETRY_ATTEMPTS,
    backoff: DEFAULT_BACKOFF,
    observe: logResilience,
  };
}

/**
 * A processor itself, unwrapped, for verifying its webhooks (a function that verifies one processor's
 * webhooks imports that processor's module, stripe.ts or paypal.ts, and bundles only its SDK): the request names the processor by its route.
 * Stripe's check is local (nothing to retry, no breaker to ask); PayPal's asks PayPal, and a failure there is
 * a 502 that PayPal answers by delivering again.
 */
export function webhookVerifier(
  provider: ProviderName,
): Promise<Pick<PaymentProvider, 'name' | 'verifyWebhook'>> {
  return provider === 'paypal' ? barePayPal() : bareStripe();
}

/**
 * The provider every use case calls: each processor with its own retries and shared breaker, behind one
 * router that picks the processor by payment method, then by the processor's payment id. Asynchronous (the
 * keys are read from the app secrets): functions await it inside their handler, on the first request, and
 * a failed read is tried again on the next one.
 */
export const paymentProvider = onceAsync(
  (): Promise<PaymentProvider> =>
    bareStripe().then((stripeProvider) => {
      const withResilience = (inner: PaymentProvider) => {
        return new ResilientPaymentProvider(
          inner,
          new DynamoDbBreakerStore(documentClient(), readTableName()),
          resilienceFromEnv(),
        );
      };
      let resilientPayPal: PaymentProvider | undefined;
      return new RoutingPaymentProvider(withResilience(stripeProvider), [
        {
          name: 'paypal',
          takesMethod: (method) => method === PAYPAL_METHOD_ID,
          ownsPayment: isPayPalOrderId,
          provider: async () => {
            resilientPayPal ??= withResilience(await barePayPal());
            return resilientPayPal;
          },
        },
      ]);
    }),
);

/** The breaker's turns are worth a line each; a retry is routine and only debug. */
function logResilience(event: ResilienceEvent): void {
  switch (event.type) {
    case 'retrying':
      logger.debug('Retrying a payment provider call', { ...event });
      return;
    case 'rejected':
      logger.debug('Circuit breaker open: failing fast', { ...event });
      return;
    case 'opened':
      logger.warn('Circuit breaker opened', { ...event });
      return;
    case 'trial':
    case 'closed':
      logger.info(`Circuit breaker ${event.type === 'trial' ? 'half-open: trial call' : 'closed'}`, {
        ...event,
      });
      return;
  }
}
