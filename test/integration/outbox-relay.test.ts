/**
 * The transactional outbox relay on the running local stack: outbox items are written straight into the table
 * (as a state change's transaction would write them), the table stream's mapping hands them to the relay, and
 * the bus, the Matrix room and the stream's dead-letter queue are read back over their endpoints. Other test
 * files share the stack, so every test makes its own room and ids.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { EventBridgeEvent } from 'aws-lambda';
import type { StreamFailureReport } from '../../local/dynamodb-streams.js';
import { LOCAL_ACCOUNT } from '../../local/sqs/queues.js';
import { type OutboxItem, outboxItem } from '../../shared/adapters/dynamodb/outbox.js';
import { type DomainEventDetail, domainEventId } from '../../shared/domain/events.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { call, endpoint } from '../support/api.js';
import { joinRoom, roomEvents, waitFor } from '../support/stack.js';

const awsConfig = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 1,
};
const BOB = '@bob:tween.example';
const { streamConsumer } = tableDefinition;

function newRoom(): string {
  return `!gift-${randomUUID()}:tween.example`;
}

/** The events on the local bus that carry the domain event id. */
async function busEventsOf(eventId: string): Promise<EventBridgeEvent<string, Record<string, unknown>>[]> {
  const view = await call<{ events: EventBridgeEvent<string, Record<string, unknown>>[] }>(
    'GET',
    '/local/events',
  );
  return view.body.events.filter((event) => event.detail.eventId === eventId);
}

/** A gift.opened detail; without a room it goes to the audit log only (no room to post to). */
function giftOpened(roomId?: string): DomainEventDetail<'gift.opened'> {
  const giftId = `gift_${randomUUID()}`;
  return {
    eventId: domainEventId('gift.opened', giftId, BOB),
    occurredAt: '2030-01-01T10:00:00.000Z',
    ...(roomId === undefined ? {} : { roomId }),
    giftId,
    userId: BOB,
    amount: 250,
    currency: 'USD',
    remaining: 2,
  };
}

