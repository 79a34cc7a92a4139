/**
 * The service's secrets: the Stripe keys and the cursor signing secret. On AWS they are one JSON secret in
 * Secrets Manager (APP_SECRETS_ARN), read once per cold start through Powertools Parameters (cached); on the
 * local stack they come from environment variables. They never reach a log line or a response.
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { z } from 'zod';
import { APP_SECRETS_ENV } from '../../infra/keys.js';

export interface AppSecrets {
  stripeSecretKey: string;
  stripeWebhookSecret: string;
  cursorSecret: string;
}

const secretsSchema = z.object({
  stripeSecretKey: z.string().regex(/^sk_(test|live)_\S+$/, 'must start with sk_test_ or sk_live_'),
  stripeWebhookSecret: z.string().regex(/^whsec_\S+$/, 'must start with whsec_'),
  cursorSecret: z.string().min(32, 'must be at least 32 characters'),
});

export async function loadAppSecrets(env: NodeJS.ProcessEnv = process.env): Promise<AppSecrets> {
  const arn = env[APP_SECRETS_ENV];
  const raw =
    arn === undefined || arn === ''
      ? {
          stripeSecretKey: env.STRIPE_SECRET_KEY,
          stripeWebhookSecret: env.STRIPE_WEBHOOK_SECRET,
          cursorSecret: env.CURSOR_SECRET,
        }
      : await getSecret(arn, { transform: 'json', maxAge: 300 });
  const parsed = secretsSchema.safeParse(raw);
  if (!parsed.success) {
    // Name the fields, never their values.
    const fields = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new Error(`App secrets are incomplete: ${fields.join('; ')}`);
  }
  return parsed.data;
}
