import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { outboxItem } from '../../../shared/adapters/dynamodb/outbox.js';
import { type DomainEventDetail, domainEventId } from '../../../shared/domain/events.js';
import { lambdaContext } from '../../support/events.js';

// Read at import (cold start): the bus name, and Powertools without metrics, X-Ray or logs.
process.env.EVENT_BUS_NAME = 'tween-payments-test';
process.env.AWS_REGION = 'us-east-1';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const eventBridgeMock = mockClient(EventBridgeClient);
const { handler } = await import('../../../functions/events/outbox-relay.js');

const ROOM = '!chat:tween.example';
const BOB = '@bob:tween.example';
const NOW = new Date('2030-01-01T10:00:00.000Z');

function giftOpened(giftId: string): DomainEventDetail<'gift.opened'> {
  return {
    eventId: domainEventId('gift.opened', giftId, BOB),
    occurredAt: NOW.toISOString(),
    roomId: ROOM,
    giftId,
    userId: BOB,
    amount: 250,
    currency: 'USD',
    remaining: 1,
  };
}

let sequence = 100;

/** A stream record as Lambda hands it over, for an item of the table. */
function streamRecord(
  item: Record<string, unknown>,
  eventName: DynamoDBRecord['eventName'] = 'INSERT',
): DynamoDBRecord {
  sequence += 1;
  const image = marshall(item) as Record<string, AttributeValue>;
  return {
    eventID: `event-${sequence}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: NOW.getTime() / 1000,
      Keys: { PK: image.PK ?? { S: '' }, SK: image.SK ?? { S: '' } },
      ...(eventName === 'REMOVE' ? {} : { NewImage: image }),
      SequenceNumber: String(sequence),
      SizeBytes: 100,
      StreamViewType: 'NEW_IMAGE',
    },
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/tween/stream/2030-01-01T00:00:00.000',
  };
}

const outboxRecord = (giftId: string) =>
  streamRecord({ ...outboxItem('gift.opened', giftOpened(giftId), NOW) });
const invoke = (records: DynamoDBRecord[]) =>
  handler({ Records: records } satisfies DynamoDBStreamEvent, lambdaContext('outboxRelay'));
const sentEntries = (): PutEventsRequestEntry[] =>
  eventBridgeMock.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries ?? []);

describe('Function: outboxRelay', () => {
  beforeEach(() => {
    eventBridgeMock.reset();
    eventBridgeMock.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((_, index) => ({ EventId: `bus-${index}` })),
    }));
  });

  it('puts each inserted outbox item on the bus named by EVENT_BUS_NAME and reports no failure', async () => {
    // Arrange
    const records = [outboxRecord('g1'), outboxRecord('g2')];

    // Act
    const response = await invoke(records);

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sentEntries()).toEqual([
      expect.objectContaining({
        EventBusName: 'tween-payments-test',
        Source: 'tween.payments',
        DetailType: 'gift.opened',
        Detail: JSON.stringify(giftOpened('g1')),
      }),
      expect.objectContaining({ Detail: JSON.stringify(giftOpened('g2')) }),
    ]);
  });

  it('acknowledges records that are not inserted outbox items without putting anything', async () => {
    // Arrange
    const item = { ...outboxItem('gift.opened', giftOpened('g1'), NOW) };
    const records = [
      streamRecord(item, 'MODIFY'),
      streamRecord(item, 'REMOVE'),
      streamRecord({ PK: 'GIFT#g1', SK: 'GIFT', type: 'Gift', remaining: 1 }),
    ];

    // Act
    const response = await invoke(records);

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(eventBridgeMock).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('reports a broken outbox item and every record after it by sequence number, and puts the ones before', async () => {
    // Arrange
    const broken = { ...outboxItem('gift.opened', giftOpened('g2'), NOW) };
    broken.detail = { ...broken.detail, amount: '2.50' };
    const records = [outboxRecord('g1'), streamRecord(broken), outboxRecord('g3')];

    // Act
    const response = await invoke(records);

    // Assert
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: records[1]?.dynamodb?.SequenceNumber },
      { itemIdentifier: records[2]?.dynamodb?.SequenceNumber },
    ]);
    expect(sentEntries().map((entry) => entry.Detail)).toEqual([JSON.stringify(giftOpened('g1'))]);
  });

  it('reports an outbox item without a detail-type instead of acknowledging it', async () => {
    // Arrange
    const { detailType: _dropped, ...withoutType } = outboxItem('gift.opened', giftOpened('g1'), NOW);
    const record = streamRecord(withoutType);

    // Act
    const response = await invoke([record]);

    // Assert
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.dynamodb?.SequenceNumber }]);
    expect(eventBridgeMock).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('reports the event the bus rejected and every record after it', async () => {
    // Arrange
    eventBridgeMock.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [
        { EventId: 'bus-0' },
        { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' },
        {},
      ],
    });
    const records = [outboxRecord('g1'), outboxRecord('g2'), outboxRecord('g3')];

    // Act
    const response = await invoke(records);

    // Assert
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual([
      records[1]?.dynamodb?.SequenceNumber,
      records[2]?.dynamodb?.SequenceNumber,
    ]);
  });

  it('throws when the bus cannot be reached, so the stream retries the whole batch', async () => {
    // Arrange
    eventBridgeMock.on(PutEventsCommand).rejects(new Error('connect ECONNREFUSED'));

    // Act & Assert
    await expect(invoke([outboxRecord('g1')])).rejects.toThrow('ECONNREFUSED');
  });
});
