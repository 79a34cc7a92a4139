/**
 * The owner's side of onboarding: create a merchant (its email gets a verification code), verify the
 * email, send the code again, submit the KYC documents for review, read the merchant.
 */
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import {
  assertCanRead,
  assertOwner,
  type BusinessType,
  type Merchant,
  nextMerchantStatus,
} from '../../domain/merchant.js';
import type { Clock, Ids } from '../ports.js';
import { verificationEmail } from './emails.js';
import type {
  EmailVerifications,
  KycDocuments,
  Mailer,
  Merchants,
  OnboardingReviews,
  OnboardingWorkflow,
  VerificationCodes,
} from './ports.js';

/** Wrong codes accepted per code; then only a new code (resend) helps. */
export const MAX_CODE_ATTEMPTS = 5;

export interface VerificationDeps {
  merchants: Merchants;
  verifications: EmailVerifications;
  codes: VerificationCodes;
  mailer: Mailer;
  ids: Ids;
  clock: Clock;
  /** How long a code is valid. */
  codeTtlSeconds: number;
}

export interface NewMerchant {
  owner: string;
  name: string;
  email: string;
  phone?: string;
  country: string;
  businessType: BusinessType;
}

/**
 * 1. A fresh merchant id and code.
 * 2. Email the code first: when the mail service is down (503) nothing is stored, and the same request may
 *    be sent again.
 * 3. Store the merchant (pending_verification) and the code's hash with its expiry.
 */
export async function createMerchant(input: NewMerchant, deps: VerificationDeps): Promise<Merchant> {
  const at = deps.clock.now().toISOString();
  const merchant: Merchant = {
    merchantId: deps.ids.next('mch_'),
    ...input,
    status: 'pending_verification',
    reserveBps: 0,
    createdAt: at,
    updatedAt: at,
  };
  const code = deps.codes.generate();
  await deps.mailer.send(verificationEmail(merchant, code, Math.round(deps.codeTtlSeconds / 60)));
  await deps.merchants.create(merchant);
  await deps.verifications.put(verificationOf(merchant.merchantId, code, deps));
  return merchant;
}

/**
 * 1. The owner's merchant, still pending verification (else 409 MERCHANT_STATE).
 * 2. Email a new code; only once it is sent does it replace the old one (mail down: 503, the old code
 *    still works).
 */
export async function resendVerificationCode(
  caller: { userId: string },
  merchantId: string,
  deps: VerificationDeps,
): Promise<Merchant> {
  const merchant = await ownMerchant(caller, merchantId, deps.merchants);
  nextMerchantStatus(merchant.status, 'verify_email');
  const code = deps.codes.generate();
  await deps.mailer.send(verificationEmail(merchant, code, Math.round(deps.codeTtlSeconds / 60)));
  await deps.verifications.put(verificationOf(merchantId, code, deps));
  return merchant;
}

/**
 * 1. The owner's merchant, still pending verification (else 409 MERCHANT_STATE).
 * 2. The code must be the latest sent, unexpired, with attempts left; a wrong one counts an attempt.
 *    Each refusal is a 400 VALIDATION_ERROR whose `details.reason` says which.
 * 3. kyc_required, and the code is gone.
 */
export async function verifyEmail(
  caller: { userId: string },
  merchantId: string,
  code: string,
  deps: Pick<VerificationDeps, 'merchants' | 'verifications' | 'codes' | 'clock'>,
): Promise<Merchant> {
  const merchant = await ownMerchant(caller, merchantId, deps.merchants);
  nextMerchantStatus(merchant.status, 'verify_email');
  const verification = await deps.verifications.get(merchantId);
  if (verification === undefined) {
    throw codeRefused('No verification code is pending; request a new one', 'no_code');
  }
  if (deps.clock.now().toISOString() > verification.expiresAt) {
    throw codeRefused('The verification code has expired; request a new one', 'expired');
  }
  if (verification.attempts >= MAX_CODE_ATTEMPTS) {
    throw codeRefused('Too many wrong codes; request a new one', 'too_many_attempts');
  }
  if (deps.codes.hash(merchantId, code) !== verification.codeHash) {
    const counted = await deps.verifications.countAttempt(merchantId, MAX_CODE_ATTEMPTS);
    const left = counted ? MAX_CODE_ATTEMPTS - verification.attempts - 1 : 0;
    throw codeRefused('The verification code is not the one we sent', 'mismatch', { attempts_left: left });
  }
  const verified = await deps.merchants.transition(
    merchantId,
    'verify_email',
    deps.clock.now().toISOString(),
  );
  await deps.verifications.remove(merchantId);
  return verified;
}

