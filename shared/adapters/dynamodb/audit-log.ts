import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditLog, DomainEventRecord } from '../../app/ports.js';
import { auditEventEntity } from './entities/audit-event.js';
import { ABSENT } from './entity.js';

export class DynamoDbAuditLog implements AuditLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(event: DomainEventRecord): Promise<boolean> {
    // Field by field: the item holds these and nothing else a wider object might carry.
    const audited = {
      source: event.source,
      detailType: event.detailType,
      time: event.time,
      detail: event.detail,
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: auditEventEntity(event.id).toItem(audited),
          ConditionExpression: ABSENT,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
