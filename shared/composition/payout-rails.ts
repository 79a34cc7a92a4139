/** Stripe Connect's payout rails, in a module of its own so only the functions that call Stripe for payouts bundle it. */
import { loadAppSecrets } from '../adapters/aws/app-secrets.js';
import { StripeConnectPayouts } from '../adapters/stripe/connect-payouts.js';
import { onceAsync } from '../lazy.js';

export const payoutRails = onceAsync(async () => {
  const secrets = await loadAppSecrets();
  return new StripeConnectPayouts({
    secretKey: secrets.stripeSecretKey,
    ...(process.env.STRIPE_API_BASE === undefined ? {} : { apiBase: process.env.STRIPE_API_BASE }),
  });
});
