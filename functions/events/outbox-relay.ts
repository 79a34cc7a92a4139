// First, so every AWS SDK client this function creates is traced (shared/infra/functions.ts: traced).
import '../../shared/observability/tracing.js';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type OutboxRecord, relayOutbox } from '../../shared/app/relay-outbox.js';
import { eventBus } from '../../shared/composition/events.js';
import { DomainError } from '../../shared/domain/errors.js';
import { OUTBOX_ENTITY } from '../../shared/infra/table.js';
import { logger } from '../../shared/observability/powertools.js';

/**
 * Table stream consumer: puts new outbox items on the event bus. The mapping's filter passes only inserted
 * outbox items; anything else is acknowledged here too. A record that failed is reported with every record
 * after it, so the stream retries from it in order and, when its retries run out, dead-letters its batch.
 */
const deps = { bus: eventBus() };

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const outbox = event.Records.flatMap((record) => {
      const decoded = outboxRecordOf(record);
      return decoded === undefined
        ? []
        : [{ sequenceNumber: record.dynamodb?.SequenceNumber ?? '', decoded }];
    });
    const outcome = await relayOutbox(
      outbox.map((item) => item.decoded),
      deps.bus,
    );
    if (outcome.cause !== undefined) {
      const { index, error } = outcome.cause;
      logger.error('Outbox events not relayed; the stream retries them, then dead-letters the batch', {
        relayed: outcome.relayed,
        failed: outcome.failed.length,
        firstFailedSequenceNumber: outbox[index]?.sequenceNumber,
        error,
        // A ValidationError names the broken fields (never their values).
        details: error instanceof DomainError ? error.details : undefined,
      });
    }
    return {
      batchItemFailures: outcome.failed.map((index) => ({
        itemIdentifier: outbox[index]?.sequenceNumber ?? '',
      })),
    };
  });

/** The outbox item an inserted record carries, or undefined for any other record. */
function outboxRecordOf(record: DynamoDBRecord): OutboxRecord | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || image?.type?.S !== OUTBOX_ENTITY) return undefined;
  try {
    const item = unmarshall(image as Record<string, AttributeValue>);
    return { detailType: typeof item.detailType === 'string' ? item.detailType : '', detail: item.detail };
  } catch (error) {
    // An outbox item that cannot be read is a failure to report, not a record to skip.
    return { unreadable: error instanceof Error ? error : new Error(String(error)) };
  }
}
