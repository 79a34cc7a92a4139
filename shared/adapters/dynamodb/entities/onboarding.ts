import * as z from 'zod/mini';
import type { EmailVerification, OnboardingReview } from '../../../app/merchants/ports.js';
import { defineEntity } from '../entity.js';
import { merchantEmailVerificationKey, merchantReviewKey } from '../keys.js';
import type { SameType } from './exact.js';

const verificationSchema = z.object({
  merchantId: z.string(),
  codeHash: z.string(),
  expiresAt: z.string(),
  attempts: z.number(),
  sentAt: z.string(),
});

true satisfies SameType<z.output<typeof verificationSchema>, EmailVerification>;

/**
 * A merchant's pending email verification: `MERCHANT#<id>` / `EMAIL_VERIFICATION`. Only the code's hash;
 * a new code overwrites it, a verified email removes it.
 */
export const EmailVerificationEntity = defineEntity<EmailVerification>({
  type: 'EmailVerification',
  schema: verificationSchema satisfies z.ZodMiniType<EmailVerification>,
  key: (verification) => merchantEmailVerificationKey(verification.merchantId),
});

const reviewSchema = z.object({
  merchantId: z.string(),
  submission: z.number(),
  taskToken: z.exactOptional(z.string()),
  submittedAt: z.string(),
});

true satisfies SameType<z.output<typeof reviewSchema>, OnboardingReview>;

/** The review of a merchant's latest submission, with the waiting execution's token: `MERCHANT#<id>` / `ONBOARDING_REVIEW`. */
export const OnboardingReviewEntity = defineEntity<OnboardingReview>({
  type: 'OnboardingReview',
  schema: reviewSchema satisfies z.ZodMiniType<OnboardingReview>,
  key: (review) => merchantReviewKey(review.merchantId),
});
