/**
 * The service's secrets: the processors' keys, the cursor signing secret and the API key pepper (the key of
 * the hash merchants' API keys are stored and found by; optional, so a deployment without it still starts,
 * but its API-key routes fail until it is set). On AWS they are one JSON secret
 * in Secrets Manager (APP_SECRETS_ARN), read once per cold start through Powertools Parameters (cached); on
 * the local stack they come from environment variables. They never reach a log line or a response.
 *
 * PayPal is optional: a deployment takes PayPal payments only once its three PayPal fields are in the
 * secret (with `paypalApiBase` naming the sandbox when the credentials are sandbox ones).
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import * as z from 'zod/mini';
import '../../zod-locale.js';
import { APP_SECRETS_ENV } from '../../infra/keys.js';

export interface PayPalCredentials {
  clientId: string;
  clientSecret: string;
  /** The webhook subscription's id: PayPal verifies a transmission against it. */
  webhookId: string;
  /** PayPal's live API unless the secret names another (the sandbox, or the local server). */
  apiBase?: string;
}

export interface AppSecrets {
  stripeSecretKey: string;
  stripeWebhookSecret: string;
  cursorSecret: string;
  apiKeyPepper?: string;
  paypal?: PayPalCredentials;
}

const optionalText = z.optional(z.string().check(z.minLength(1)));

const secretsSchema = z
  .object({
    stripeSecretKey: z
      .string()
      .check(z.regex(/^sk_(test|live)_\S+$/, 'must start with sk_test_ or sk_live_')),
    stripeWebhookSecret: z.string().check(z.regex(/^whsec_\S+$/, 'must start with whsec_')),
    cursorSecret: z.string().check(z.minLength(32, 'must be at least 32 characters')),
    apiKeyPepper: z.optional(z.string().check(z.minLength(32, 'must be at least 32 characters'))),
    paypalClientId: optionalText,
    paypalClientSecret: optionalText,
    paypalWebhookId: optionalText,
    paypalApiBase: z.optional(z.url({ protocol: /^https?$/ })),
  })
  .check(
    z.refine(
      (s) =>
        [s.paypalClientId, s.paypalClientSecret, s.paypalWebhookId].every((v) => v === undefined) ||
        [s.paypalClientId, s.paypalClientSecret, s.paypalWebhookId].every((v) => v !== undefined),
      { message: 'must all be set, or none', path: ['paypalClientId, paypalClientSecret, paypalWebhookId'] },
    ),
  );

export async function loadAppSecrets(env: NodeJS.ProcessEnv = process.env): Promise<AppSecrets> {
  const arn = env[APP_SECRETS_ENV];
  const raw =
    arn === undefined || arn === ''
      ? {
          stripeSecretKey: env.STRIPE_SECRET_KEY,
          stripeWebhookSecret: env.STRIPE_WEBHOOK_SECRET,
          cursorSecret: env.CURSOR_SECRET,
          apiKeyPepper: env.API_KEY_PEPPER,
          paypalClientId: env.PAYPAL_CLIENT_ID,
          paypalClientSecret: env.PAYPAL_CLIENT_SECRET,
          paypalWebhookId: env.PAYPAL_WEBHOOK_ID,
          paypalApiBase: env.PAYPAL_API_BASE,
        }
      : await getSecret(arn, { transform: 'json', maxAge: 300 });
  const parsed = secretsSchema.safeParse(raw);
  if (!parsed.success) {
    // Name the fields, never their values.
    const fields = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new Error(`App secrets are incomplete: ${fields.join('; ')}`);
  }
  const { paypalClientId, paypalClientSecret, paypalWebhookId, paypalApiBase, apiKeyPepper, ...rest } =
    parsed.data;
  return {
    ...rest,
    ...(apiKeyPepper === undefined ? {} : { apiKeyPepper }),
    ...(paypalClientId !== undefined && paypalClientSecret !== undefined && paypalWebhookId !== undefined
      ? {
          paypal: {
            clientId: paypalClientId,
            clientSecret: paypalClientSecret,
            webhookId: paypalWebhookId,
            ...(paypalApiBase === undefined ? {} : { apiBase: paypalApiBase }),
          },
        }
      : {}),
  };
}
