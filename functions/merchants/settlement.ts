/**
 * The settlement job (EventBridge Scheduler every SETTLEMENT_PERIOD_SECONDS; locally a timer): makes every pending balance transaction that is due available, at most
 * SETTLEMENT_LIMIT per run (the next run goes on). Each moves once, whatever runs overlap.
 *
 * Then the transfer-reversal worklist (shared/app/payouts/transfer-reversals.ts): each succeeded refund that
 * took split shares back has the part its split merchants' balances cannot cover reversed from their paid
 * payout transfers, once; one the provider failed stays on the list for the next run.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod/mini';
import { systemClock } from '../../shared/adapters/clock.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { type SettlementRun, settleDue } from '../../shared/app/balance/balance.js';
import { reverseDue } from '../../shared/app/payouts/transfer-reversals.js';
import { merchantBalances } from '../../shared/composition/balance.js';
import { paymentIntents } from '../../shared/composition/payment-intents.js';
import { payoutRails } from '../../shared/composition/payout-rails.js';
import { transferReversals } from '../../shared/composition/payouts.js';
import { intentRefunds } from '../../shared/composition/refunds.js';
import { intSetting, readEnv } from '../../shared/config.js';
import { logger } from '../../shared/observability/powertools.js';

const env = readEnv(z.object({ SETTLEMENT_LIMIT: intSetting(500) }));
/** The schedule sends no input; a manual run may narrow the batch. */
const RunInput = z.nullish(z.object({ limit: z.optional(z.int().check(z.positive(), z.lte(1_000))) }));

const deps = { balances: merchantBalances(), clock: systemClock };
const reversalDeps = {
  ...deps,
  intentRefunds: intentRefunds(),
  intents: paymentIntents(),
  reversals: transferReversals(),
  ids: randomIds,
};

export const handler = middy<unknown, SettlementRun>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const input = RunInput.parse(event) ?? {};
    const limit = input.limit ?? env.SETTLEMENT_LIMIT;
    const run = await settleDue(limit, deps);
    logger.info('Settlement run', { ...run });
    const reversals = await reverseDue(limit, { ...reversalDeps, rails: await payoutRails() });
    for (const { refundId, error } of reversals.failed)
      logger.error('Split transfers not reversed; the next run tries again', { refundId, error });
    logger.info('Transfer reversals run', { done: reversals.done, reversed: reversals.reversed });
    return run;
  });
