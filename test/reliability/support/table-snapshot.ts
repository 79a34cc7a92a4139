/**
 * The whole single table as it is now (a Scan of DynamoDB Local), and what changed between two such
 * snapshots, item by item. Items are compared as their raw attribute values in a canonical JSON form, so
 * any change of any attribute counts.
 */

import { IdempotencyRecordStatus } from '@aws-lambda-powertools/idempotency';
import { type AttributeValue, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { idempotencyAttributes } from '../../../shared/adapters/dynamodb/idempotency-store.js';
import { idempotencyKey, rateLimitKey } from '../../../shared/adapters/dynamodb/keys.js';
import { tableDefinition } from '../../../shared/infra/table.js';
import { TABLE_NAME } from '../../support/ledger.js';

export type Item = Record<string, AttributeValue>;
/** Items by `PK SK`. */
export type TableSnapshot = ReadonlyMap<string, Item>;

export interface TableChange {
  kind: 'added' | 'removed' | 'changed';
  key: string;
  before?: Item;
  after?: Item;
}

export function tableClient(dynamoDbEndpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: dynamoDbEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

export async function snapshotTable(client: DynamoDBClient, tableName = TABLE_NAME): Promise<TableSnapshot> {
  const items = new Map<string, Item>();
  let start: Item | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) items.set(keyOf(item), item);
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

/**
 * Snapshots until two in a row, `quietMs` apart, are the same: the stack's own asynchronous work (the outbox
 * relay, the audit log, webhook deliveries of the local Stripe server) has settled.
 */
export async function settledSnapshot(
  client: DynamoDBClient,
  options: { quietMs?: number; timeoutMs?: number } = {},
): Promise<TableSnapshot> {
  const quietMs = options.quietMs ?? 1_500;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let previous = await snapshotTable(client);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const current = await snapshotTable(client);
    if (diffTables(previous, current).length === 0) return current;
    if (Date.now() > deadline) throw new Error('The table kept changing: the stack never settled');
    previous = current;
  }
}

export function diffTables(before: TableSnapshot, after: TableSnapshot): TableChange[] {
  const changes: TableChange[] = [];
  for (const [key, item] of before) {
    const now = after.get(key);
    if (now === undefined) changes.push({ kind: 'removed', key, before: item });
    else if (canonical(now) !== canonical(item))
      changes.push({ kind: 'changed', key, before: item, after: now });
  }
  for (const [key, item] of after) {
    if (!before.has(key)) changes.push({ kind: 'added', key, after: item });
  }
  return changes;
}

/**
 * A new idempotency record that stores a 4xx answer. The API stores refusals on purpose
 * (shared/http/idempotency.ts: "4xx answers are stored (a retried decline is the same decline)"): a hostile
 * request that carried an Idempotency-Key and got past validation into the use case (a well-formed but
 * unknown payment id, a currency this deployment does not take) leaves exactly one such record, which only
 * ever answers that same caller's retry with the same refusal. Nothing else a refusal writes is excused.
 */
export function isStoredRefusal(change: TableChange): boolean {
  const item = change.after;
  if (change.kind !== 'added' || item === undefined) return false;
  const partition = item[tableDefinition.partitionKey]?.S ?? '';
  if (!partition.startsWith(idempotencyKey('').PK)) return false;
  if (item[idempotencyAttributes.status]?.S !== IdempotencyRecordStatus.COMPLETED) return false;
  const statusCode = Number(item[idempotencyAttributes.response]?.M?.statusCode?.N);
  return statusCode >= 400 && statusCode < 500;
}

/**
 * A caller's request counter (shared/http/rate-limit: USER_RATE_LIMIT_PER_MINUTE). A limited route counts
 * every request that reaches its use case, refused or not, so a caller cannot probe it for free; the counter
 * is the caller's own, holds no data and expires with its one-minute window.
 */
export function isRequestCount(change: TableChange): boolean {
  const item = change.after;
  if (change.kind === 'removed' || item === undefined) return false;
  const partition = item[tableDefinition.partitionKey]?.S ?? '';
  return partition.startsWith(rateLimitKey('', '', 0).PK);
}

/** One line per change, for a failure message: the key and the attributes that differ. */
export function describeChange(change: TableChange): string {
  if (change.kind !== 'changed') return `${change.kind} ${change.key}`;
  const before = change.before ?? {};
  const after = change.after ?? {};
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (name) => canonical(before[name]) !== canonical(after[name]),
  );
  return `changed ${change.key}: ${names.sort().join(', ')}`;
}

function keyOf(item: Item): string {
  return `${item[tableDefinition.partitionKey]?.S ?? '?'} ${item[tableDefinition.sortKey]?.S ?? '?'}`;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner instanceof Uint8Array) return Buffer.from(inner).toString('base64');
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    return Object.fromEntries(
      Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
    );
  });
}
