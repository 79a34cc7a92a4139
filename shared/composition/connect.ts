/** Stripe Connect accounts, in a module of its own so only the review function bundles the Stripe SDK for it. */
import { loadAppSecrets } from '../adapters/aws/app-secrets.js';
import { StripeConnectAccounts } from '../adapters/stripe/connect-accounts.js';
import { onceAsync } from '../lazy.js';

export const connectAccounts = onceAsync(async () => {
  const secrets = await loadAppSecrets();
  return new StripeConnectAccounts({
    secretKey: secrets.stripeSecretKey,
    ...(process.env.STRIPE_API_BASE === undefined ? {} : { apiBase: process.env.STRIPE_API_BASE }),
  });
});
