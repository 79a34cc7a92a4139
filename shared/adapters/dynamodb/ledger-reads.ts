/** Reads of the ledger that go together: independent items in one request. */
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Transfer } from '../../domain/ledger.js';
import { transferOf } from './entities/ledger-transfer.js';
import { type ItemKey, transferKey } from './keys.js';

/**
 * The transfers `ids` name (a resolution and the pending transfer it resolves), each undefined when there
 * is none, read strongly consistent in one BatchGetItem. Keys a throttled batch leaves unprocessed are read
 * one by one, never guessed.
 */
export async function transfersById(
  client: DynamoDBDocumentClient,
  tableName: string,
  ids: readonly [string, string],
): Promise<[Transfer | undefined, Transfer | undefined]> {
  const [first, second] = [transferKey(ids[0]), transferKey(ids[1])];
  const one = async (key: ItemKey): Promise<Transfer | undefined> => {
    const { Item: item } = await client.send(
      new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
    );
    return item === undefined ? undefined : transferOf(item);
  };
  // A batch may not name a key twice.
  if (first.PK === second.PK) {
    const transfer = await one(first);
    return [transfer, transfer];
  }
  const { Responses: responses = {}, UnprocessedKeys: unprocessed = {} } = await client.send(
    new BatchGetCommand({
      RequestItems: { [tableName]: { Keys: [first, second], ConsistentRead: true } },
    }),
  );
  const items = responses[tableName] ?? [];
  const left = new Set((unprocessed[tableName]?.Keys ?? []).map((key) => String(key.PK)));
  const read = async (key: ItemKey): Promise<Transfer | undefined> => {
    if (left.has(key.PK)) return one(key);
    const item = items.find((candidate) => candidate.PK === key.PK && candidate.SK === key.SK);
    return item === undefined ? undefined : transferOf(item);
  };
  return Promise.all([read(first), read(second)]);
}
