/** The payout state machine's tasks (statemachines/payout.asl.json). */
// First, so every AWS SDK client this function creates is traced (shared/infra/functions.ts: traced).
import '../../shared/observability/tracing.js';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { systemClock } from '../../shared/adapters/clock.js';
import { awaitPayout, checkPayout, sendPayout } from '../../shared/app/payouts/lifecycle.js';
import { isMode } from '../../shared/app/refunds/wait-ids.js';
import { payoutRails } from '../../shared/composition/payout-rails.js';
import { payouts } from '../../shared/composition/payouts.js';
import { workflows } from '../../shared/composition/workflows.js';
import { ValidationError } from '../../shared/domain/errors.js';
import { PayoutTask } from '../../shared/infra/lifecycle-tasks.js';
import { logger } from '../../shared/observability/powertools.js';

const deps = { payouts: payouts(), workflow: workflows('payout'), clock: systemClock };

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown) => {
    const task = PayoutTask.parse(event);
    const { mode } = task;
    if (!isMode(mode)) throw new ValidationError(`Not a mode: ${mode}`);
    const ref = { merchantId: task.merchantId, mode, payoutId: task.payoutId };
    switch (task.action) {
      case 'send':
        return sendPayout(ref, { ...deps, rails: await payoutRails() });
      case 'await_provider':
        await awaitPayout(ref, task.taskToken, deps);
        return { status: 'waiting' };
      case 'check_provider':
        return checkPayout(ref, { ...deps, rails: await payoutRails() });
    }
  });
