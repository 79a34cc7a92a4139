/**
 * Merchants' customers: their store on the single table and the processor's customers behind them.
 *
 * How a merchant's mode maps to the processor: Stripe keeps test and live data apart by the key it is
 * called with, so test-mode customers (keys `sk_test_…` of ours) must be made with a Stripe test key, on
 * Stripe's test side, and live-mode ones with the live key. A deployment holds one Stripe key
 * (`stripeSecretKey` in the app secrets): live mode uses it; test mode uses it while it is a test key, as on
 * every non-production deployment and on the local stack, where both modes reach the local Stripe-compatible
 * server. A deployment whose key is live refuses test-mode customers (a 500, nothing created) rather than
 * put test data into the live Stripe account, until a Stripe test key is added to its secrets for them.
 */

import { loadAppSecrets } from '../adapters/aws/app-secrets.js';
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { DynamoDbCustomerStore } from '../adapters/dynamodb/merchant-customers.js';
import { StripeCustomers } from '../adapters/stripe/stripe-customers.js';
import type { ProviderCustomers } from '../app/merchant-customers/ports.js';
import { readTableName } from '../config.js';
import type { Mode } from '../domain/merchant.js';
import { once, onceAsync } from '../lazy.js';

export const customerStore = once(() => new DynamoDbCustomerStore(documentClient(), readTableName()));

const stripeCustomers = onceAsync(async (): Promise<StripeCustomers> => {
  const secrets = await loadAppSecrets();
  return new StripeCustomers({
    secretKey: secrets.stripeSecretKey,
    ...(process.env.STRIPE_API_BASE === undefined ? {} : { apiBase: process.env.STRIPE_API_BASE }),
  });
});

/** The processor's customers for `mode` (see above). */
export async function providerCustomers(mode: Mode): Promise<ProviderCustomers> {
  const secrets = await loadAppSecrets();
  if (mode === 'test' && !secrets.stripeSecretKey.startsWith('sk_test_')) {
    throw new Error('Test-mode customers need a Stripe test key; this deployment holds a live one');
  }
  return stripeCustomers();
}
