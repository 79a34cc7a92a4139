import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { parseQueuedEvent, SqsWebhookQueue } from '../../../shared/adapters/aws/webhook-queue.js';
import {
  WEBHOOK_SORT_KEY,
  webhookIndexKey,
  webhookKey,
  webhookStatusPartition,
} from '../../../shared/adapters/dynamodb/keys.js';
import { DynamoDbWebhookInbox } from '../../../shared/adapters/dynamodb/webhook-inbox.js';
import type { ProviderEvent } from '../../../shared/app/payments/ports.js';

const TABLE = 'tween-payments-test';
const AT = '2026-03-01T12:00:00.000Z';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

const documentMock = mockClient(DynamoDBDocumentClient);
const sqsMock = mockClient(SQSClient);
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', credentials }));

const event: ProviderEvent = {
  provider: 'stripe',
  id: 'evt_1',
  type: 'payment_intent.succeeded',
  objectId: 'pi_1',
  paymentId: 'pi_1',
  createdAt: '2026-03-01T11:59:59.000Z',
  payload: { id: 'evt_1', data: { object: { id: 'pi_1' } } },
};

function conditionFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
}

/** The item as the adapter stores it for `event`, received at AT with the given status. */
function storedItem(status = 'received', extra: Record<string, unknown> = {}) {
  return {
    ...webhookKey('stripe:evt_1'),
    ...webhookIndexKey(status, AT, 'stripe:evt_1'),
    type: 'WebhookEvent',
    version: 1,
    eventId: 'stripe:evt_1',
    provider: 'stripe',
    providerEventId: 'evt_1',
    eventType: 'payment_intent.succeeded',
    objectId: 'pi_1',
    paymentId: 'pi_1',
    status,
    deliveries: 1,
    failures: 0,
    providerCreatedAt: event.createdAt,
    receivedAt: AT,
    updatedAt: AT,
    event: JSON.stringify(event),
    ...extra,
  };
}

describe('Function: webhookKey and webhookIndexKey', () => {
  it('keys an inbox event by its inbox id and indexes it by status, then received time and id', () => {
    // Act & Assert
    expect(webhookKey('stripe:evt_1')).toEqual({ PK: 'WEBHOOK#stripe:evt_1', SK: 'WEBHOOK' });
    expect(webhookIndexKey('failed', AT, 'stripe:evt_1')).toEqual({
      GSI1PK: 'WEBHOOKS#failed',
      GSI1SK: `${AT}#stripe:evt_1`,
    });
    expect(webhookStatusPartition('processed')).toBe('WEBHOOKS#processed');
  });

  it('returns index sort keys that order events by the time we received them, whatever their status', () => {
    // Arrange
    const earlier = webhookIndexKey('processed', '2026-03-01T12:00:00.000Z', 'stripe:evt_b');
    const later = webhookIndexKey('failed', '2026-03-01T12:00:01.000Z', 'stripe:evt_a');

    // Assert
    expect(earlier.GSI1SK < later.GSI1SK).toBe(true);
    expect(WEBHOOK_SORT_KEY.test(earlier.GSI1SK)).toBe(true);
    expect(WEBHOOK_SORT_KEY.test('2026-03-01#PAYMENTS#x')).toBe(false);
  });
});

