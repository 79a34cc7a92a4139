/**
 * Stripe, unwrapped (no retries or breaker: providers.ts adds them for the use cases; the SDK's own retries
 * are off, as providers.ts explains), in a module of its own so a function bundles the Stripe SDK only if
 * it talks to Stripe.
 */
import { loadAppSecrets } from '../adapters/aws/app-secrets.js';
import { StripePaymentProvider } from '../adapters/stripe/stripe-provider.js';
import { onceAsync } from '../lazy.js';

export const bareStripe = onceAsync(async (): Promise<StripePaymentProvider> => {
  const secrets = await loadAppSecrets();
  return new StripePaymentProvider({
    secretKey: secrets.stripeSecretKey,
    webhookSecret: secrets.stripeWebhookSecret,
    maxNetworkRetries: 0,
    ...(process.env.STRIPE_API_BASE === undefined ? {} : { apiBase: process.env.STRIPE_API_BASE }),
  });
});
