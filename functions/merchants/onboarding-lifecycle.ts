/** The onboarding state machine's tasks (statemachines/merchant-onboarding.asl.json). */
// First, so every AWS SDK client this function creates is traced (shared/infra/functions.ts: traced).
import '../../shared/observability/tracing.js';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { systemClock } from '../../shared/adapters/clock.js';
import { awaitReview, expireReview } from '../../shared/app/merchants/review.js';
import { merchants } from '../../shared/composition/merchants.js';
import { onboardingReviews } from '../../shared/composition/onboarding.js';
import { workflows } from '../../shared/composition/workflows.js';
import { OnboardingTask } from '../../shared/infra/lifecycle-tasks.js';
import { logger } from '../../shared/observability/powertools.js';

const deps = {
  merchants: merchants(),
  reviews: onboardingReviews(),
  workflow: workflows('merchantOnboarding'),
  clock: systemClock,
};

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown) => {
    const task = OnboardingTask.parse(event);
    switch (task.action) {
      case 'await_review':
        await awaitReview(task.merchantId, task.submission, task.taskToken, deps);
        return { status: 'waiting' };
      case 'expire_review': {
        const expired = await expireReview(task.merchantId, task.submission, deps);
        if (expired.status === 'rejected') {
          logger.warn('A merchant review timed out: rejected, the owner may resubmit', {
            merchantId: task.merchantId,
            submission: task.submission,
          });
        }
        return expired;
      }
    }
  });
