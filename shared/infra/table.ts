/**
 * The single table's shape. CDK creates it from this module and the local stack creates the same table in
 * DynamoDB Local from it, so the two can never drift apart. The same goes for the table stream and its one
 * consumer: CDK builds the Lambda event source mapping from `streamConsumer`, the local stack's stream poller
 * (local/dynamodb-streams.ts) follows the same settings and applies the same filter.
 */
import type { EventPattern } from './events.js';
import type { FunctionName } from './functions.js';

export const TABLE_ENV = 'TABLE_NAME';

/**
 * The `type` of a transactional outbox item (shared/adapters/dynamodb/outbox.ts writes them): the stream
 * consumer's filter below and the relay select by it, so it lives with the table, not in the adapter.
 */
export const OUTBOX_ENTITY = 'OutboxEvent';

export interface StreamConsumerDefinition {
  fn: FunctionName;
  /** Records per invocation, at most (after filtering). */
  batchSize: number;
  /** How long the mapping may gather records before it invokes; 0 invokes as soon as there are any. */
  maxBatchingWindowSeconds: number;
  /**
   * Lambda event filtering (the EventBridge pattern syntax, matched against the stream record): records that
   * do not match never reach the function and cost no invocation. Only operators the local matcher knows.
   */
  filter: EventPattern;
  /** Where a new mapping starts reading. */
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  /** Retries of a failing record before its batch goes to the dead-letter queue. */
  retryAttempts: number;
  /** A record older than this goes to the dead-letter queue instead of the function. */
  maxRecordAgeSeconds: number;
  bisectBatchOnError: true;
  reportBatchItemFailures: true;
  /** Where the batches that kept failing are reported (the SQS on-failure destination). */
  deadLetterQueue: { localName: string; retentionSeconds: number };
}

/**
 * The transactional outbox relay (shared/adapters/dynamodb/outbox.ts): new outbox items go to the event bus.
 * A record that keeps failing holds the records behind it (a shard is read in order) until its retries run
 * out, so retries are few; its batch is then reported to the dead-letter queue, which has an alarm.
 *
 * When the retries run out, Lambda reports and skips the whole failing batch, and bisecting halves that batch
 * at each failure: with 10 records (one PutEvents call) a failing record is alone in its batch after 4
 * failures (10, 5, 3, 2, 1), so 6 retries report the broken record alone, not the good events behind it.
 */
const outboxRelay: StreamConsumerDefinition = {
  fn: 'outboxRelay',
  batchSize: 10,
  // An opened gift should show in the room at once; an idle relay costs nothing, so no batching window.
  maxBatchingWindowSeconds: 0,
  filter: { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: [OUTBOX_ENTITY] } } } },
  startingPosition: 'TRIM_HORIZON',
  retryAttempts: 6,
  // The stream keeps records for 24 h: an event that could not be relayed in a day is reported instead.
  maxRecordAgeSeconds: 86_400,
  bisectBatchOnError: true,
  reportBatchItemFailures: true,
  deadLetterQueue: { localName: 'tween-outbox-relay-dlq', retentionSeconds: 14 * 86_400 },
};

export const tableDefinition = {
  /** Physical name used by the local stack; CDK lets CloudFormation name the table. */
  localName: 'tween-payments',
  partitionKey: 'PK',
  sortKey: 'SK',
  timeToLiveAttribute: 'expiresAt',
  globalSecondaryIndexes: [
    { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    /** Sparse: only records waiting on a provider carry GSI2 keys (the reconciliation job's worklist). */
    { indexName: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  ],
  /** The table stream: every change, with the item as it is after the change. */
  stream: 'NEW_IMAGE',
  streamConsumer: outboxRelay,
} as const;

export type TableDefinition = typeof tableDefinition;
