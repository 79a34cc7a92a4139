/** The audit log on the single table, where every domain event is kept. */
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { DynamoDbAuditLog } from '../adapters/dynamodb/audit-log.js';
import { readTableName } from '../config.js';
import { once } from '../lazy.js';

export const auditLog = once(() => new DynamoDbAuditLog(documentClient(), readTableName()));
