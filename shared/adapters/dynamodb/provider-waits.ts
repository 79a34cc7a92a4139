import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type {
  ProviderWait,
  ProviderWaitKind,
  ProviderWaitList,
  ProviderWaitPage,
} from '../../app/reconciliation/ports.js';
import { intentRefundOfWaitId } from '../../app/refunds/wait-ids.js';
import { ValidationError } from '../../domain/errors.js';
import {
  type ItemKey,
  intentRefundKey,
  PROVIDER_WAIT_SORT_KEY,
  paymentKey,
  providerWaitIndexKey,
  providerWaitPartition,
  refundKey,
  topupKey,
} from './keys.js';

/** The sparse GSI2 of top-ups, card payments and (PaymentIntent) refunds waiting on the provider (keys set by their repositories). */
export class DynamoDbProviderWaits implements ProviderWaitList {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async waitingBefore(
    kind: ProviderWaitKind,
    before: string,
    page: { limit: number; after?: string },
  ): Promise<ProviderWaitPage> {
    const { Items: items = [], LastEvaluatedKey: lastKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI2',
        // `<time>#<id>` sorts after `<time>`: "< before" is "started waiting strictly before".
        KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK < :before',
        ExpressionAttributeValues: { ':pk': providerWaitPartition(kind), ':before': before },
        Limit: page.limit,
        ...(page.after === undefined ? {} : { ExclusiveStartKey: startKey(kind, page.after) }),
      }),
    );
    const waits = items.map((item) => toWait(kind, item.GSI2SK));
    const last = waits.at(-1);
    return {
      items: waits,
      ...(lastKey !== undefined && last !== undefined ? { after: `${last.waitingSince}#${last.id}` } : {}),
    };
  }
}

/** The full key of the item a page ended on (table keys and index keys): all of it is ours to rebuild. */
function startKey(kind: ProviderWaitKind, after: string): Record<string, string> {
  const wait = toWait(kind, after);
  const itemKey: ItemKey =
    kind === 'topup'
      ? topupKey(wait.id)
      : kind === 'refund'
        ? refundKey(wait.id)
        : kind === 'intent_refund'
          ? intentRefundItemKey(wait.id)
          : paymentKey(wait.id);
  return { ...itemKey, ...providerWaitIndexKey(kind, wait.waitingSince, wait.id) };
}

function intentRefundItemKey(id: string): ItemKey {
  const ref = intentRefundOfWaitId(id);
  if (ref === undefined) throw new ValidationError('Not a position in the provider-wait list');
  return intentRefundKey(ref.merchantId, ref.mode, ref.refundId);
}

function toWait(kind: ProviderWaitKind, sortKey: unknown): ProviderWait {
  const match = typeof sortKey === 'string' ? PROVIDER_WAIT_SORT_KEY.exec(sortKey) : null;
  const [, waitingSince, id] = match ?? [];
  if (waitingSince === undefined || id === undefined) {
    throw new ValidationError('Not a position in the provider-wait list');
  }
  return { kind, id, waitingSince };
}
