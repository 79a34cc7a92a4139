/**
 * The Stripe adapter's settings from the environment, read once at cold start: a missing or malformed
 * variable fails the cold start naming it (never its value: these are secrets).
 */
import * as z from 'zod/mini';
import { readEnv } from '../../config.js';
import type { StripeProviderConfig } from './stripe-provider.js';

export const stripeEnvSchema = z.object({
  STRIPE_SECRET_KEY: z
    .string()
    .check(z.regex(/^sk_(test|live)_\S+$/, 'must be a secret key starting with sk_test_ or sk_live_')),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .check(z.regex(/^whsec_\S+$/, 'must be a signing secret starting with whsec_')),
  /** The local Stripe-compatible server, e.g. http://127.0.0.1:12111; unset means Stripe itself. */
  STRIPE_API_BASE: z.optional(z.url({ protocol: /^https?$/ })),
});

export type StripeEnvConfig = Pick<StripeProviderConfig, 'secretKey' | 'webhookSecret' | 'apiBase'>;

export function stripeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): StripeEnvConfig {
  const parsed = readEnv(stripeEnvSchema, env);
  const config: StripeEnvConfig = {
    secretKey: parsed.STRIPE_SECRET_KEY,
    webhookSecret: parsed.STRIPE_WEBHOOK_SECRET,
  };
  if (parsed.STRIPE_API_BASE !== undefined) config.apiBase = parsed.STRIPE_API_BASE;
  return config;
}
