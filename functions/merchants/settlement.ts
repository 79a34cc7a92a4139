/**
 * The settlement job (EventBridge Scheduler every SETTLEMENT_PERIOD_SECONDS; locally a timer): makes every pending balance transaction that is due available, at most
 * SETTLEMENT_LIMIT per run (the next run goes on). Each moves once, whatever runs overlap.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod/mini';
import { systemClock } from '../../shared/adapters/clock.js';
import { type SettlementRun, settleDue } from '../../shared/app/balance/balance.js';
import { merchantBalances } from '../../shared/composition/balance.js';
import { intSetting, readEnv } from '../../shared/config.js';
import { logger } from '../../shared/observability/powertools.js';

const env = readEnv(z.object({ SETTLEMENT_LIMIT: intSetting(500) }));
/** The schedule sends no input; a manual run may narrow the batch. */
const RunInput = z.nullish(z.object({ limit: z.optional(z.int().check(z.positive(), z.lte(1_000))) }));

const deps = { balances: merchantBalances(), clock: systemClock };

export const handler = middy<unknown, SettlementRun>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const input = RunInput.parse(event) ?? {};
    const run = await settleDue(input.limit ?? env.SETTLEMENT_LIMIT, deps);
    logger.info('Settlement run', { ...run });
    return run;
  });