describe('Function: outboxRelay (local stack)', () => {
  let documents: DynamoDBDocumentClient;
  let streams: DynamoDBStreamsClient;
  let sqs: SQSClient;

  beforeAll(() => {
    documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({ ...awsConfig, endpoint: endpoint('dynamodb') }),
    );
    // Through the counting proxy, as any client of the local DynamoDB endpoint would read the stream.
    streams = new DynamoDBStreamsClient({ ...awsConfig, endpoint: endpoint('dynamodb') });
    sqs = new SQSClient({ ...awsConfig, endpoint: endpoint('sqs') });
  });

  afterAll(() => {
    documents.destroy();
    streams.destroy();
    sqs.destroy();
  });

  async function write(item: OutboxItem | Record<string, unknown>): Promise<void> {
    await documents.send(new PutCommand({ TableName: tableDefinition.localName, Item: item }));
  }

  /** Waits for the dead-letter report whose batch holds the record with this key, and takes it off the queue. */
  async function deadLetterReportOf(
    pk: string,
  ): Promise<{ report: StreamFailureReport; records: StreamRecord[] }> {
    const queueUrl = `${endpoint('sqs')}/${LOCAL_ACCOUNT}/${streamConsumer.deadLetterQueue.localName}`;
    return waitFor(async () => {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      for (const message of Messages) {
        const report = JSON.parse(message.Body ?? '{}') as StreamFailureReport;
        const records = await reportedRecords(report);
        if (!records.some((record) => record.dynamodb?.Keys?.PK?.S === pk)) continue;
        await sqs.send(
          new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
        );
        return { report, records };
      }
      return undefined;
    }, `the dead-letter report of ${pk}`);
  }

  /** The records a report names, read back from the stream by shard and sequence numbers (as ops would). */
  async function reportedRecords(report: StreamFailureReport): Promise<StreamRecord[]> {
    const batch = report.DDBStreamBatchInfo;
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: batch.streamArn,
        ShardId: batch.shardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        SequenceNumber: batch.startSequenceNumber,
      }),
    );
    const { Records = [] } = await streams.send(new GetRecordsCommand({ ShardIterator, Limit: 100 }));
    const end = BigInt(batch.endSequenceNumber);
    return Records.filter((record) => BigInt(record.dynamodb?.SequenceNumber ?? '0') <= end);
  }

  it('puts a new outbox item on the bus once, and the room publisher posts m.tween.gift.opened', async () => {
    // Arrange
    const roomId = newRoom();
    await joinRoom(roomId, BOB);
    const detail = giftOpened(roomId);

    // Act
    await write(outboxItem('gift.opened', detail, new Date()));
    const [posted] = await waitFor(async () => {
      const sent = await roomEvents(roomId);
      return sent.length > 0 ? sent : undefined;
    }, 'the room event');

    // Assert
    const onBus = await busEventsOf(detail.eventId);
    expect(onBus).toHaveLength(1);
    expect(onBus[0]).toMatchObject({
      source: 'tween.payments',
      'detail-type': 'gift.opened',
      time: '2030-01-01T10:00:00Z',
      detail,
    });
    expect(posted).toMatchObject({
      type: 'm.tween.gift.opened',
      room_id: roomId,
      txn_id: detail.eventId,
      content: { gift_id: detail.giftId, user_id: BOB, amount: 250, currency: 'USD', remaining: 2 },
    });
  });

  it('relays an outbox item once, not again when the item is written over (a MODIFY, not an INSERT)', async () => {
    // Arrange
    const detail = giftOpened();
    const item = outboxItem('gift.opened', detail, new Date());
    await write(item);
    await waitFor(
      async () => ((await busEventsOf(detail.eventId)).length > 0 ? true : undefined),
      'the event',
    );

    // Act: the same item again, then a fresh one behind it, so that the relay has read past the rewrite
    await write({ ...item, expiresAt: item.expiresAt + 60 });
    const marker = giftOpened();
    await write(outboxItem('gift.opened', marker, new Date()));
    await waitFor(
      async () => ((await busEventsOf(marker.eventId)).length > 0 ? true : undefined),
      'the marker',
    );

    // Assert
    expect(await busEventsOf(detail.eventId)).toHaveLength(1);
  });

  it('reports an outbox item whose detail breaks its schema to the dead-letter queue, after the retries, and never relays it', async () => {
    // Arrange
    const roomId = newRoom();
    await joinRoom(roomId, BOB);
    const valid = outboxItem('gift.opened', giftOpened(roomId), new Date());
    const broken = { ...valid, detail: { ...valid.detail, amount: '2.50' } };

    // Act
    await write(broken);
    const { report, records } = await deadLetterReportOf(broken.PK);

    // Assert: the broken record alone, after every retry; the bus and the room never saw it
    expect(report).toMatchObject({
      requestContext: {
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: streamConsumer.retryAttempts + 1,
      },
      DDBStreamBatchInfo: { batchSize: 1 },
    });
    expect(records.map((record) => record.dynamodb?.Keys?.PK?.S)).toEqual([broken.PK]);
    expect(await busEventsOf(String(valid.detail.eventId))).toEqual([]);
    expect(await roomEvents(roomId)).toEqual([]);
  });

  it('relays the events written behind a broken one once its report is sent, in order', async () => {
    // Arrange
    const valid = outboxItem('gift.opened', giftOpened(), new Date());
    const broken = { ...valid, detail: { ...valid.detail, currency: 'usd' } };
    const behind = giftOpened();

    // Act
    await write(broken);
    await write(outboxItem('gift.opened', behind, new Date()));
    await deadLetterReportOf(broken.PK);
    const relayed = await waitFor(async () => {
      const events = await busEventsOf(behind.eventId);
      return events.length > 0 ? events : undefined;
    }, 'the event behind the broken one');

    // Assert
    expect(relayed).toHaveLength(1);
  });
});
