/**
 * Outbound webhooks' producer side on the single table (entities/outbound-webhook.ts), all in the
 * merchant's tenant partition: endpoints with their sealed secret, the delivery log, the recorded events
 * (an event id recorded once: a conditional put, its object's sequence from a counter moved in the same
 * transaction) and each event's pending delivery at each endpoint.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../app/ports.js';
import type {
  Page,
  PageQuery,
  Tenant,
  WebhookEndpointStore,
  WebhookEventStore,
} from '../../app/webhook-endpoints/ports.js';
import { NotFoundError } from '../../domain/errors.js';
import type {
  Delivery,
  DeliveryAttempt,
  WebhookEndpoint,
  WebhookEvent,
} from '../../domain/webhook-events.js';
import { isTransactionConflict, retryOnConflict } from './conflicts.js';
import {
  endpointOf,
  eventOf,
  MerchantEventEntity,
  type StoredEndpoint,
  WebhookAttemptEntity,
  WebhookDeliveryEntity,
  WebhookEndpointEntity,
} from './entities/outbound-webhook.js';
import { ABSENT } from './entity.js';
import {
  eventSequenceKey,
  merchantEventKey,
  merchantEventsIndexPartition,
  merchantTenantPartition,
  WEBHOOK_ENDPOINT_PREFIX,
  webhookAttemptPrefix,
  webhookEndpointKey,
  webhookEndpointsIndexPartition,
} from './keys.js';
import { prefixPage, queryPage } from './query-page.js';

/** List positions are the GSI1 sort keys we issued: `<ISO time>#<id>`. */
const INDEX_POSITION = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)#([A-Za-z0-9_]{1,128})$/;
const VERSION_ATTEMPTS = 5;

export class DynamoDbWebhookEndpoints implements WebhookEndpointStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async create(
    endpoint: WebhookEndpoint,
    sealedSecret: string,
  ): Promise<{ endpoint: WebhookEndpoint; created: boolean }> {
    const stored: StoredEndpoint = { ...endpoint, sealedSecret, createdAt: this.clock.now().toISOString() };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: WebhookEndpointEntity.toItem(stored),
          ConditionExpression: ABSENT,
        }),
      );
      return { endpoint, created: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.get(endpoint, endpoint.id);
      if (existing === undefined) throw error;
      return { endpoint: existing, created: false };
    }
  }

  async get(tenant: Tenant, endpointId: string): Promise<WebhookEndpoint | undefined> {
    const item = await getItem(this.client, this.tableName, keyOf(tenant, endpointId));
    return item === undefined ? undefined : endpointOf(WebhookEndpointEntity.fromItem(item));
  }

  async update(
    tenant: Tenant,
    endpointId: string,
    change: (current: WebhookEndpoint) => WebhookEndpoint,
  ): Promise<WebhookEndpoint> {
    for (let attempt = 1; ; attempt += 1) {
      const item = await getItem(this.client, this.tableName, keyOf(tenant, endpointId));
      if (item === undefined) throw new NotFoundError('Webhook endpoint');
      const stored = WebhookEndpointEntity.fromItem(item);
      const version = WebhookEndpointEntity.versionOf(item);
      const next = change(endpointOf(stored));
      const nextStored: StoredEndpoint = {
        ...next,
        sealedSecret: stored.sealedSecret,
        createdAt: stored.createdAt,
      };
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...WebhookEndpointEntity.toItem(nextStored), version: version + 1 },
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': version },
          }),
        );
        return next;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || attempt >= VERSION_ATTEMPTS) throw error;
      }
    }
  }

  async delete(tenant: Tenant, endpointId: string): Promise<boolean> {
    const { Attributes: removed } = await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: keyOf(tenant, endpointId),
        ReturnValues: 'ALL_OLD',
      }),
    );
    return removed !== undefined;
  }

  list(tenant: Tenant, query: PageQuery): Promise<Page<WebhookEndpoint>> {
    const partition = webhookEndpointsIndexPartition(tenant.merchantId, tenant.mode);
    return indexPage(
      this.client,
      this.tableName,
      query,
      partition,
      (item) => endpointOf(WebhookEndpointEntity.fromItem(item)),
      (id) => keyOf(tenant, id),
    );
  }

  async all(tenant: Tenant): Promise<WebhookEndpoint[]> {
    const found: WebhookEndpoint[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': partitionOf(tenant), ':prefix': WEBHOOK_ENDPOINT_PREFIX },
          ConsistentRead: true,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      for (const item of page.Items ?? []) found.push(endpointOf(WebhookEndpointEntity.fromItem(item)));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return found;
  }

  attempts(tenant: Tenant, endpointId: string, query: PageQuery): Promise<Page<DeliveryAttempt>> {
    return prefixPage(
      this.client,
      this.tableName,
      { ...query, partition: partitionOf(tenant), prefix: webhookAttemptPrefix(endpointId) },
      WebhookAttemptEntity.fromItem,
    );
  }
}

