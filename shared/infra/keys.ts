/** The customer-managed KMS key: functions learn its ARN from this variable, locally and on AWS. */
export const KEY_ENV = 'KMS_KEY_ID';

/**
 * The second key, for MFA secrets only (TOTP seeds): functions learn its ARN from this variable. Its grants
 * hold only with an encryption context naming the user (`userId`) and one of these purposes, so a role
 * that may use it still cannot open a secret without saying whose it is (and CloudTrail records whose).
 */
export const MFA_KEY_ENV = 'MFA_KMS_KEY_ID';
export const mfaKeyContext = {
  /** Encryption context keys every use of the key must carry. */
  requiredKeys: ['userId', 'purpose'],
  /** The values `purpose` may take (shared/app/mfa/common.ts seals TOTP seeds with `totp`). */
  purposes: ['totp'],
} as const;

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
