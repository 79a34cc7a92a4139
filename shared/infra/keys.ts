/** The customer-managed KMS key: functions learn its ARN from this variable, locally and on AWS. */
export const KEY_ENV = 'KMS_KEY_ID';

/**
 * The service's secrets (Stripe secret key, Stripe webhook secret, cursor signing secret, and optionally
 * PayPal's client id, client secret, webhook id and API base): one JSON secret in Secrets Manager, whose ARN
 * functions find here. The local stack passes the values as variables instead.
 */
export const APP_SECRETS_ENV = 'APP_SECRETS_ARN';
export const appSecretsDefinition = {
  description:
    'Tween Payments: stripeSecretKey, stripeWebhookSecret (set by the platform team), cursorSecret; ' +
    'optional paypalClientId, paypalClientSecret, paypalWebhookId, paypalApiBase',
  /** Placeholders the platform team replaces after the first deploy; cursorSecret is generated. */
  template: { stripeSecretKey: 'sk_test_replace_me', stripeWebhookSecret: 'whsec_replace_me' },
  generatedKey: 'cursorSecret',
} as const;
