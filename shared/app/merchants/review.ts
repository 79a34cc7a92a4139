/**
 * The ops side of onboarding: the review queue, the decision, and the onboarding execution's tasks (wait
 * for the reviewer, a review that timed out, the owner's email about the outcome).
 *
 * Where the Stripe connected account is created: in the approve request, before anything is written. A
 * Stripe outage answers 502 PROCESSOR_ERROR with the merchant still in_review and nothing recorded, so the
 * reviewer repeats the decision; the account's idempotency key derives from the merchant id, so a first
 * attempt Stripe carried out but whose answer was lost yields the same account. `active` is written
 * together with the account id, never without it.
 */
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { type Merchant, type MerchantStatus, nextMerchantStatus } from '../../domain/merchant.js';
import { assertOps } from '../access.js';
import type { CursorCodec } from '../cursor.js';
import type { Clock } from '../ports.js';
import type { ConnectAccounts, Merchants, OnboardingReviews, OnboardingWorkflow } from './ports.js';

export type ReviewDecision = 'approve' | 'reject';

/** The reason a review that nobody decided within its window is rejected with (emailed to the owner). */
export const REVIEW_TIMED_OUT_REASON =
  'The review was not completed within 14 days; please submit your documents again';

/**
 * 1. Ops only.
 * 2. One page of the merchants in `status`, oldest first (the review queue); the cursor is signed and
 *    bound to the status.
 */
export async function listMerchants(
  roles: readonly string[],
  page: { status: MerchantStatus; limit: number; cursor?: string },
  deps: { merchants: Merchants; cursors: CursorCodec },
): Promise<{ merchants: Merchant[]; nextCursor: string | null }> {
  assertOps(roles);
  const list = `merchants:${page.status}`;
  const after = page.cursor === undefined ? undefined : deps.cursors.decode(list, page.cursor);
  const found = await deps.merchants.listByStatus({
    status: page.status,
    limit: page.limit,
    ...(after === undefined ? {} : { after }),
  });
  return {
    merchants: found.merchants,
    nextCursor: found.after === undefined ? null : deps.cursors.encode(list, found.after),
  };
}

export interface ReviewDeps {
  merchants: Merchants;
  reviews: OnboardingReviews;
  accounts: ConnectAccounts;
  workflow: OnboardingWorkflow;
  clock: Clock;
}

/**
 * 1. Ops only; the merchant must be in_review (else 409 MERCHANT_STATE, a second decision included).
 *    A rejection needs a reason (it is emailed to the owner).
 * 2. Approve: the Stripe connected account first (see above), then `active` with its id; reject:
 *    `rejected` with the reason. Written on in_review: of two concurrent decisions one wins, the other 409.
 * 3. The waiting execution is resumed; it emails the owner.
 */
export async function reviewMerchant(
  roles: readonly string[],
  merchantId: string,
  decision: { decision: ReviewDecision; reason?: string },
  deps: ReviewDeps,
): Promise<Merchant> {
  assertOps(roles);
  const merchant = await deps.merchants.get(merchantId);
  if (merchant === undefined) throw new NotFoundError('Merchant');
  nextMerchantStatus(merchant.status, decision.decision);
  if (decision.decision === 'reject' && decision.reason === undefined) {
    throw new ValidationError('A rejection needs a reason; it is sent to the owner', { field: 'reason' });
  }
  const at = deps.clock.now().toISOString();
  const reason = decision.reason === undefined ? {} : { reviewReason: decision.reason };
  const decided =
    decision.decision === 'approve'
      ? await deps.merchants.transition(merchantId, 'approve', at, {
          connectedAccountId: merchant.connectedAccountId ?? (await deps.accounts.create(merchant)),
          ...reason,
        })
      : await deps.merchants.transition(merchantId, 'reject', at, reason);
  const review = await deps.reviews.get(merchantId);
  if (review?.taskToken !== undefined) {
    await deps.workflow.resume(review.taskToken, { status: decided.status });
  }
  return decided;
}

/**
 * The execution's wait (task token): kept on the review. When the decision came first (it found no token
 * to resume), or a newer submission replaced this one, the execution goes on at once.
 */
export async function awaitReview(
  merchantId: string,
  submission: number,
  taskToken: string,
  deps: Pick<ReviewDeps, 'merchants' | 'reviews' | 'workflow'>,
): Promise<void> {
  const kept = await deps.reviews.keepToken(merchantId, submission, taskToken);
  const merchant = await deps.merchants.get(merchantId);
  if (!kept || merchant === undefined || merchant.status !== 'in_review') {
    await deps.workflow.resume(taskToken, { status: merchant?.status ?? 'unknown' });
  }
}

/**
 * Nobody decided within the window: the merchant is rejected as "review timed out" (the owner is emailed
 * and may resubmit at once), unless a decision or a newer submission came meanwhile.
 */
export async function expireReview(
  merchantId: string,
  submission: number,
  deps: Pick<ReviewDeps, 'merchants' | 'reviews' | 'clock'>,
): Promise<{ status: MerchantStatus | 'unknown' }> {
  const [merchant, review] = await Promise.all([
    deps.merchants.get(merchantId),
    deps.reviews.get(merchantId),
  ]);
  if (merchant?.status !== 'in_review' || review?.submission !== submission) {
    return { status: merchant?.status ?? 'unknown' };
  }
  const rejected = await deps.merchants.transition(merchantId, 'reject', deps.clock.now().toISOString(), {
    reviewReason: REVIEW_TIMED_OUT_REASON,
  });
  return { status: rejected.status };
}