describe('Class: DynamoDbWebhookInbox', () => {
  const inbox = new DynamoDbWebhookInbox(documentClient, TABLE);

  beforeEach(() => {
    documentMock.reset();
  });

  describe('Method: receive', () => {
    it('stores a new event as received with a conditional put, the event kept as its JSON', async () => {
      // Arrange
      documentMock.on(PutCommand).resolves({});

      // Act
      const { record, isNew } = await inbox.receive(event, AT);

      // Assert
      expect(isNew).toBe(true);
      expect(record).toMatchObject({ eventId: 'stripe:evt_1', status: 'received', deliveries: 1, event });
      expect(documentMock).toHaveReceivedCommandWith(PutCommand, {
        TableName: TABLE,
        ConditionExpression: 'attribute_not_exists(PK)',
        Item: storedItem(),
      });
    });

    it('counts the delivery and returns the stored record when the event was stored before', async () => {
      // Arrange
      documentMock.on(PutCommand).rejects(conditionFailed());
      documentMock
        .on(UpdateCommand)
        .resolves({ Attributes: storedItem('processed', { deliveries: 2, outcome: 'topup_completed' }) });

      // Act
      const { record, isNew } = await inbox.receive(event, '2026-03-01T12:05:00.000Z');

      // Assert
      expect(isNew).toBe(false);
      expect(record).toMatchObject({
        status: 'processed',
        deliveries: 2,
        outcome: 'topup_completed',
        receivedAt: AT,
        type: 'payment_intent.succeeded',
        event,
      });
      expect(documentMock).toHaveReceivedCommandWith(UpdateCommand, {
        Key: webhookKey('stripe:evt_1'),
        UpdateExpression: 'ADD deliveries :one',
        ReturnValues: 'ALL_NEW',
      });
    });
  });

  describe('Method: settle', () => {
    it("moves the event to its status's index partition, only while it is received or failed", async () => {
      // Arrange
      documentMock.on(UpdateCommand).resolves({ Attributes: storedItem('processed') });

      // Act
      await inbox.settle(
        'stripe:evt_1',
        {
          status: 'processed',
          outcome: 'topup_completed',
          subject: { type: 'topup', id: 'tu_1' },
          expiresAt: 42,
        },
        AT,
      );

      // Assert
      const input = documentMock.commandCalls(UpdateCommand)[0]?.args[0].input;
      expect(input?.ConditionExpression).toBe('#status IN (:open0, :open1)');
      expect(input?.ExpressionAttributeValues).toMatchObject({
        ':open0': 'received',
        ':open1': 'failed',
        ':f1': 'WEBHOOKS#processed',
        ':f4': { type: 'topup', id: 'tu_1' },
      });
      expect(input?.UpdateExpression).toMatch(/^SET .* ADD version :one$/);
      expect(Object.values(input?.ExpressionAttributeNames ?? {})).not.toContain('reason');
    });

    it('returns the record as settled before when a twin delivery settled it first', async () => {
      // Arrange
      documentMock.on(UpdateCommand).rejects(conditionFailed());
      documentMock.on(GetCommand).resolves({ Item: storedItem('ignored', { reason: 'not_ours' }) });

      // Act
      const record = await inbox.settle('stripe:evt_1', { status: 'processed', outcome: 'x' }, AT);

      // Assert
      expect(record).toMatchObject({ status: 'ignored', reason: 'not_ours' });
    });
  });

  describe('Method: fail', () => {
    it('counts the failure and keeps the error, leaving a settled event as it is', async () => {
      // Arrange
      documentMock.on(UpdateCommand).rejectsOnce(conditionFailed());

      // Act & Assert
      await expect(inbox.fail('stripe:evt_1', 'Error: boom', AT)).resolves.toBeUndefined();
      const input = documentMock.commandCalls(UpdateCommand)[0]?.args[0].input;
      expect(input?.UpdateExpression).toMatch(/ ADD version :one, failures :one$/);
      expect(input?.ExpressionAttributeValues).toMatchObject({
        ':f1': 'WEBHOOKS#failed',
        ':f2': 'Error: boom',
      });
    });
  });

  describe('Method: list', () => {
    it('queries each status partition newest first from the position and merges them on received time', async () => {
      // Arrange
      const after = `2026-03-01T13:00:00.000Z#stripe:evt_9`;
      const item = (status: string, at: string, id: string) => ({
        ...storedItem(status, { eventId: id, receivedAt: at }),
        ...webhookIndexKey(status, at, id),
      });
      documentMock
        .on(QueryCommand)
        .resolves({ Items: [] })
        .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'WEBHOOKS#processed', ':after': after } })
        .resolves({ Items: [item('processed', '2026-03-01T12:00:03.000Z', 'stripe:evt_3')] })
        .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'WEBHOOKS#failed', ':after': after } })
        .resolves({
          Items: [
            item('failed', '2026-03-01T12:00:04.000Z', 'stripe:evt_4'),
            item('failed', '2026-03-01T12:00:01.000Z', 'stripe:evt_1'),
          ],
        });

      // Act
      const page = await inbox.list({ limit: 2, after });

      // Assert
      expect(documentMock).toHaveReceivedCommandTimes(QueryCommand, 4);
      expect(documentMock).toHaveReceivedCommandWith(QueryCommand, {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK < :after',
        ScanIndexForward: false,
        Limit: 2,
      });
      expect(page.records.map((record) => record.eventId)).toEqual(['stripe:evt_4', 'stripe:evt_3']);
      expect(page.after).toBe('2026-03-01T12:00:03.000Z#stripe:evt_3');
    });

    it('refuses a position that is not a webhook index sort key', async () => {
      // Act & Assert
      await expect(inbox.list({ limit: 2, after: 'PAYMENTS#x' })).rejects.toThrow(
        'Not a webhook listing position',
      );
      expect(documentMock).toHaveReceivedCommandTimes(QueryCommand, 0);
    });
  });
});

describe('Class: SqsWebhookQueue', () => {
  beforeEach(() => {
    sqsMock.reset();
  });

  it("sends the event as JSON in its object's message group under the given deduplication id", async () => {
    // Arrange
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const queue = new SqsWebhookQueue(new SQSClient({ region: 'us-east-1', credentials }), 'https://queue');

    // Act
    await queue.enqueue(event, 'stripe:evt_1');

    // Assert
    expect(sqsMock).toHaveReceivedCommandWith(SendMessageCommand, {
      QueueUrl: 'https://queue',
      MessageGroupId: 'pi_1',
      MessageDeduplicationId: 'stripe:evt_1',
      MessageBody: JSON.stringify(event),
    });
  });
});

describe('Function: parseQueuedEvent', () => {
  it('returns the event a queued body was sent as', () => {
    // Act & Assert
    expect(parseQueuedEvent(JSON.stringify(event))).toEqual(event);
  });

  it.each([
    ['not JSON', 'nope'],
    ['no object id', JSON.stringify({ ...event, objectId: undefined })],
    ['another provider', JSON.stringify({ ...event, provider: 'acme' })],
  ])('throws for a body with %s', (_case, body) => {
    // Act & Assert
    expect(() => parseQueuedEvent(body)).toThrow();
  });
});
