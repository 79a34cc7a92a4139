/**
 * The reconciliation job (EventBridge Scheduler, every 5 minutes; locally a timer and POST /local/reconcile):
 * asks the provider about what has waited on it too long and applies the answer. Any record it could not
 * settle fails the invocation after the others ran, so the retry, the dead-letter queue and its alarm see it.
 */
// First, so every AWS SDK client this function creates is traced (shared/infra/functions.ts: traced).
import '../../shared/observability/tracing.js';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod/mini';
import { systemClock } from '../../shared/adapters/clock.js';
import {
  type ReconcileDeps,
  type ReconcileReport,
  reconcile,
} from '../../shared/app/reconciliation/reconcile.js';
import { merchantLedger } from '../../shared/composition/balance.js';
import { ledger } from '../../shared/composition/ledger.js';
import { paymentIntents } from '../../shared/composition/payment-intents.js';
import { payments, providerWaits } from '../../shared/composition/payments.js';
import { paymentProvider } from '../../shared/composition/providers.js';
import { intentRefunds } from '../../shared/composition/refunds.js';
import { topups } from '../../shared/composition/wallets.js';
import { workflows } from '../../shared/composition/workflows.js';
import { intSetting, readEnv } from '../../shared/config.js';
import { logger } from '../../shared/observability/powertools.js';

const env = readEnv(
  z.object({
    RECONCILE_AFTER_SECONDS: intSetting(600, { min: 0 }),
    RECONCILE_LIMIT: intSetting(200),
  }),
);
/** The schedule sends no input; a manual run may narrow the threshold or the batch. */
const RunInput = z.nullish(
  z.object({
    olderThanSeconds: z.optional(z.int().check(z.gte(0))),
    limit: z.optional(z.int().check(z.positive(), z.lte(1_000))),
  }),
);

const deps: Omit<ReconcileDeps, 'provider'> = {
  waits: providerWaits(),
  topups: topups(),
  payments: payments(),
  ledger: ledger(),
  workflows: workflows('payment'),
  clock: systemClock,
  merchantLedger: merchantLedger(),
  intentRefunds: {
    intents: paymentIntents(),
    intentRefunds: intentRefunds(),
    merchantLedger: merchantLedger(),
  },
};

export class ReconciliationFailedError extends Error {
  override readonly name = 'ReconciliationFailedError';
}

export const handler = middy<unknown, Omit<ReconcileReport, 'items'>>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const input = RunInput.parse(event) ?? {};
    const olderThanSeconds = input.olderThanSeconds ?? env.RECONCILE_AFTER_SECONDS;
    const olderThan = new Date(deps.clock.now().getTime() - olderThanSeconds * 1000).toISOString();
    const { items, ...counts } = await reconcile(
      { olderThan, limit: input.limit ?? env.RECONCILE_LIMIT },
      { ...deps, provider: await paymentProvider() },
    );
    for (const { error, ...item } of items) {
      if (item.outcome === 'failed')
        logger.error('Reconciliation could not settle a record', { ...item, error });
      // A repair means a write or a webhook went missing: worth seeing even when all is well now.
      else if (item.outcome === 'repaired') logger.warn('Reconciliation repaired a record', item);
    }
    logger.info('Reconciliation run', { olderThan, ...counts });
    if (counts.failed > 0) {
      throw new ReconciliationFailedError(
        `${counts.failed} of ${counts.examined} records could not be settled`,
      );
    }
    return counts;
  });
