/**
 * Powertools' DynamoDB idempotency persistence, on the single table. One item per hashed key:
 * `PK = IDEMPOTENCY#<prefix>#<hash>`, `SK = IDEMPOTENCY`, so records spread over partitions, and the expiry in
 * the table's TTL attribute (epoch seconds), so DynamoDB removes records once they lapse.
 *
 * Powertools' conditional put (`attribute_not_exists(PK) OR expiresAt < :now OR (status = INPROGRESS AND
 * inProgressExpiresAtMs < :now_ms)`) and its get, update and delete all address the item through `getKey`,
 * so overriding it is enough to move the records onto our key layout.
 */
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '../../infra/table.js';
import { idempotencyKey } from './keys.js';

/** Attribute names of an idempotency record, next to the generic PK, SK and expiresAt. */
export const idempotencyAttributes = {
  status: 'idempotencyStatus',
  response: 'response',
  requestHash: 'requestHash',
  /** Epoch milliseconds: after it, an INPROGRESS record whose Lambda died may be taken over. */
  inProgressExpiresAt: 'inProgressExpiresAtMs',
} as const;

export interface DynamoDbIdempotencyStoreOptions {
  tableName: string;
  client: DynamoDBClient;
}

export class DynamoDbIdempotencyStore extends DynamoDBPersistenceLayer {
  constructor(options: DynamoDbIdempotencyStoreOptions) {
    super({
      tableName: options.tableName,
      awsSdkV3Client: options.client,
      keyAttr: tableDefinition.partitionKey,
      expiryAttr: tableDefinition.timeToLiveAttribute,
      statusAttr: idempotencyAttributes.status,
      dataAttr: idempotencyAttributes.response,
      validationKeyAttr: idempotencyAttributes.requestHash,
      inProgressExpiryAttr: idempotencyAttributes.inProgressExpiresAt,
    });
  }

  protected override getKey(hashedKey: string): Record<string, AttributeValue> {
    const { PK, SK } = idempotencyKey(hashedKey);
    return { [tableDefinition.partitionKey]: { S: PK }, [tableDefinition.sortKey]: { S: SK } };
  }
}
