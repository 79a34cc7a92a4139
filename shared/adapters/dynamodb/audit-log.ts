import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditLog, DomainEventRecord } from '../../app/ports.js';
import { auditEventIndexKey, auditEventKey } from './keys.js';

const ENTITY = 'AuditEvent';
const VERSION = 1;

export class DynamoDbAuditLog implements AuditLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(event: DomainEventRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...auditEventKey(event.id),
            ...auditEventIndexKey(event.time, event.id),
            type: ENTITY,
            version: VERSION,
            source: event.source,
            detailType: event.detailType,
            time: event.time,
            detail: event.detail,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
