/**
 * The subscription steps queue's consumer (SQS event source, partial batch responses): each message is one
 * due step (a renewal or a dunning retry), put there by its EventBridge Scheduler one-time schedule
 * (shared/app/subscriptions/steps.ts). A step that fails (the table, the processor, Scheduler unavailable)
 * is reported and comes back; a duplicate or late one does nothing; after the queue's maximum receives it
 * waits in the dead-letter queue.
 */
// First, so every AWS SDK client this function creates is traced (shared/infra/functions.ts: traced).
import '../../shared/observability/tracing.js';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parseSubscriptionStep } from '../../shared/adapters/subscriptions/schedule.js';
import { runSubscriptionStep } from '../../shared/app/subscriptions/steps.js';
import { subscriptionDeps } from '../../shared/composition/subscriptions.js';
import { logger } from '../../shared/observability/powertools.js';

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const deps = subscriptionDeps();
    const results = await Promise.allSettled(
      event.Records.map(async (record) => {
        const step = parseSubscriptionStep(record.body);
        const result = await runSubscriptionStep(step, deps);
        logger.info('Subscription step', {
          messageId: record.messageId,
          subscriptionId: step.subscriptionId,
          attempt: step.attempt,
          ...result,
        });
      }),
    );
    const failures = event.Records.flatMap((record, index) => {
      const result = results[index];
      if (result?.status !== 'rejected') return [];
      logger.warn('Subscription step failed; it comes back', {
        messageId: record.messageId,
        error: result.reason instanceof Error ? result.reason.message : String(result.reason),
      });
      return [{ itemIdentifier: record.messageId }];
    });
    return { batchItemFailures: failures };
  });
