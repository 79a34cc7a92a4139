/**
 * Checkout sessions on the single table (entities/checkout-session.ts). A session and its pointer are put
 * together; its end (complete or expired) is one TransactWriteItems: the session updated on the condition
 * that it is still open, and its domain event in the outbox.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CheckoutEvent, CheckoutSessionStore, Page, PageQuery } from '../../app/checkout/ports.js';
import type { CheckoutSession } from '../../domain/checkout-session.js';
import type { Tenant } from '../../domain/customer.js';
import { isTransactionConflict, retryOnConflict } from './conflicts.js';
import { CheckoutPointerEntity, CheckoutSessionEntity } from './entities/checkout-session.js';
import { ABSENT } from './entity.js';
import { checkoutPointerKey, checkoutSessionKey, checkoutSessionsIndexPartition } from './keys.js';
import { outboxPut } from './outbox.js';
import { queryPage } from './query-page.js';

const POSITION = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)#(cs_[A-Za-z0-9_]{1,128})$/;

export class DynamoDbCheckoutSessions implements CheckoutSessionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(session: CheckoutSession): Promise<CheckoutSession> {
    await retryOnConflict(() =>
      this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: CheckoutSessionEntity.toItem(session),
                ConditionExpression: ABSENT,
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: CheckoutPointerEntity.toItem(session),
                ConditionExpression: ABSENT,
              },
            },
          ],
        }),
      ),
    );
    return session;
  }

  async get(tenant: Tenant, sessionId: string): Promise<CheckoutSession | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: checkoutSessionKey(tenant.merchantId, tenant.mode, sessionId),
        ConsistentRead: true,
      }),
    );
    return item === undefined ? undefined : CheckoutSessionEntity.fromItem(item);
  }

  async find(sessionId: string): Promise<CheckoutSession | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: checkoutPointerKey(sessionId), ConsistentRead: true }),
    );
    if (item === undefined) return undefined;
    const pointer = CheckoutPointerEntity.fromItem(item);
    return this.get(pointer, pointer.sessionId);
  }

  list(tenant: Tenant, query: PageQuery): Promise<Page<CheckoutSession>> {
    const partition = checkoutSessionsIndexPartition(tenant.merchantId, tenant.mode);
    let start: Record<string, unknown> | undefined;
    if (query.after !== undefined) {
      const [sortKey, , id] = POSITION.exec(query.after) ?? [];
      if (sortKey === undefined || id === undefined) throw new Error('Not a list position');
      start = {
        ...checkoutSessionKey(tenant.merchantId, tenant.mode, id),
        GSI1PK: partition,
        GSI1SK: sortKey,
      };
    }
    return queryPage(
      this.client,
      this.tableName,
      query.limit,
      (item) => String(item.GSI1SK),
      CheckoutSessionEntity.fromItem,
      {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      },
    );
  }

  async claim(session: CheckoutSession, paymentIntentId: string, now: Date): Promise<CheckoutSession> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: checkoutSessionKey(session.merchantId, session.mode, session.sessionId),
          UpdateExpression: 'SET paymentIntentId = :intent, updatedAt = :at ADD version :one',
          ConditionExpression:
            '#status = :open AND expiresAt > :at AND (attribute_not_exists(paymentIntentId) OR attribute_type(paymentIntentId, :nullType) OR paymentIntentId = :intent)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':intent': paymentIntentId,
            ':at': now.toISOString(),
            ':open': 'open',
            ':nullType': 'NULL',
            ':one': 1,
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const stored = await this.get(session, session.sessionId);
    if (stored === undefined) throw new Error(`${session.sessionId} is not stored`);
    return stored;
  }

  async close(after: CheckoutSession, event: CheckoutEvent): Promise<CheckoutSession> {
    try {
      await retryOnConflict(() =>
        this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.tableName,
                  Key: checkoutSessionKey(after.merchantId, after.mode, after.sessionId),
                  UpdateExpression:
                    'SET #status = :status, paymentStatus = :paymentStatus, paymentIntentId = :intent, subscriptionId = :subscription, customerId = :customer, customerEmail = :email, completedAt = :completedAt, updatedAt = :at ADD version :one',
                  ConditionExpression: closeCondition(after),
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: {
                    ...(after.status === 'expired' && after.paymentIntentId === null
                      ? { ':nullType': 'NULL' }
                      : {}),
                    ':status': after.status,
                    ':paymentStatus': after.paymentStatus,
                    ':intent': after.paymentIntentId,
                    ':subscription': after.subscriptionId,
                    ':customer': after.customerId,
                    ':email': after.customerEmail,
                    ':completedAt': after.completedAt,
                    ':at': after.updatedAt,
                    ':open': 'open',
                    ':one': 1,
                  },
                },
              },
              outboxPut(this.tableName, event.type, event.detail, new Date(after.updatedAt)),
            ],
          }),
        ),
      );
      return after;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException) || isTransactionConflict(error)) throw error;
      // Closed first by someone else (the twin submission, an expiry): theirs stands.
      const stored = await this.get(after, after.sessionId);
      if (stored === undefined) throw error;
      return stored;
    }
  }
}

/** Closes from open; an expiry only while the payment is as the expiry read it (no claim since). */
function closeCondition(after: CheckoutSession): string {
  if (after.status !== 'expired') return '#status = :open';
  return after.paymentIntentId === null
    ? '#status = :open AND (attribute_not_exists(paymentIntentId) OR attribute_type(paymentIntentId, :nullType))'
    : '#status = :open AND paymentIntentId = :intent';
}
