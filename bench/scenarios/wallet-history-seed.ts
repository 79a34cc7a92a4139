/**
 * Seeding for the wallet-history scenario, not measured: a wallet's history filled with copies of its
 * ledger's own entry (older times, fresh transfer ids, keyed with the ledger's key builder), written with
 * BatchWriteItem straight to the DynamoDB Local engine, then counted back (wallet-history.ts measures).
 */
import {
  type AttributeValue,
  BatchWriteItemCommand,
  type DynamoDBClient,
  QueryCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { HISTORY_SORT_KEY, historyKey, historyPartition } from '../../shared/adapters/dynamodb/keys.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { runLoad, sleep } from '../load.js';
import type { ScenarioContext, StackRunOptions } from '../scenario.js';
import { callApi } from './stack-http.js';

/** Items per BatchWriteItem (DynamoDB's maximum) and batches in flight while seeding. */
const BATCH = 25;
export const SEED_CONCURRENCY = 16;
const BATCH_ATTEMPTS = 10;

type Item = Record<string, AttributeValue>;

/**
 * Entries `from` to `from + count - 1` (default: to the end) of a history of `total` copies of the entry
 * `template` for `historyOwner`, oldest first: entry n under transfer id `<idPrefix>-<n>`, created
 * `(total - n) × spacingMs` before `newestBeforeMs`; keys from `historyKey`. Throws if the template is not a
 * history entry with a direction, or an id would not make a valid history sort key.
 */
export function historyClones(
  template: Item,
  historyOwner: string,
  options: {
    total: number;
    newestBeforeMs: number;
    idPrefix: string;
    from?: number;
    count?: number;
    spacingMs?: number;
  },
): Item[] {
  const direction = template.direction?.S;
  if (direction !== 'debit' && direction !== 'credit') {
    throw new Error('the template is not a history entry: no debit/credit direction');
  }
  const spacing = options.spacingMs ?? 1_000;
  const from = options.from ?? 0;
  const count = Math.max(0, Math.min(options.count ?? options.total - from, options.total - from));
  return Array.from({ length: count }, (_, offset) => {
    const index = from + offset;
    const createdAt = new Date(options.newestBeforeMs - (options.total - index) * spacing).toISOString();
    const transferId = `${options.idPrefix}-${index}`;
    const key = historyKey(historyOwner, createdAt, transferId, direction);
    if (!HISTORY_SORT_KEY.test(key.SK)) throw new Error(`not a valid history sort key: ${key.SK}`);
    return {
      ...template,
      [tableDefinition.partitionKey]: { S: key.PK },
      [tableDefinition.sortKey]: { S: key.SK },
      transferId: { S: transferId },
      createdAt: { S: createdAt },
    };
  });
}

export interface HistoryWallet {
  user: { userId: string; token: string };
  walletId: string;
  entries: number;
}

/** Tops the wallet's history up to `entries` (it holds the top-up's entry) and counts it back. */
export async function seedWallet(
  context: ScenarioContext,
  client: DynamoDBClient,
  tableName: string,
  user: { userId: string; token: string },
  entries: number,
  tag: string,
  options: Pick<StackRunOptions, 'progress'>,
  notes: string[],
): Promise<HistoryWallet> {
  const balance = await callApi<{ walletId?: unknown }>(
    context,
    user,
    'GET',
    `/payments/v1/user/${encodeURIComponent(user.userId)}/balance`,
    [200],
    'GET /payments/v1/user/{userId}/balance',
  );
  if (typeof balance.walletId !== 'string') throw new Error('wallet-history: no walletId in the balance');
  const walletId = balance.walletId;
  const partition = historyPartition(walletId);
  const existing = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': tableDefinition.partitionKey },
      ExpressionAttributeValues: { ':pk': { S: partition } },
      ScanIndexForward: false,
    }),
  );
  const template = existing.Items?.[0];
  const have = existing.Items?.length ?? 0;
  if (template === undefined) throw new Error('wallet-history: the top-up left no history entry to copy');
  const oldest = existing.Items?.at(-1)?.createdAt?.S ?? template.createdAt?.S;
  const newestBeforeMs = Date.parse(oldest ?? '');
  if (Number.isNaN(newestBeforeMs)) throw new Error('wallet-history: the template has no createdAt');
  const count = Math.max(0, entries - have);

  options.progress(
    `seeding ${count.toLocaleString('en-US')} history entries (BatchWriteItem to the engine)…`,
  );
  const started = performance.now();
  const batches = Math.ceil(count / BATCH);
  let written = 0;
  let retried = 0;
  const load = await runLoad(
    async (batch) => {
      const items = historyClones(template, walletId, {
        total: count,
        from: batch * BATCH,
        count: BATCH,
        newestBeforeMs,
        idPrefix: `bench-history-${tag}`,
      });
      retried += await writeBatch(client, tableName, items);
      written += items.length;
      if (written % 20_000 < BATCH)
        options.progress(`  ${written.toLocaleString('en-US')} of ${count.toLocaleString('en-US')}…`);
    },
    batches,
    SEED_CONCURRENCY,
  );
  if (load.errors > 0)
    throw new Error(`wallet-history: seeding failed (${load.errors} batches): ${load.firstError ?? ''}`);
  const seconds = (performance.now() - started) / 1000;
  const total = await countPartition(client, tableName, partition);
  if (total !== entries) {
    throw new Error(`wallet-history: seeded ${entries} entries but the partition holds ${total}`);
  }
  notes.push(
    `Seeded ${count.toLocaleString('en-US')} entries in ${seconds.toFixed(1)} s (${(count / Math.max(seconds, 0.001)).toFixed(0)} items/s, ${batches} BatchWriteItem calls, ${retried} unprocessed items written again); the partition counted back ${total.toLocaleString('en-US')} entries.`,
  );
  return { user, walletId, entries: total };
}

/** One BatchWriteItem of `items`, writing what comes back unprocessed again; answers how many were. */
async function writeBatch(
  client: DynamoDBClient,
  tableName: string,
  items: readonly Item[],
): Promise<number> {
  let pending: WriteRequest[] = items.map((Item) => ({ PutRequest: { Item } }));
  let again = 0;
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    if (attempt > BATCH_ATTEMPTS)
      throw new Error(`${pending.length} items still unprocessed after ${BATCH_ATTEMPTS} attempts`);
    if (attempt > 1) {
      again += pending.length;
      await sleep(20 * attempt);
    }
    const answer = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
    pending = answer.UnprocessedItems?.[tableName] ?? [];
  }
  return again;
}

/** Items in the partition, by COUNT queries page by page. */
async function countPartition(client: DynamoDBClient, tableName: string, partition: string): Promise<number> {
  let total = 0;
  let start: Item | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': tableDefinition.partitionKey },
        ExpressionAttributeValues: { ':pk': { S: partition } },
        Select: 'COUNT',
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    total += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return total;
}
