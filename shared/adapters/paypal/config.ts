/**
 * The PayPal adapter's settings from the environment, read once at cold start: a missing or malformed
 * variable fails the cold start naming it (never its value: the client secret is a secret).
 */
import { z } from 'zod';
import { nonEmpty, readEnv } from '../../config.js';
import { PAYPAL_LIVE_API_BASE, type PayPalProviderConfig } from './paypal-provider.js';

export const paypalEnvSchema = z.object({
  PAYPAL_CLIENT_ID: nonEmpty,
  PAYPAL_CLIENT_SECRET: nonEmpty,
  /** The webhook subscription's id: PayPal verifies a transmission against it. */
  PAYPAL_WEBHOOK_ID: nonEmpty,
  /** `https://api-m.sandbox.paypal.com`, or the local server; PayPal's live API when unset. */
  PAYPAL_API_BASE: z.url({ protocol: /^https?$/ }).optional(),
});

export type PayPalEnvConfig = Pick<
  PayPalProviderConfig,
  'clientId' | 'clientSecret' | 'webhookId' | 'apiBase'
>;

export function paypalConfigFromEnv(env: NodeJS.ProcessEnv = process.env): PayPalEnvConfig {
  const parsed = readEnv(paypalEnvSchema, env);
  return {
    clientId: parsed.PAYPAL_CLIENT_ID,
    clientSecret: parsed.PAYPAL_CLIENT_SECRET,
    webhookId: parsed.PAYPAL_WEBHOOK_ID,
    apiBase: parsed.PAYPAL_API_BASE ?? PAYPAL_LIVE_API_BASE,
  };
}
