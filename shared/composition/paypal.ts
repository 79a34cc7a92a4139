/**
 * PayPal, unwrapped (no retries or breaker: providers.ts adds them for the use cases), in a module of its
 * own so a function that only verifies PayPal's webhooks bundles neither Stripe nor the router.
 */
import { loadAppSecrets } from '../adapters/aws/app-secrets.js';
import { PAYPAL_LIVE_API_BASE, PayPalPaymentProvider } from '../adapters/paypal/paypal-provider.js';
import { ValidationError } from '../domain/errors.js';
import { onceAsync } from '../lazy.js';

/**
 * PayPal's credentials are read on first use, from the app secrets: a deployment whose secret has no PayPal
 * fields takes no PayPal payments, and a request that asks for one is told so (400), not a 500.
 */
export const barePayPal = onceAsync(async (): Promise<PayPalPaymentProvider> => {
  const { paypal: credentials } = await loadAppSecrets();
  if (credentials === undefined) {
    // Not kept: a deployment may get its PayPal fields later.
    throw new ValidationError('PayPal is not enabled on this deployment', { field: 'paymentMethod.type' });
  }
  return new PayPalPaymentProvider({
    ...credentials,
    apiBase: credentials.apiBase ?? PAYPAL_LIVE_API_BASE,
  });
});
