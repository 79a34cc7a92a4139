/**
 * The notification queue's consumer (SQS event source, partial batch responses): each record is a domain
 * event as the bus rule delivered it; its notifications are sent once each and recorded. What failed is
 * reported and comes back (its records say `failed`), and after the queue's maximum receives it waits in
 * the dead-letter queue. Recipients' addresses are never logged.
 */
// First, so every AWS SDK client this function creates is traced (shared/infra/functions.ts: traced).
import '../../shared/observability/tracing.js';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { systemClock } from '../../shared/adapters/clock.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { notify } from '../../shared/app/notifications/notify.js';
import { invoiceAttachments } from '../../shared/composition/invoice-documents.js';
import { mailer } from '../../shared/composition/mail.js';
import {
  notificationStore,
  pushChannel,
  recipients,
  smsSender,
} from '../../shared/composition/notifications.js';
import { parseDomainEvent } from '../../shared/domain/events.js';
import { recordOf } from '../../shared/json.js';
import { logger } from '../../shared/observability/powertools.js';

const deps = {
  notifications: notificationStore(),
  recipients: recipients(),
  mailer: mailer(),
  sms: smsSender(),
  push: pushChannel(),
  invoiceAttachments: invoiceAttachments(),
  ids: randomIds,
  clock: systemClock,
};

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const failed: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      try {
        const busEvent = recordOf(JSON.parse(record.body));
        const domainEvent = parseDomainEvent(String(busEvent?.['detail-type'] ?? ''), busEvent?.detail);
        const outcome = await notify(domainEvent, deps);
        logger.info('Notifications sent', {
          messageId: record.messageId,
          type: domainEvent.type,
          ...outcome,
        });
      } catch (error) {
        logger.warn('Notifications not all sent; the event comes back', {
          messageId: record.messageId,
          error: error instanceof Error ? error.name : 'Error',
        });
        failed.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failed };
  });
