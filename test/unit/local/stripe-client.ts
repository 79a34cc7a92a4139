/** The real `stripe` SDK pointed at a local Stripe-compatible server, with its own retries off. */
import Stripe from 'stripe';
import type { RunningStripeServer } from '../../../local/stripe/server.js';

export function clientFor(server: RunningStripeServer, apiKey: string): Stripe {
  return new Stripe(apiKey, { host: '127.0.0.1', port: server.port, protocol: 'http', maxNetworkRetries: 0 });
}
