/** The ops side of onboarding and the onboarding execution's tasks (shared/app/merchants/review.ts), on fakes. */

import { CursorCodec } from '../../../../shared/app/cursor.js';
import {
  awaitReview,
  expireReview,
  listMerchants,
  REVIEW_TIMED_OUT_REASON,
  reviewMerchant,
} from '../../../../shared/app/merchants/review.js';
import { DomainError } from '../../../../shared/domain/errors.js';
import type { Merchant } from '../../../../shared/domain/merchant.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import {
  FakeConnectAccounts,
  InMemoryMerchants,
  InMemoryReviews,
  RecordingMailer,
  RecordingOnboardingWorkflow,
} from '../../../support/fakes/onboarding.js';

const OPS = ['ops'];

function merchant(merchantId: string, status: Merchant['status'] = 'in_review'): Merchant {
  return {
    merchantId,
    owner: '@alice:tween.example',
    name: 'Corner Café',
    email: 'owner@shop.example',
    country: 'US',
    businessType: 'company',
    status,
    reserveBps: 0,
    createdAt: '2026-12-07T12:00:00.000Z',
    updatedAt: '2026-12-07T12:00:00.000Z',
  };
}

async function setup() {
  const merchants = new InMemoryMerchants();
  const reviews = new InMemoryReviews();
  const accounts = new FakeConnectAccounts();
  const workflow = new RecordingOnboardingWorkflow();
  const mailer = new RecordingMailer();
  const clock = fixedClock('2026-12-07T13:00:00.000Z');
  await merchants.create(merchant('mch_1'));
  await reviews.open('mch_1', '2026-12-07T12:30:00.000Z');
  return {
    merchants,
    reviews,
    accounts,
    workflow,
    mailer,
    clock,
    deps: { merchants, reviews, accounts, workflow, clock },
  };
}

async function failureOf(run: () => Promise<unknown>): Promise<DomainError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('Function: reviewMerchant', () => {
  it('approves with a connected account, written with active, and resumes the waiting execution', async () => {
    // Arrange
    const { deps, reviews, workflow } = await setup();
    await reviews.keepToken('mch_1', 1, 'token-1');

    // Act
    const approved = await reviewMerchant(OPS, 'mch_1', { decision: 'approve' }, deps);

    // Assert
    expect(approved).toMatchObject({ status: 'active', connectedAccountId: 'acct_mch_1' });
    expect(workflow.resumes).toEqual([{ taskToken: 'token-1', output: { status: 'active' } }]);
  });

  it('decides nothing when Stripe is down (PROCESSOR_ERROR), and approves with one account when repeated', async () => {
    // Arrange
    const { deps, merchants, accounts, workflow } = await setup();
    accounts.failNext();

    // Act
    const down = await failureOf(() => reviewMerchant(OPS, 'mch_1', { decision: 'approve' }, deps));
    const during = await merchants.get('mch_1');
    const approved = await reviewMerchant(OPS, 'mch_1', { decision: 'approve' }, deps);

    // Assert
    expect(down.code).toBe('PROCESSOR_ERROR');
    expect(during?.status).toBe('in_review');
    expect(during?.connectedAccountId).toBeUndefined();
    expect(workflow.resumes).toEqual([]);
    expect(approved.status).toBe('active');
    expect(accounts.created.size).toBe(1);
  });

  it('rejects with the reason, and answers a second decision MERCHANT_STATE', async () => {
    // Arrange
    const { deps } = await setup();

    // Act
    const rejected = await reviewMerchant(OPS, 'mch_1', { decision: 'reject', reason: 'Blurred ID' }, deps);
    const second = await failureOf(() => reviewMerchant(OPS, 'mch_1', { decision: 'approve' }, deps));

    // Assert
    expect(rejected).toMatchObject({ status: 'rejected', reviewReason: 'Blurred ID' });
    expect(second.code).toBe('MERCHANT_STATE');
  });

  it('needs a reason to reject, the ops role, and an existing merchant', async () => {
    // Arrange
    const { deps, accounts } = await setup();

    // Act
    const noReason = await failureOf(() => reviewMerchant(OPS, 'mch_1', { decision: 'reject' }, deps));
    const notOps = await failureOf(() => reviewMerchant([], 'mch_1', { decision: 'approve' }, deps));
    const missing = await failureOf(() => reviewMerchant(OPS, 'mch_404', { decision: 'approve' }, deps));

    // Assert
    expect([noReason.code, notOps.code, missing.code]).toEqual([
      'VALIDATION_ERROR',
      'FORBIDDEN',
      'NOT_FOUND',
    ]);
    expect(accounts.calls).toBe(0);
  });
});

