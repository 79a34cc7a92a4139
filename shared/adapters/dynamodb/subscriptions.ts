/**
 * Subscriptions on the single table (entities/subscription.ts). Each change is one TransactWriteItems: the
 * subscription put on the condition that it is still the version it was read at (a new one: that it does
 * not exist), and its `customer.subscription.*` event in the outbox. A subscription moves no money itself
 * (its invoices do, in their own transactions).
 */

import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from '../../app/merchant-customers/ports.js';
import type {
  StoredSubscription,
  SubscriptionEvent,
  SubscriptionListQuery,
  SubscriptionStore,
} from '../../app/subscriptions/ports.js';
import type { Tenant } from '../../domain/customer.js';
import { ConcurrentModificationError } from '../../domain/errors.js';
import type { Subscription } from '../../domain/subscription.js';
import { isTransactionConflict, retryOnConflict } from './conflicts.js';
import { SubscriptionEntity } from './entities/subscription.js';
import { ABSENT } from './entity.js';
import type { TransactItem } from './ledger.js';
import { outboxPut } from './outbox.js';
import { equalityFilter, queryPage } from './query-page.js';
import { subscriptionKey, subscriptionsIndexPartition } from './subscription-keys.js';

const POSITION = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)#(sub_[A-Za-z0-9_]{1,128})$/;

export class DynamoDbSubscriptions implements SubscriptionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(subscription: Subscription, event: SubscriptionEvent): Promise<StoredSubscription> {
    try {
      await this.#transact([
        {
          Put: {
            TableName: this.tableName,
            Item: SubscriptionEntity.toItem(subscription),
            ConditionExpression: ABSENT,
          },
        },
        this.#event(event),
      ]);
      return { subscription, version: 1 };
    } catch (error) {
      if (!failedAt(error, 0)) throw error;
      // The same id again (the same Idempotency-Key): the first one stands.
      const stored = await this.get(subscription, subscription.subscriptionId);
      if (stored === undefined) throw error;
      return stored;
    }
  }

  async get(tenant: Tenant, subscriptionId: string): Promise<StoredSubscription | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: subscriptionKey(tenant.merchantId, tenant.mode, subscriptionId),
        ConsistentRead: true,
      }),
    );
    if (item === undefined) return undefined;
    return { subscription: SubscriptionEntity.fromItem(item), version: SubscriptionEntity.versionOf(item) };
  }

  async change(next: Subscription, version: number, event?: SubscriptionEvent): Promise<StoredSubscription> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...SubscriptionEntity.toItem(next), version: version + 1 },
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': version },
        },
      },
      ...(event === undefined ? [] : [this.#event(event)]),
    ];
    try {
      await this.#transact(items);
    } catch (error) {
      if (failedAt(error, 0) || failedAt(error, 1)) throw new ConcurrentModificationError('Subscription');
      throw error;
    }
    return { subscription: next, version: version + 1 };
  }

  list(tenant: Tenant, query: SubscriptionListQuery): Promise<Page<Subscription>> {
    const partition = subscriptionsIndexPartition(tenant.merchantId, tenant.mode);
    let start: Record<string, unknown> | undefined;
    if (query.after !== undefined) {
      const [sortKey, , id] = POSITION.exec(query.after) ?? [];
      if (sortKey === undefined || id === undefined) throw new Error('Not a list position');
      start = {
        ...subscriptionKey(tenant.merchantId, tenant.mode, id),
        GSI1PK: partition,
        GSI1SK: sortKey,
      };
    }
    const filter = equalityFilter({ customerId: query.customerId, status: query.status });
    const { values, ...expression } = filter;
    return queryPage(
      this.client,
      this.tableName,
      query.limit,
      (item) => String(item.GSI1SK),
      SubscriptionEntity.fromItem,
      {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ...expression,
        ExpressionAttributeValues: { ':pk': partition, ...values },
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      },
    );
  }

  #event(event: SubscriptionEvent): TransactItem {
    return outboxPut(this.tableName, event.detailType, event.detail, new Date(event.detail.occurredAt));
  }

  #transact(items: TransactItem[]): Promise<unknown> {
    return retryOnConflict(() => this.client.send(new TransactWriteCommand({ TransactItems: items })));
  }
}

function failedAt(error: unknown, index: number): boolean {
  return (
    error instanceof TransactionCanceledException &&
    !isTransactionConflict(error) &&
    error.CancellationReasons?.[index]?.Code === 'ConditionalCheckFailed'
  );
}
