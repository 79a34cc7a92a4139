/**
 * The webhook queue's consumer (SQS event source, FIFO, partial batch responses): each event applied once,
 * in order per provider object; what failed is reported and comes back, and after the queue's maximum
 * receives it waits in the dead-letter queue.
 */
// First, so every AWS SDK client this function creates is traced (shared/infra/functions.ts: traced).
import '../../shared/observability/tracing.js';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parseQueuedEvent } from '../../shared/adapters/aws/webhook-queue.js';
import { systemClock } from '../../shared/adapters/clock.js';
import { type ConsumeDeps, consumeWebhookBatch } from '../../shared/app/webhooks/consume.js';
import { merchantLedger } from '../../shared/composition/balance.js';
import { ledger } from '../../shared/composition/ledger.js';
import { paymentIntents } from '../../shared/composition/payment-intents.js';
import { payments } from '../../shared/composition/payments.js';
import { payoutRails } from '../../shared/composition/payout-rails.js';
import { payouts } from '../../shared/composition/payouts.js';
import { paymentProvider } from '../../shared/composition/providers.js';
import { intentRefunds } from '../../shared/composition/refunds.js';
import { topups } from '../../shared/composition/wallets.js';
import { disputes, webhookInbox } from '../../shared/composition/webhooks.js';
import { workflows } from '../../shared/composition/workflows.js';
import { logger } from '../../shared/observability/powertools.js';

const deps: Omit<ConsumeDeps, 'provider'> = {
  inbox: webhookInbox(),
  topups: topups(),
  ledger: ledger(),
  payments: payments(),
  workflows: workflows('payment'),
  disputes: disputes(),
  clock: systemClock,
  merchantLedger: merchantLedger(),
  intentRefunds: {
    intents: paymentIntents(),
    intentRefunds: intentRefunds(),
    merchantLedger: merchantLedger(),
  },
};

const payoutEnds = { payouts: payouts(), workflow: workflows('payout'), clock: systemClock };

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const messages = event.Records.map((record) => ({
      messageId: record.messageId,
      groupId: record.attributes.MessageGroupId ?? record.messageId,
      body: record.body,
    }));
    const failures = await consumeWebhookBatch(messages, parseQueuedEvent, {
      ...deps,
      provider: await paymentProvider(),
      payouts: { ...payoutEnds, rails: await payoutRails() },
    });
    for (const { messageId, error } of failures) {
      if (error === undefined) logger.info('Held back behind a failed event of its object', { messageId });
      else logger.warn('Webhook event not applied; it comes back', { messageId, error });
    }
    return { batchItemFailures: failures.map(({ messageId }) => ({ itemIdentifier: messageId })) };
  });
