/**
 * DynamoDbBreakerStore: the requests it sends (aws-sdk-client-mock), and how it reads their answers. The
 * concurrency guarantees are DynamoDB's: `ADD` never loses a count, a condition on `openedAt` lets one
 * writer win.
 */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoDbBreakerStore } from '../../../shared/adapters/dynamodb/breaker-store.js';
import { breakerKey } from '../../../shared/adapters/dynamodb/keys.js';

const TABLE = 'tween-payments-test';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const documentMock = mockClient(DynamoDBDocumentClient);
const store = new DynamoDbBreakerStore(
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', credentials })),
  TABLE,
);
const T0 = 1_700_000_000_000;

function conditionFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
}

describe('Function: breakerKey', () => {
  it('returns BREAKER#<name> / BREAKER', () => {
    expect(breakerKey('stripe')).toEqual({ PK: 'BREAKER#stripe', SK: 'BREAKER' });
  });
});

describe('Class: DynamoDbBreakerStore', () => {
  beforeEach(() => {
    documentMock.reset();
  });

  describe('Method: read', () => {
    it('returns a closed breaker with no failures when the item does not exist', async () => {
      // Arrange
      documentMock.on(GetCommand).resolves({});

      // Act
      const state = await store.read('stripe');

      // Assert
      expect(state).toEqual({ failures: 0 });
      expect(documentMock).toHaveReceivedCommandWith(GetCommand, {
        TableName: TABLE,
        Key: { PK: 'BREAKER#stripe', SK: 'BREAKER' },
      });
    });

    it('returns the failures and openedAt stored', async () => {
      // Arrange
      documentMock.on(GetCommand).resolves({ Item: { failures: 5, openedAt: T0 } });

      // Act / Assert
      expect(await store.read('stripe')).toEqual({ failures: 5, openedAt: T0 });
    });
  });

  describe('Method: addFailure', () => {
    it('adds one with ADD and returns the state after it', async () => {
      // Arrange
      documentMock.on(UpdateCommand).resolves({ Attributes: { failures: 4 } });

      // Act
      const state = await store.addFailure('stripe');

      // Assert
      expect(state).toEqual({ failures: 4 });
      expect(documentMock).toHaveReceivedCommandWith(UpdateCommand, {
        Key: breakerKey('stripe'),
        UpdateExpression: 'SET #type = :type ADD failures :one',
        ExpressionAttributeValues: { ':type': 'CircuitBreaker', ':one': 1 },
        ReturnValues: 'ALL_NEW',
      });
    });
  });

  describe('Method: open', () => {
    it('opens only while no openedAt exists when the caller saw it closed', async () => {
      // Arrange
      documentMock.on(UpdateCommand).resolves({});

      // Act
      const won = await store.open('stripe', undefined, T0);

      // Assert
      expect(won).toBe(true);
      expect(documentMock).toHaveReceivedCommandWith(UpdateCommand, {
        UpdateExpression: 'SET #type = :type, openedAt = :at',
        ConditionExpression: 'attribute_not_exists(openedAt)',
        ExpressionAttributeValues: { ':type': 'CircuitBreaker', ':at': T0 },
      });
    });

    it('claims the trial only while openedAt is still the one seen, and returns false when another won', async () => {
      // Arrange
      documentMock.on(UpdateCommand).rejects(conditionFailed());

      // Act
      const won = await store.open('stripe', T0, T0 + 30_000);

      // Assert
      expect(won).toBe(false);
      expect(documentMock).toHaveReceivedCommandWith(UpdateCommand, {
        ConditionExpression: 'openedAt = :expected',
        ExpressionAttributeValues: { ':type': 'CircuitBreaker', ':at': T0 + 30_000, ':expected': T0 },
      });
    });

    it('rethrows any other error', async () => {
      // Arrange
      documentMock.on(UpdateCommand).rejects(new Error('throttled'));

      // Act / Assert
      await expect(store.open('stripe', undefined, T0)).rejects.toThrow('throttled');
    });
  });

  describe('Method: close', () => {
    it('resets the failures and removes openedAt only while openedAt is the trial claim', async () => {
      // Arrange
      documentMock.on(UpdateCommand).resolves({});

      // Act
      const won = await store.close('stripe', T0);

      // Assert
      expect(won).toBe(true);
      expect(documentMock).toHaveReceivedCommandWith(UpdateCommand, {
        UpdateExpression: 'SET #type = :type, failures = :zero REMOVE openedAt',
        ConditionExpression: 'openedAt = :expected',
        ExpressionAttributeValues: { ':type': 'CircuitBreaker', ':zero': 0, ':expected': T0 },
      });
    });

    it('returns false when the breaker opened meanwhile (a closed-state reset lost the race)', async () => {
      // Arrange
      documentMock.on(UpdateCommand).rejects(conditionFailed());

      // Act / Assert
      expect(await store.close('stripe', undefined)).toBe(false);
    });
  });
});