describe('Function: awaitReview', () => {
  it('keeps the token while the merchant is in review', async () => {
    // Arrange
    const { deps, reviews, workflow } = await setup();

    // Act
    await awaitReview('mch_1', 1, 'token-1', deps);

    // Assert
    expect((await reviews.get('mch_1'))?.taskToken).toBe('token-1');
    expect(workflow.resumes).toEqual([]);
  });

  it('goes on at once when the decision came before the token was kept', async () => {
    // Arrange
    const { deps, workflow } = await setup();
    await reviewMerchant(OPS, 'mch_1', { decision: 'approve' }, deps);

    // Act
    await awaitReview('mch_1', 1, 'token-1', deps);

    // Assert
    expect(workflow.resumes).toEqual([{ taskToken: 'token-1', output: { status: 'active' } }]);
  });

  it('goes on at once when a newer submission replaced this one', async () => {
    // Arrange
    const { deps, reviews, workflow } = await setup();
    await reviews.open('mch_1', '2026-12-07T12:45:00.000Z');

    // Act
    await awaitReview('mch_1', 1, 'token-old', deps);

    // Assert
    expect(workflow.resumes).toEqual([{ taskToken: 'token-old', output: { status: 'in_review' } }]);
    expect((await reviews.get('mch_1'))?.taskToken).toBeUndefined();
  });
});

describe('Function: expireReview', () => {
  it('rejects a review nobody decided as timed out', async () => {
    // Arrange
    const { deps, merchants } = await setup();

    // Act
    const expired = await expireReview('mch_1', 1, deps);

    // Assert
    expect(expired).toEqual({ status: 'rejected' });
    expect(await merchants.get('mch_1')).toMatchObject({
      status: 'rejected',
      reviewReason: REVIEW_TIMED_OUT_REASON,
    });
  });

  it('changes nothing once decided, or for a submission a newer one replaced', async () => {
    // Arrange
    const { deps, merchants, reviews } = await setup();
    await merchants.create(merchant('mch_2'));
    await reviews.open('mch_2', '2026-12-07T12:30:00.000Z');
    await reviews.open('mch_2', '2026-12-07T12:40:00.000Z');
    await reviewMerchant(OPS, 'mch_1', { decision: 'approve' }, deps);

    // Act
    const decided = await expireReview('mch_1', 1, deps);
    const stale = await expireReview('mch_2', 1, deps);

    // Assert
    expect(decided).toEqual({ status: 'active' });
    expect(stale).toEqual({ status: 'in_review' });
    expect((await merchants.get('mch_2'))?.status).toBe('in_review');
  });
});

describe('Function: listMerchants', () => {
  it('pages the queue for ops with a cursor bound to the status, and refuses others', async () => {
    // Arrange
    const { merchants } = await setup();
    await merchants.create(merchant('mch_2'));
    const cursors = new CursorCodec('a-cursor-secret-of-at-least-32-characters');

    // Act
    const first = await listMerchants(OPS, { status: 'in_review', limit: 1 }, { merchants, cursors });
    const second = await listMerchants(
      OPS,
      { status: 'in_review', limit: 1, cursor: first.nextCursor ?? '' },
      { merchants, cursors },
    );
    const otherList = await failureOf(() =>
      listMerchants(
        OPS,
        { status: 'active', limit: 1, cursor: first.nextCursor ?? '' },
        { merchants, cursors },
      ),
    );
    const notOps = await failureOf(() =>
      listMerchants([], { status: 'in_review', limit: 1 }, { merchants, cursors }),
    );

    // Assert
    expect(first.merchants.map((m) => m.merchantId)).toEqual(['mch_1']);
    expect(second).toEqual({
      merchants: [expect.objectContaining({ merchantId: 'mch_2' })],
      nextCursor: null,
    });
    expect([otherList.code, notOps.code]).toEqual(['VALIDATION_ERROR', 'FORBIDDEN']);
  });
});
