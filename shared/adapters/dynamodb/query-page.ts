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

/**
 * A list's exact-match filters (`status=`, `channel=`...) as one FilterExpression over the fields given
 * (`#status = :status AND ...`), with the names and values it uses; nothing for a list asked unfiltered.
 */
export function equalityFilter(fields: Record<string, string | undefined>): Pick<
  QueryCommandInput,
  'FilterExpression' | 'ExpressionAttributeNames'
> & {
  values: Record<string, unknown>;
} {
  const set = Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (set.length === 0) return { values: {} };
  return {
    FilterExpression: set.map(([name]) => `#${name} = :${name}`).join(' AND '),
    ExpressionAttributeNames: Object.fromEntries(set.map(([name]) => [`#${name}`, name])),
    values: Object.fromEntries(set.map(([name, value]) => [`:${name}`, value])),
  };
}

/**
 * One page of the items of a partition whose sort keys start with `prefix`, newest first; `after` (a sort
 * key from the previous page) must carry the same prefix, else the position is not one of this list's.
 */
export function prefixPage<T>(
  client: DynamoDBDocumentClient,
  tableName: string,
  query: { partition: string; prefix: string; limit: number; after?: string },
  fromItem: (item: Record<string, unknown>) => T,
): Promise<QueriedPage<T>> {
  const { partition, prefix, after } = query;
  if (after !== undefined && !after.startsWith(prefix)) throw new Error('Not a list position');
  return queryPage(client, tableName, query.limit, (item) => String(item.SK), fromItem, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': partition, ':prefix': prefix },
    ...(after === undefined ? {} : { ExclusiveStartKey: { PK: partition, SK: after } }),
  });
}
