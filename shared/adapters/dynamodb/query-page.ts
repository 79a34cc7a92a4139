/**
 * One page of a Query, newest first, for the merchant API's lists (`{data, has_more, next_cursor}`): one
 * more item than asked for is read, so `has_more` is true only when another item exists (never an empty
 * last page, as a Query's own LastEvaluatedKey would give when a page ends exactly at the end).
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
  input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ScanIndexForward'>,
): Promise<QueriedPage<T>> {
  const { Items: found = [] } = await client.send(
    new QueryCommand({ ...input, TableName: tableName, ScanIndexForward: false, Limit: limit + 1 }),
  );
  const items = found.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map((item) => fromItem(item)),
    ...(found.length > limit && last !== undefined ? { after: positionOf(last) } : {}),
  };
}
