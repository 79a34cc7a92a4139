/**
 * The local stack's configuration: environment variables with documented defaults (the README's
 * configuration table lists the same names). Every default is a development value for this machine only.
 */
import { z } from 'zod';
import { readEnv } from '../shared/config.js';
import {
  DEFAULT_FEE_TIERS,
  DEFAULT_PROCESSING_FEE,
  parseFeeTiers,
  parseProcessingFee,
} from '../shared/domain/fees.js';
import { DEFAULT_ENABLED_CURRENCIES } from '../shared/domain/money.js';
import { parseDunningSchedule } from '../shared/domain/subscription.js';
import { parseRetrySchedule } from '../shared/domain/webhook-retries.js';
import { DEFAULT_LOCAL_JWT_SECRET } from './auth.js';

export const localEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOCAL_DATA_DIR: z.string().min(1).default('.local'),
  LOCAL_JWT_SECRET: z.string().min(32, 'use at least 32 characters').default(DEFAULT_LOCAL_JWT_SECRET),
  STRIPE_SECRET_KEY: z.string().startsWith('sk_test_').default('sk_test_tween_local_0000000000000000'),
  STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_').default('whsec_tween_local_0000000000000000'),
  PAYPAL_CLIENT_ID: z.string().min(1).default('tween-local-paypal-client'),
  PAYPAL_CLIENT_SECRET: z.string().min(1).default('tween-local-paypal-secret-0000000000'),
  PAYPAL_WEBHOOK_ID: z.string().min(1).default('WH-tween-local'),
  CURSOR_SECRET: z
    .string()
    .min(32, 'use at least 32 characters')
    .default('tween-local-cursor-secret-0123456789abcdef'),
  /** The key of the hash API key secrets are stored by (apiKeyPepper of the app secrets on AWS). */
  API_KEY_PEPPER: z
    .string()
    .min(32, 'use at least 32 characters')
    .default('tween-local-api-key-pepper-0123456789abcdef'),
  /** Fixture apps the test suites name, seeded as live apps of the demo merchant (comma-separated). */
  LOCAL_SEED_APPS: z.string().default(''),
  MATRIX_ACCESS_TOKEN: z.string().min(1).default('syt_tween_local_publisher'),
  MFA_THRESHOLDS: z.string().default('USD:5000'),
  MFA_VELOCITY_LIMIT: z.coerce.number().int().positive().default(10),
  MFA_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(300),
  /** Limited requests (money-moving POSTs, MFA challenges) per user, route and minute; then 429 RATE_LIMITED. */
  USER_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(10),
  PROVIDER_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(3_600),
  BREAKER_FAILURE_THRESHOLD: z.coerce.number().int().positive().default(5),
  BREAKER_COOL_DOWN_SECONDS: z.coerce.number().positive().default(30),
  PROVIDER_RETRY_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  P2P_ACCEPTANCE_WINDOW_SECONDS: z.coerce.number().int().positive().default(86_400),
  /** Shortest gift lifetime accepted (`expires_in_seconds`); 60 as on AWS, lower to watch gifts expire. */
  GIFT_MIN_LIFETIME_SECONDS: z.coerce.number().int().positive().default(60),
  /** How long a manual-capture authorization waits for its capture before it is cancelled. */
  CAPTURE_WINDOW_SECONDS: z.coerce.number().int().positive().default(604_800),
  ENABLED_CURRENCIES: z.string().default(DEFAULT_ENABLED_CURRENCIES),
  /** The platform fee by the merchant's monthly volume (`volume:bps,...`); checked here, so `npm start` fails on a bad one. */
  FEE_TIERS: z.string().default(DEFAULT_FEE_TIERS).superRefine(parsedBy(parseFeeTiers)),
  /** The card and PayPal processing fee (`bps:fixed`). */
  PROCESSING_FEE: z.string().default(DEFAULT_PROCESSING_FEE).superRefine(parsedBy(parseProcessingFee)),
  /** How long a payment's net stays pending before settlement makes it available (two days). */
  SETTLEMENT_DELAY_SECONDS: z.coerce.number().int().nonnegative().default(172_800),
  /** How long a payout's flow waits for the provider's payout webhook before asking the provider (a day). */
  PAYOUT_WAIT_SECONDS: z.coerce.number().int().positive().default(86_400),
  /** The sender of onboarding emails (SES `FromEmailAddress`). */
  MAIL_FROM: z.string().email().default('no-reply@tween.example'),
  /** How long an emailed verification code is valid. */
  EMAIL_CODE_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  /** How long a merchant's KYC review may wait for ops before it is rejected as timed out (14 days). */
  MERCHANT_REVIEW_WINDOW_SECONDS: z.coerce.number().int().positive().default(1_209_600),
  /** How often the reconciliation job runs (EventBridge Scheduler's rate(5 minutes) on AWS). */
  RECONCILE_PERIOD_SECONDS: z.coerce.number().int().positive().default(300),
  /** How often the settlement job runs (EventBridge Scheduler every 3600 s on AWS); 5 here, so it is seen. */
  SETTLEMENT_PERIOD_SECONDS: z.coerce.number().int().positive().default(5),
  /** How long a top-up or card payment waits on the provider before reconciliation asks about it. */
  RECONCILE_AFTER_SECONDS: z.coerce.number().int().nonnegative().default(600),
  // At least 1: local-aws-sqs reads a visibility timeout of 0 at queue creation as 30 s.
  SQS_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(43_200).default(1),
  /** Seconds between webhook delivery attempts; short here so retries are seen (AWS: 5,300,…,36000). */
  WEBHOOK_RETRY_SCHEDULE: z.string().default('2,5,10,20,40,60,60').superRefine(parsedBy(parseRetrySchedule)),
  /** Seconds before each dunning retry of a subscription; short here so dunning is seen (AWS: 3, 5, 7 days). */
  DUNNING_SCHEDULE: z.string().default('4,4,4').superRefine(parsedBy(parseDunningSchedule)),
  /**
   * A subscription's month in seconds (a year is twelve), so renewals are seen here; never set on AWS, where
   * a month is a calendar month.
   */
  SUBSCRIPTION_PERIOD_SECONDS: z.coerce.number().int().positive().default(30),
  /** How long a webhook endpoint may fail with no success before it is disabled (5 days). */
  WEBHOOK_DISABLE_AFTER_SECONDS: z.coerce.number().int().positive().default(432_000),
  POWERTOOLS_LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT', 'CRITICAL']).default('INFO'),
});

/** A refinement that refuses a value `parse` (a domain parser) throws on, with the parser's message. */
function parsedBy(parse: (text: string) => unknown) {
  return (text: string, context: z.RefinementCtx) => {
    try {
      parse(text);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
    }
  };
}

export type LocalEnv = z.infer<typeof localEnvSchema>;

export function readLocalEnv(env: NodeJS.ProcessEnv = process.env): LocalEnv {
  return readEnv(localEnvSchema, env);
}
