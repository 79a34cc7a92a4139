/**
 * The table stream's event source mapping, locally: reads the stream of the table in DynamoDB Local shard by
 * shard (parents before children), drops the records the consumer's filter does not match (as Lambda event
 * filtering does), hands the rest to the consumer function as a DynamoDBStreamEvent and honours
 * `batchItemFailures`, all from the same definition CDK deploys (`tableDefinition.streamConsumer`).
 *
 * A failed record is read again from its sequence number, in a batch half as large after each failure (bisect
 * on error), until the retries run out; then the batch is reported to the dead-letter queue (an SQS queue of
 * the local SQS, with the message Lambda sends to an on-failure destination: shard and sequence numbers, never
 * the records) and skipped. Records older than the maximum record age go there without an invocation.
 * The reports are also kept in memory (`deadLetters()`).
 *
 * Differences from AWS, on purpose: the position is not persisted, so on a table kept from an earlier start
 * the mapping begins at the end of the stream (that run relayed what it could); GetRecords calls go to the
 * engine, not the counting proxy (Lambda's stream polling is not billed); a retry waits `retryDelayMs`.
 */
import { randomUUID } from 'node:crypto';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type AttributeValue,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type Shard,
  type ShardIteratorType,
  type _Record as StreamRecord,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import { CreateQueueCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type {
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  AttributeValue as LambdaAttributeValue,
} from 'aws-lambda';
import { type StreamConsumerDefinition, tableDefinition } from '../shared/infra/table.js';
import { matchesPattern } from './eventbridge/pattern.js';
import type { LocalLambda } from './lambda.js';

export interface TableStreamMappingOptions {
  /** The DynamoDB Local engine (stream reads are not counted as requests). */
  endpoint: string;
  tableName: string;
  /** False when the table was kept from an earlier start: the mapping then begins at the end of the stream. */
  tableCreated: boolean;
  /** The local SQS, where the dead-letter queue is created. */
  sqs: SQSClient;
  lambda: LocalLambda;
  consumer?: StreamConsumerDefinition;
  idleDelayMs?: number;
  retryDelayMs?: number;
  /** How often the shard list is read again while every shard is open (new shards after a split). */
  shardRefreshMs?: number;
}

/** What Lambda sends to a stream mapping's on-failure destination. */
export interface StreamFailureReport {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
    approximateInvokeCount: number;
  };
  responseContext: { statusCode: number; executedVersion: string; functionError?: string };
  version: '1.0';
  timestamp: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

type Position =
  | { type: 'TRIM_HORIZON' | 'LATEST' }
  | { type: 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string };

interface ShardState {
  id: string;
  parentId: string | undefined;
  position: Position;
  iterator: string | undefined;
  finished: boolean;
  /** The record the last invocations failed on, how often, and whether the function threw. */
  failing: { sequenceNumber: string; failures: number; threw: boolean } | undefined;
  retryAt: number;
}

interface Delivery {
  /** Index (in the batch) of the first record to retry; undefined when the whole batch succeeded. */
  failedAt: number | undefined;
  threw: boolean;
}

const REGION = 'us-east-1';
const DEAD_LETTERS_KEPT = 1_000;

export class TableStreamMapping {
  readonly #options: TableStreamMappingOptions;
  readonly #consumer: StreamConsumerDefinition;
  readonly #dynamoDb: DynamoDBClient;
  readonly #streams: DynamoDBStreamsClient;
  readonly #shards = new Map<string, ShardState>();
  readonly #deadLetters: StreamFailureReport[] = [];
  #streamArn = '';
  #deadLetterQueueUrl = '';
  #shardsReadAt = 0;
  #running = false;
  #loop: Promise<void> | undefined;
  #lastError: unknown;

  constructor(options: TableStreamMappingOptions) {
    this.#options = options;
    this.#consumer = options.consumer ?? tableDefinition.streamConsumer;
    const config = {
      endpoint: options.endpoint,
      region: REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    };
    this.#dynamoDb = new DynamoDBClient(config);
    this.#streams = new DynamoDBStreamsClient(config);
  }

  /** Creates the dead-letter queue, finds the table's stream and starts polling it. */
  async start(): Promise<void> {
    if (this.#running) return;
    const { QueueUrl } = await this.#options.sqs.send(
      new CreateQueueCommand({
        QueueName: this.#consumer.deadLetterQueue.localName,
        Attributes: { MessageRetentionPeriod: String(this.#consumer.deadLetterQueue.retentionSeconds) },
      }),
    );
    const { Table } = await this.#dynamoDb.send(
      new DescribeTableCommand({ TableName: this.#options.tableName }),
    );
    if (QueueUrl === undefined)
      throw new Error('The local SQS returned no URL for the stream dead-letter queue');
    if (Table?.LatestStreamArn === undefined || Table.StreamSpecification?.StreamEnabled !== true) {
      throw new Error(`The table ${this.#options.tableName} has no stream`);
    }
    this.#deadLetterQueueUrl = QueueUrl;
    this.#streamArn = Table.LatestStreamArn;
    this.#running = true;
    this.#loop = this.#poll();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    this.#dynamoDb.destroy();
    this.#streams.destroy();
  }

  /** The failure reports sent to the dead-letter queue, oldest first. */
  deadLetters(): readonly StreamFailureReport[] {
    return this.#deadLetters;
  }

  /** The last error of a polling round (the loop keeps going), for diagnosis. */
  lastError(): unknown {
    return this.#lastError;
  }

  /** Reads every readable shard once; returns how many matching records it handled. */
  async pollOnce(): Promise<number> {
    const refreshDue = Date.now() - this.#shardsReadAt >= (this.#options.shardRefreshMs ?? 5_000);
    if (this.#shards.size === 0 || refreshDue) await this.#readShards();
    let handled = 0;
    let closed = false;
    for (const shard of this.#readable()) {
      if (Date.now() < shard.retryAt) continue;
      handled += await this.#readShard(shard);
      closed ||= shard.finished;
    }
    if (closed) await this.#readShards();
    return handled;
  }

  async #poll(): Promise<void> {
    while (this.#running) {
      let handled = 0;
      try {
        handled = await this.pollOnce();
      } catch (error) {
        // The engine went away (shutdown) or hiccuped: kept for diagnosis, the next round starts over from the
        // shards' positions.
        this.#lastError = error;
      }
      if (handled === 0) await sleep(this.#options.idleDelayMs ?? 100);
    }
  }

  /** Adds the shards not seen yet; the first ones start at the starting position, later ones (children) at the start. */
  async #readShards(): Promise<void> {
    const first = this.#shards.size === 0;
    const startingPosition = this.#options.tableCreated ? this.#consumer.startingPosition : 'LATEST';
    const shards: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.#streams.send(
        new DescribeStreamCommand({
          StreamArn: this.#streamArn,
          ...(exclusiveStartShardId === undefined ? {} : { ExclusiveStartShardId: exclusiveStartShardId }),
        }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId !== undefined);
    for (const shard of shards) {
      if (shard.ShardId === undefined || this.#shards.has(shard.ShardId)) continue;
      const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
      const type = first ? startingPosition : 'TRIM_HORIZON';
      this.#shards.set(shard.ShardId, {
        id: shard.ShardId,
        parentId: shard.ParentShardId,
        position: { type },
        iterator: undefined,
        // Starting at the end, a closed shard has nothing left to read.
        finished: type === 'LATEST' && closed,
        failing: undefined,
        retryAt: 0,
      });
    }
    this.#shardsReadAt = Date.now();
  }

  /** Open shards whose parent is done (or unknown: trimmed from the stream), so a key's records stay in order. */
  #readable(): ShardState[] {
    return [...this.#shards.values()].filter((shard) => {
      if (shard.finished) return false;
      const parent = shard.parentId === undefined ? undefined : this.#shards.get(shard.parentId);
      return parent === undefined || parent.finished;
    });
  }

  async #readShard(shard: ShardState): Promise<number> {
    let answer: GetRecordsCommandOutput;
    try {
      shard.iterator ??= await this.#iteratorFor(shard);
      answer = await this.#streams.send(
        new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: 1000 }),
      );
    } catch (error) {
      // An iterator expires after 15 minutes; trimmed data is gone: open a new one from the position.
      if (error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException) {
        shard.iterator = undefined;
        if (error instanceof TrimmedDataAccessException) shard.position = { type: 'TRIM_HORIZON' };
        return 0;
      }
      throw error;
    }

    const records = (answer.Records ?? []).map((record) => this.#toLambdaRecord(record));
    const matching = records.filter((record) => matchesPattern(this.#consumer.filter, record));
    for (let start = 0; start < matching.length; ) {
      const expired = this.#expiredRun(matching, start);
      if (expired.length > 0) {
        await this.#deadLetter(shard, expired, 'RecordAgeExceeded', 0, false);
        start += expired.length;
        continue;
      }
      const batch = matching.slice(start, start + this.#batchLimit(shard, matching[start]));
      const delivery = await this.#deliver(batch);
      if (delivery.failedAt === undefined) {
        shard.failing = undefined;
        start += batch.length;
        continue;
      }
      await this.#retryOrGiveUp(shard, batch.slice(delivery.failedAt), delivery.threw);
      return start + batch.length;
    }

    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    if (last !== undefined) shard.position = { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: last };
    shard.iterator = answer.NextShardIterator;
    // No next iterator: the shard is closed and read to its end; its children come next.
    shard.finished = answer.NextShardIterator === undefined;
    return matching.length;
  }

  async #iteratorFor(shard: ShardState): Promise<string> {
    const { position } = shard;
    const { ShardIterator } = await this.#streams.send(
      new GetShardIteratorCommand({
        StreamArn: this.#streamArn,
        ShardId: shard.id,
        ShardIteratorType: position.type satisfies ShardIteratorType,
        ...('sequenceNumber' in position ? { SequenceNumber: position.sequenceNumber } : {}),
      }),
    );
    if (ShardIterator === undefined) throw new Error(`No iterator for shard ${shard.id}`);
    return ShardIterator;
  }

  /** The batch size for a batch starting at `first`: halved after each failure of that record (bisect). */
  #batchLimit(shard: ShardState, first: DynamoDBRecord | undefined): number {
    const { batchSize, bisectBatchOnError } = this.#consumer;
    const failures =
      shard.failing !== undefined && shard.failing.sequenceNumber === first?.dynamodb?.SequenceNumber
        ? shard.failing.failures
        : 0;
    return bisectBatchOnError ? Math.max(1, Math.ceil(batchSize / 2 ** failures)) : batchSize;
  }

  /** The records from `start` on that are older than the maximum record age. */
  #expiredRun(records: readonly DynamoDBRecord[], start: number): DynamoDBRecord[] {
    const oldest = Date.now() / 1000 - this.#consumer.maxRecordAgeSeconds;
    const expired: DynamoDBRecord[] = [];
    for (const record of records.slice(start)) {
      if ((record.dynamodb?.ApproximateCreationDateTime ?? Number.POSITIVE_INFINITY) >= oldest) break;
      expired.push(record);
    }
    return expired;
  }

  /** Invokes the consumer; a throw or a malformed report fails the whole batch, as on AWS. */
  async #deliver(batch: readonly DynamoDBRecord[]): Promise<Delivery> {
    const event: DynamoDBStreamEvent = { Records: [...batch] };
    let result: unknown;
    try {
      result = await this.#options.lambda.invoke(this.#consumer.fn, event);
    } catch {
      // The function threw (LocalLambda counted it): the whole batch failed and is retried.
      return { failedAt: 0, threw: true };
    }
    const failures = (result as Partial<DynamoDBBatchResponse> | null | undefined)?.batchItemFailures;
    if (!Array.isArray(failures) || failures.length === 0) return { failedAt: undefined, threw: false };
    const sequenceNumbers = batch.map((record) => record.dynamodb?.SequenceNumber);
    const indexes = failures.map((failure) =>
      typeof failure?.itemIdentifier === 'string' && failure.itemIdentifier !== ''
        ? sequenceNumbers.indexOf(failure.itemIdentifier)
        : -1,
    );
    if (indexes.some((index) => index < 0)) return { failedAt: 0, threw: false };
    // The lowest failed sequence number is the checkpoint: every record from it on is retried.
    return { failedAt: Math.min(...indexes), threw: false };
  }

  async #retryOrGiveUp(shard: ShardState, failed: readonly DynamoDBRecord[], threw: boolean): Promise<void> {
    const [first] = failed;
    const sequenceNumber = first?.dynamodb?.SequenceNumber ?? '';
    const failures = shard.failing?.sequenceNumber === sequenceNumber ? shard.failing.failures + 1 : 1;
    shard.iterator = undefined;
    if (failures <= this.#consumer.retryAttempts) {
      shard.failing = { sequenceNumber, failures, threw };
      shard.position = { type: 'AT_SEQUENCE_NUMBER', sequenceNumber };
      shard.retryAt = Date.now() + (this.#options.retryDelayMs ?? 100);
      return;
    }
    // Retries exhausted: the failing batch (bisected down to the failed record, if the retries allowed) is
    // reported and skipped.
    const reported = failed.slice(0, this.#batchLimit(shard, first));
    await this.#deadLetter(shard, reported, 'RetryAttemptsExhausted', failures, threw);
    shard.failing = undefined;
    const last = reported.at(-1)?.dynamodb?.SequenceNumber ?? sequenceNumber;
    shard.position = { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: last };
  }

  async #deadLetter(
    shard: ShardState,
    records: readonly DynamoDBRecord[],
    condition: StreamFailureReport['requestContext']['condition'],
    invokeCount: number,
    threw: boolean,
  ): Promise<void> {
    const arrival = (record: DynamoDBRecord | undefined) =>
      new Date((record?.dynamodb?.ApproximateCreationDateTime ?? 0) * 1000).toISOString();
    const report: StreamFailureReport = {
      requestContext: {
        requestId: randomUUID(),
        functionArn: this.#options.lambda.arnOf(this.#consumer.fn),
        condition,
        approximateInvokeCount: invokeCount,
      },
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(threw ? { functionError: 'Unhandled' } : {}),
      },
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId: shard.id,
        startSequenceNumber: records[0]?.dynamodb?.SequenceNumber ?? '',
        endSequenceNumber: records.at(-1)?.dynamodb?.SequenceNumber ?? '',
        approximateArrivalOfFirstRecord: arrival(records[0]),
        approximateArrivalOfLastRecord: arrival(records.at(-1)),
        batchSize: records.length,
        streamArn: this.#streamArn,
      },
    };
    await this.#options.sqs.send(
      new SendMessageCommand({ QueueUrl: this.#deadLetterQueueUrl, MessageBody: JSON.stringify(report) }),
    );
    this.#deadLetters.push(report);
    if (this.#deadLetters.length > DEAD_LETTERS_KEPT) this.#deadLetters.shift();
  }

  /** A stream record as Lambda hands it over: JSON attribute values (binary as base64), epoch seconds. */
  #toLambdaRecord(record: StreamRecord): DynamoDBRecord {
    const data = record.dynamodb;
    const created = data?.ApproximateCreationDateTime;
    return {
      ...(record.eventID === undefined ? {} : { eventID: record.eventID }),
      ...(record.eventName === undefined ? {} : { eventName: record.eventName }),
      eventVersion: record.eventVersion ?? '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: REGION,
      eventSourceARN: this.#streamArn,
      dynamodb: {
        ...(created === undefined
          ? {}
          : { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) }),
        ...(data?.Keys === undefined ? {} : { Keys: toLambdaImage(data.Keys) }),
        ...(data?.NewImage === undefined ? {} : { NewImage: toLambdaImage(data.NewImage) }),
        ...(data?.OldImage === undefined ? {} : { OldImage: toLambdaImage(data.OldImage) }),
        ...(data?.SequenceNumber === undefined ? {} : { SequenceNumber: data.SequenceNumber }),
        ...(data?.SizeBytes === undefined ? {} : { SizeBytes: data.SizeBytes }),
        ...(data?.StreamViewType === undefined ? {} : { StreamViewType: data.StreamViewType }),
      },
    };
  }
}

/** An item image of the Streams API as Lambda's event carries it (binary as base64). */
export function toLambdaImage(image: Record<string, AttributeValue>): Record<string, LambdaAttributeValue> {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toLambdaValue(value)]));
}

function toLambdaValue(value: AttributeValue): LambdaAttributeValue {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((item) => Buffer.from(item).toString('base64')) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaValue) };
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  // DynamoDB Local writes an empty map into stream records as `{}` (AWS sends `{"M":{}}`); no other
  // attribute value can be empty.
  if (Object.keys(value).length === 0) return { M: {} };
  throw new Error(`Unknown attribute value type: ${Object.keys(value).join(', ')}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
