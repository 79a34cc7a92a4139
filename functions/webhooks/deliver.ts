/**
 * The webhook deliveries queue's consumer (SQS event source, partial batch responses): each task is one event
 * to one endpoint (shared/app/webhook-delivery/deliver.ts); a batch's tasks go out side by side, each send
 * bounded at 15 s. A task that fails (the table, the mailer, SQS or Scheduler unavailable) is reported and
 * comes back; after the queue's maximum receives it waits in the dead-letter queue. A receiver's failure is
 * not a task failure: it is recorded and retried on the schedule.
 */
// First, so every AWS SDK client this function creates is traced (shared/infra/functions.ts: traced).
import '../../shared/observability/tracing.js';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parseDeliveryTask } from '../../shared/adapters/webhook-delivery/retries.js';
import { deliverWebhook } from '../../shared/app/webhook-delivery/deliver.js';
import { deliverDeps } from '../../shared/composition/webhook-delivery.js';
import { logger } from '../../shared/observability/powertools.js';

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const deps = deliverDeps();
    const results = await Promise.allSettled(
      event.Records.map(async (record) => {
        const task = parseDeliveryTask(record.body);
        const result = await deliverWebhook(task, deps);
        logger.info('Webhook delivery task', {
          messageId: record.messageId,
          endpointId: task.endpointId,
          eventId: task.eventId,
          ...result,
        });
      }),
    );
    const failures = event.Records.flatMap((record, index) => {
      const result = results[index];
      if (result?.status !== 'rejected') return [];
      logger.warn('Webhook delivery task failed; it comes back', {
        messageId: record.messageId,
        error: result.reason instanceof Error ? result.reason.message : String(result.reason),
      });
      return [{ itemIdentifier: record.messageId }];
    });
    return { batchItemFailures: failures };
  });
