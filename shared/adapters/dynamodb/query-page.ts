/**
 * One page of a Query for the merchant API's lists (`{data, has_more, next_cursor}`), newest first unless
 * the input says `ScanIndexForward: true`: one more item than asked for is read, so `has_more` is true only
 * when another item exists (never an empty last page, as a Query's own LastEvaluatedKey would give when a
 * page ends exactly at the end). A filtered Query may return fewer than its Limit: it reads on until the
 * page and the one item after it are found or nothing is left.
 */
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

export interface QueriedPage<T> {
  items: T[];
  /** The position of the page's last item, when there is more after it. */
  after?: string;
}

export async function queryPage<T>(
  client: DynamoDBDocumentClient,
  tableName: string,
  limit: number,
  positionOf: (item: Record<string, unknown>) => string,
  fromItem: (item: Record<string, unknown>) => T,
  input: Omit<QueryCommandInput, 'TableName' | 'Limit'>,
): Promise<QueriedPage<T>> {
  const found: Record<string, unknown>[] = [];
  let start = input.ExclusiveStartKey;
  do {
    const { Items: items = [], LastEvaluatedKey: next } = await client.send(
      new QueryCommand({
        ScanIndexForward: false,
        ...input,
        TableName: tableName,
        Limit: limit + 1 - found.length,
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    found.push(...items);
    start = next;
  } while (start !== undefined && found.length <= limit);
  const items = found.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map((item) => fromItem(item)),
    ...(found.length > limit && last !== undefined ? { after: positionOf(last) } : {}),
  };
}
