/**
 * The webhook queue's consumer (SQS event source, FIFO, partial batch responses): each event applied once,
 * in order per provider object; what failed is reported and comes back, and after the queue's maximum
 * receives it waits in the dead-letter queue.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parseQueuedEvent } from '../../shared/adapters/aws/webhook-queue.js';
import { type ConsumeDeps, consumeWebhookBatch } from '../../shared/app/webhooks/consume.js';
import { logger } from '../../shared/observability/powertools.js';
import { lifecycleDeps } from '../payments/context.js';
import { topups } from '../wallets/context.js';
import { disputes, inbox } from './context.js';

const lifecycle = await lifecycleDeps();
const deps: ConsumeDeps = { ...lifecycle, inbox: inbox(), topups: topups(), disputes: disputes() };

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const messages = event.Records.map((record) => ({
      messageId: record.messageId,
      groupId: record.attributes.MessageGroupId ?? record.messageId,
      body: record.body,
    }));
    const failures = await consumeWebhookBatch(messages, parseQueuedEvent, deps);
    for (const { messageId, error } of failures) {
      if (error === undefined) logger.info('Held back behind a failed event of its object', { messageId });
      else logger.warn('Webhook event not applied; it comes back', { messageId, error });
    }
    return { batchItemFailures: failures.map(({ messageId }) => ({ itemIdentifier: messageId })) };
  });