export interface SubmitDeps {
  merchants: Merchants;
  documents: KycDocuments;
  reviews: OnboardingReviews;
  workflow: OnboardingWorkflow;
  clock: Clock;
  /** How long the execution waits for a reviewer (14 days). */
  reviewSeconds: number;
}

/**
 * 1. The owner's merchant, in kyc_required or rejected (else 409 MERCHANT_STATE), with at least one
 *    uploaded document (else 400).
 * 2. in_review, written on the status it was decided from.
 * 3. A new review (submission n) and its execution, which waits for the reviewer: named by the merchant id
 *    for the first submission, `<id>-<n>` for a resubmission (execution names are never reused).
 * When the review cannot be opened or its execution started, the merchant is put back (conditionally, on
 * still being in_review from this submission) and the error answered: a merchant is never left in_review
 * with no execution to time its review out and email the owner, and submitting again opens submission n+1.
 * (Starting first is not safe: the execution's first step looks for review n and, not finding it yet, ends.)
 */
export async function submitKyc(
  caller: { userId: string },
  merchantId: string,
  deps: SubmitDeps,
): Promise<Merchant> {
  const merchant = await ownMerchant(caller, merchantId, deps.merchants);
  nextMerchantStatus(merchant.status, 'submit_kyc');
  if (!(await deps.documents.anyUploaded(merchantId))) {
    throw new ValidationError('Upload at least one KYC document before submitting', {
      field: 'documents',
    });
  }
  const at = deps.clock.now().toISOString();
  const submitted = await deps.merchants.transition(merchantId, 'submit_kyc', at);
  try {
    const review = await deps.reviews.open(merchantId, at);
    await deps.workflow.start(onboardingExecutionName(merchantId, review.submission), {
      merchantId,
      submission: review.submission,
      reviewSeconds: deps.reviewSeconds,
    });
  } catch (error) {
    await deps.merchants
      .withdrawSubmission(merchant, at, deps.clock.now().toISOString())
      .catch((withdrawError: unknown) => {
        throw new AggregateError([error, withdrawError], 'Starting the review failed; so did withdrawing it');
      });
    throw error;
  }
  return submitted;
}

/**
 * 1. The owner's merchant (anyone else: NOT_FOUND), in any status.
 * 2. Its phone set (E.164) or, with null or '', removed: where the SMS of a failed payout goes.
 */
export async function updateMerchantContact(
  caller: { userId: string },
  merchantId: string,
  changes: { phone?: string | null | undefined },
  deps: { merchants: Merchants; clock: Clock },
): Promise<Merchant> {
  const merchant = await ownMerchant(caller, merchantId, deps.merchants);
  if (changes.phone === undefined) return merchant;
  return deps.merchants.setPhone(merchantId, changes.phone || undefined, deps.clock.now().toISOString());
}

/** The merchant, for its owner or ops; anyone else: 404. */
export async function merchantOf(
  caller: { userId: string; roles: readonly string[] },
  merchantId: string,
  merchants: Merchants,
): Promise<Merchant> {
  const merchant = await merchants.get(merchantId);
  if (merchant === undefined) throw new NotFoundError('Merchant');
  assertCanRead(merchant, caller);
  return merchant;
}

export function onboardingExecutionName(merchantId: string, submission: number): string {
  return submission === 1 ? merchantId : `${merchantId}-${submission}`;
}

async function ownMerchant(
  caller: { userId: string },
  merchantId: string,
  merchants: Merchants,
): Promise<Merchant> {
  const merchant = await merchants.get(merchantId);
  if (merchant === undefined) throw new NotFoundError('Merchant');
  assertOwner(merchant, caller);
  return merchant;
}

function verificationOf(merchantId: string, code: string, deps: VerificationDeps) {
  const now = deps.clock.now();
  return {
    merchantId,
    codeHash: deps.codes.hash(merchantId, code),
    expiresAt: new Date(now.getTime() + deps.codeTtlSeconds * 1000).toISOString(),
    attempts: 0,
    sentAt: now.toISOString(),
  };
}

function codeRefused(message: string, reason: string, extra: Record<string, unknown> = {}): ValidationError {
  return new ValidationError(message, { field: 'code', reason, ...extra });
}