export class DynamoDbWebhookEvents implements WebhookEventStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async record(event: Omit<WebhookEvent, 'sequence'>): Promise<{ event: WebhookEvent; recorded: boolean }> {
    const tenant = { merchantId: event.merchantId, mode: event.mode };
    const counterKey = eventSequenceKey(event.merchantId, event.mode, event.objectId);
    for (let attempt = 1; ; attempt += 1) {
      const existing = await this.get(tenant, event.id);
      if (existing !== undefined) return { event: existing, recorded: false };
      const counter = await getItem(this.client, this.tableName, counterKey);
      const last = typeof counter?.last === 'number' ? counter.last : 0;
      const recorded: WebhookEvent = { ...event, sequence: last + 1 };
      const { type, ...rest } = recorded;
      const item = MerchantEventEntity.toItem({
        ...rest,
        eventType: type,
        recordedAt: this.clock.now().toISOString(),
      });
      try {
        await retryOnConflict(() =>
          this.client.send(
            new TransactWriteCommand({
              TransactItems: [
                { Put: { TableName: this.tableName, Item: item, ConditionExpression: ABSENT } },
                {
                  Update: {
                    TableName: this.tableName,
                    Key: counterKey,
                    UpdateExpression: 'SET #last = :next, #type = :type',
                    ConditionExpression: last === 0 ? 'attribute_not_exists(PK)' : '#last = :last',
                    ExpressionAttributeNames: { '#last': 'last', '#type': 'type' },
                    ExpressionAttributeValues: {
                      ':next': last + 1,
                      ':type': 'EventSequence',
                      ...(last === 0 ? {} : { ':last': last }),
                    },
                  },
                },
              ],
            }),
          ),
        );
        return { event: recorded, recorded: true };
      } catch (error) {
        // Another event of the object took this sequence, or a twin recorded this event: read again.
        if (!isConditionFailure(error) || attempt >= VERSION_ATTEMPTS * 2) throw error;
      }
    }
  }

  async get(tenant: Tenant, eventId: string): Promise<WebhookEvent | undefined> {
    const item = await getItem(
      this.client,
      this.tableName,
      merchantEventKey(tenant.merchantId, tenant.mode, eventId),
    );
    return item === undefined ? undefined : eventOf(MerchantEventEntity.fromItem(item));
  }

  list(tenant: Tenant, query: PageQuery & { type?: string }): Promise<Page<WebhookEvent>> {
    const partition = merchantEventsIndexPartition(tenant.merchantId, tenant.mode);
    return indexPage(
      this.client,
      this.tableName,
      query,
      partition,
      (item) => eventOf(MerchantEventEntity.fromItem(item)),
      (id) => merchantEventKey(tenant.merchantId, tenant.mode, id),
      query.type,
    );
  }

  async openDeliveries(deliveries: readonly Delivery[]): Promise<Delivery[]> {
    const waiting: Delivery[] = [];
    for (const delivery of deliveries) {
      const item = WebhookDeliveryEntity.toItem(delivery);
      try {
        await this.client.send(
          new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: ABSENT }),
        );
        waiting.push(delivery);
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const stored = await getItem(this.client, this.tableName, {
          PK: String(item.PK),
          SK: String(item.SK),
        });
        if (stored === undefined) throw error;
        const current = WebhookDeliveryEntity.fromItem(stored);
        if (current.status === 'pending' && current.attempts === 0) waiting.push(current);
      }
    }
    return waiting;
  }
}

function keyOf(tenant: Tenant, endpointId: string) {
  return webhookEndpointKey(tenant.merchantId, tenant.mode, endpointId);
}

function partitionOf(tenant: Tenant): string {
  return merchantTenantPartition(tenant.merchantId, tenant.mode);
}

async function getItem(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: { PK: string; SK: string },
): Promise<Record<string, unknown> | undefined> {
  const { Item: item } = await client.send(
    new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
  );
  return item;
}

/** A page of a GSI1 list, newest first; `keyOf` gives the table key of the id in a position. */
function indexPage<T>(
  client: DynamoDBDocumentClient,
  tableName: string,
  query: PageQuery,
  partition: string,
  fromItem: (item: Record<string, unknown>) => T,
  keyOf: (id: string) => { PK: string; SK: string },
  eventType?: string,
): Promise<Page<T>> {
  let start: Record<string, unknown> | undefined;
  if (query.after !== undefined) {
    const [, , id] = INDEX_POSITION.exec(query.after) ?? [];
    if (id === undefined) throw new Error('Not a list position');
    start = { ...keyOf(id), GSI1PK: partition, GSI1SK: query.after };
  }
  return queryPage(client, tableName, query.limit, (item) => String(item.GSI1SK), fromItem, {
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: {
      ':pk': partition,
      ...(eventType === undefined ? {} : { ':type': eventType }),
    },
    ...(eventType === undefined ? {} : { FilterExpression: 'eventType = :type' }),
    ...(start === undefined ? {} : { ExclusiveStartKey: start }),
  });
}

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    !isTransactionConflict(error) &&
    (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed')
  );
}
