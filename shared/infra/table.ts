/**
 * The single table's shape. CDK creates it from this module and the local stack creates the same table in
 * DynamoDB Local from it, so the two can never drift apart.
 */
export const TABLE_ENV = 'TABLE_NAME';

export const tableDefinition = {
  /** Physical name used by the local stack; CDK lets CloudFormation name the table. */
  localName: 'tween-payments',
  partitionKey: 'PK',
  sortKey: 'SK',
  timeToLiveAttribute: 'expiresAt',
  globalSecondaryIndexes: [{ indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' }],
} as const;

export type TableDefinition = typeof tableDefinition;
