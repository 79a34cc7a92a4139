/**
 * Merchant onboarding's adapters and settings: the verification and review items on the single table, the
 * KYC documents' read, SES for email (MAIL_FROM), the onboarding state machine, and the durations.
 */
import * as z from 'zod/mini';
import { loadAppSecrets } from '../adapters/aws/app-secrets.js';
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { HmacVerificationCodes } from '../adapters/crypto/verification-codes.js';
import { DynamoDbEmailVerifications, DynamoDbOnboardingReviews } from '../adapters/dynamodb/onboarding.js';
import { intSetting, readEnv, readTableName } from '../config.js';
import { once, onceAsync } from '../lazy.js';

export const emailVerifications = once(
  () => new DynamoDbEmailVerifications(documentClient(), readTableName()),
);
export const onboardingReviews = once(() => new DynamoDbOnboardingReviews(documentClient(), readTableName()));

export { mailer } from './mail.js';

/** Codes are hashed with a key derived from the app secrets' cursor secret under its own label (read on first use). */
export const verificationCodes = onceAsync(
  async () => new HmacVerificationCodes((await loadAppSecrets()).cursorSecret),
);

export const onboardingSettings = once(() => {
  const env = readEnv(
    z.object({
      EMAIL_CODE_TTL_SECONDS: intSetting(900, { min: 60, max: 86_400 }),
      MERCHANT_REVIEW_WINDOW_SECONDS: intSetting(1_209_600),
    }),
  );
  return { codeTtlSeconds: env.EMAIL_CODE_TTL_SECONDS, reviewSeconds: env.MERCHANT_REVIEW_WINDOW_SECONDS };
});
