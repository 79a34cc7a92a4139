import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoDbAuditLog } from '../../../shared/adapters/dynamodb/audit-log.js';
import { auditEventIndexKey, auditEventKey } from '../../../shared/adapters/dynamodb/keys.js';
import type { AuditLog, DomainEventRecord } from '../../../shared/app/ports.js';
import { recordDomainEvent } from '../../../shared/app/record-domain-event.js';

const TABLE = 'tween-payments-test';

const documentMock = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
);

const event: DomainEventRecord = {
  id: '0b7a2f5e-1111-4222-8333-444455556666',
  source: 'tween.payments',
  detailType: 'PaymentCompleted',
  time: '2030-01-02T03:04:05Z',
  detail: { paymentId: 'pay_1', amount: { value: 9999, currency: 'USD' } },
};

function conditionFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
}

describe('Class: DynamoDbAuditLog', () => {
  beforeEach(() => {
    documentMock.reset();
  });

  describe('Method: append', () => {
    it('returns true after a conditional put of the event under its keys', async () => {
      // Arrange
      documentMock.on(PutCommand).resolves({});
      const auditLog = new DynamoDbAuditLog(client, TABLE);

      // Act
      const stored = await auditLog.append(event);

      // Assert
      expect(stored).toBe(true);
      expect(documentMock).toHaveReceivedCommandTimes(PutCommand, 1);
      expect(documentMock).toHaveReceivedCommandWith(PutCommand, {
        TableName: TABLE,
        ConditionExpression: 'attribute_not_exists(PK)',
        Item: {
          ...auditEventKey(event.id),
          ...auditEventIndexKey(event.time, event.id),
          type: 'AuditEvent',
          version: 1,
          source: 'tween.payments',
          detailType: 'PaymentCompleted',
          time: '2030-01-02T03:04:05Z',
          detail: event.detail,
        },
      });
    });

    it('returns false when the event is already stored (the condition fails)', async () => {
      // Arrange
      documentMock.on(PutCommand).rejects(conditionFailed());
      const auditLog = new DynamoDbAuditLog(client, TABLE);

      // Act
      const stored = await auditLog.append(event);

      // Assert
      expect(stored).toBe(false);
      expect(documentMock).toHaveReceivedCommandTimes(PutCommand, 1);
    });

    it('throws the error when the put fails for another reason', async () => {
      // Arrange
      const throttled = Object.assign(new Error('Rate exceeded'), {
        name: 'ProvisionedThroughputExceededException',
      });
      documentMock.on(PutCommand).rejects(throttled);
      const auditLog = new DynamoDbAuditLog(client, TABLE);

      // Act & Assert
      await expect(auditLog.append(event)).rejects.toThrow('Rate exceeded');
    });
  });
});

describe('Function: recordDomainEvent', () => {
  beforeEach(() => {
    documentMock.reset();
  });

  it('returns stored true when the audit log takes the event', async () => {
    // Arrange
    documentMock.on(PutCommand).resolves({});
    const auditLog = new DynamoDbAuditLog(client, TABLE);

    // Act
    const result = await recordDomainEvent(event, auditLog);

    // Assert
    expect(result).toEqual({ stored: true });
    expect(documentMock).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ PK: `EVENT#${event.id}` }),
    });
  });

  it('returns stored false when the event is a redelivery', async () => {
    // Arrange
    documentMock.on(PutCommand).resolvesOnce({}).rejects(conditionFailed());
    const auditLog = new DynamoDbAuditLog(client, TABLE);

    // Act
    const first = await recordDomainEvent(event, auditLog);
    const second = await recordDomainEvent(event, auditLog);

    // Assert
    expect(first).toEqual({ stored: true });
    expect(second).toEqual({ stored: false });
    expect(documentMock).toHaveReceivedCommandTimes(PutCommand, 2);
  });

  it('returns what an in-memory audit log answers, without touching DynamoDB', async () => {
    // Arrange
    const seen = new Set<string>();
    const fake: AuditLog = {
      append: async (record) => {
        if (seen.has(record.id)) return false;
        seen.add(record.id);
        return true;
      },
    };

    // Act
    const results = [await recordDomainEvent(event, fake), await recordDomainEvent(event, fake)];

    // Assert
    expect(results).toEqual([{ stored: true }, { stored: false }]);
    expect(documentMock).not.toHaveReceivedAnyCommand();
  });

  it('throws the audit log error', async () => {
    // Arrange
    const fake: AuditLog = {
      append: async () => {
        throw new Error('down');
      },
    };

    // Act & Assert
    await expect(recordDomainEvent(event, fake)).rejects.toThrow('down');
  });
});
