/**
 * The webhook inbox in the single table: one item per provider event (`WEBHOOK#<provider>:<event id>`),
 * indexed by status in GSI1 for the ops listing. The event itself is kept as the JSON it was queued as, so a
 * replay sends exactly what came.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ProviderEvent } from '../../app/payments/ports.js';
import {
  WEBHOOK_STATUSES,
  type WebhookInbox,
  type WebhookPage,
  type WebhookRecord,
  type WebhookSettlement,
  type WebhookStatus,
  webhookEventId,
} from '../../app/webhooks/ports.js';
import {
  type StoredWebhookEvent,
  storedWebhookEvent,
  WebhookEventEntity,
  webhookRecord,
  webhookRecordOf,
} from './entities/webhook-event.js';
import { putIfAbsent } from './entity.js';
import { WEBHOOK_SORT_KEY, webhookKey, webhookStatusPartition } from './keys.js';

/** Only these may still be settled or fail again; processed and ignored are final. */
const OPEN: readonly WebhookStatus[] = ['received', 'failed'];

export class DynamoDbWebhookInbox implements WebhookInbox {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async receive(event: ProviderEvent, at: string): Promise<{ record: WebhookRecord; isNew: boolean }> {
    const eventId = webhookEventId(event);
    const record: WebhookRecord = {
      eventId,
      provider: event.provider,
      providerEventId: event.id,
      type: event.type,
      objectId: event.objectId,
      ...(event.paymentId === undefined ? {} : { paymentId: event.paymentId }),
      status: 'received',
      deliveries: 1,
      failures: 0,
      ...(event.details === undefined ? {} : { details: event.details }),
      providerCreatedAt: event.createdAt,
      receivedAt: at,
      updatedAt: at,
      event,
    };
    const stored = await putIfAbsent(
      this.client,
      this.tableName,
      WebhookEventEntity,
      storedWebhookEvent(record),
      () => this.#redelivered(eventId),
    );
    return stored.created ? { record, isNew: true } : { record: webhookRecord(stored.value), isNew: false };
  }

  /** Seen before: counts this delivery and answers the record as it is stored, in one round trip. */
  async #redelivered(eventId: string): Promise<StoredWebhookEvent> {
    const { Attributes: item } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: webhookKey(eventId),
        UpdateExpression: 'ADD deliveries :one',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    if (item === undefined) throw new Error(`Webhook event ${eventId} vanished during an update`);
    return WebhookEventEntity.fromItem(item);
  }

  async get(eventId: string): Promise<WebhookRecord | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: webhookKey(eventId), ConsistentRead: true }),
    );
    return item === undefined ? undefined : webhookRecordOf(item);
  }

  async settle(eventId: string, settlement: WebhookSettlement, at: string): Promise<WebhookRecord> {
    const fields: Record<string, unknown> = {
      status: settlement.status,
      GSI1PK: webhookStatusPartition(settlement.status),
      outcome: settlement.outcome,
      reason: settlement.reason,
      subject: settlement.subject,
      details: settlement.details,
      expiresAt: settlement.expiresAt,
      settledAt: at,
      updatedAt: at,
    };
    try {
      const { Attributes: item } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: webhookKey(eventId),
          ...this.#update(fields, []),
          ReturnValues: 'ALL_NEW',
        }),
      );
      if (item === undefined) throw new Error(`Webhook event ${eventId} vanished during an update`);
      return webhookRecordOf(item);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // A twin delivery settled it first: the first settlement stands.
      const current = await this.get(eventId);
      if (current === undefined) throw error;
      return current;
    }
  }

  async fail(eventId: string, error: string, at: string): Promise<void> {
    const fields = {
      status: 'failed',
      GSI1PK: webhookStatusPartition('failed'),
      lastError: error,
      updatedAt: at,
    };
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: webhookKey(eventId),
          ...this.#update(fields, ['failures :one']),
        }),
      );
    } catch (failure) {
      // Settled by a twin delivery meanwhile: its success stands, this attempt's failure is moot.
      if (!(failure instanceof ConditionalCheckFailedException)) throw failure;
    }
  }

  async list(query: { status?: WebhookStatus; limit: number; after?: string }): Promise<WebhookPage> {
    if (query.after !== undefined && !WEBHOOK_SORT_KEY.test(query.after)) {
      throw new Error('Not a webhook listing position');
    }
    const statuses = query.status === undefined ? WEBHOOK_STATUSES : [query.status];
    // Every status partition shares one sort order (received time, then id): newest first across them all.
    const pages = await Promise.all(statuses.map((status) => this.#page(status, query.limit, query.after)));
    const candidates = pages
      .flatMap((page) => page.items)
      .sort((a, b) => (String(a.GSI1SK) < String(b.GSI1SK) ? 1 : -1));
    const records = candidates.slice(0, query.limit);
    const more = candidates.length > query.limit || pages.some((page) => page.more);
    const last = records.at(-1);
    return {
      records: records.map(webhookRecordOf),
      ...(more && last !== undefined ? { after: String(last.GSI1SK) } : {}),
    };
  }

  async #page(
    status: WebhookStatus,
    limit: number,
    after: string | undefined,
  ): Promise<{ items: Record<string, unknown>[]; more: boolean }> {
    const { Items: items = [], LastEvaluatedKey: lastKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: after === undefined ? 'GSI1PK = :pk' : 'GSI1PK = :pk AND GSI1SK < :after',
        ExpressionAttributeValues: {
          ':pk': webhookStatusPartition(status),
          ...(after === undefined ? {} : { ':after': after }),
        },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return { items, more: lastKey !== undefined };
  }

  /** SETs the defined fields and ADDs one to `version` (and to `adds`), only while the event is open. */
  #update(fields: Record<string, unknown>, adds: readonly string[]) {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':one': 1 };
    const sets: string[] = [];
    for (const [index, [field, value]] of Object.entries(fields).entries()) {
      if (value === undefined) continue;
      names[`#f${index}`] = field;
      values[`:f${index}`] = value;
      sets.push(`#f${index} = :f${index}`);
    }
    const open = OPEN.map((status, index) => {
      values[`:open${index}`] = status;
      return `:open${index}`;
    });
    return {
      UpdateExpression: `SET ${sets.join(', ')} ADD ${['version :one', ...adds].join(', ')}`,
      ConditionExpression: `#status IN (${open.join(', ')})`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }
}
