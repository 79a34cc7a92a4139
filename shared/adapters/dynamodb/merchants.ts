/**
 * Merchants in the single table (entities/merchant.ts). A status change is a conditional write on the
 * status it was decided from, and moves the merchant to its new status's partition of the ops index in the
 * same write.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { MerchantChanges, MerchantPage, Merchants } from '../../app/merchants/ports.js';
import { NotFoundError } from '../../domain/errors.js';
import { domainEventId } from '../../domain/events.js';
import {
  type Merchant,
  type MerchantEvent,
  MerchantStateError,
  type MerchantStatus,
  MODES,
  nextMerchantStatus,
} from '../../domain/merchant.js';
import { MerchantEntity } from './entities/merchant.js';
import { ABSENT, type UpdateParts, updateExpression } from './entity.js';
import { merchantKey, merchantStatusIndexKey, merchantStatusPartition } from './keys.js';
import { outboxPut } from './outbox.js';
import { queryPage } from './query-page.js';

/** GSI1 sort keys of the merchant queue: `<ISO time>#mch_<id>`. */
const MERCHANT_SORT_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#mch_[A-Za-z0-9]{1,64}$/;

export class DynamoDbMerchants implements Merchants {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(merchant: Merchant): Promise<Merchant> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: MerchantEntity.toItem(merchant),
        ConditionExpression: ABSENT,
      }),
    );
    return merchant;
  }

  async get(merchantId: string): Promise<Merchant | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: merchantKey(merchantId), ConsistentRead: true }),
    );
    return item === undefined ? undefined : MerchantEntity.fromItem(item);
  }

  async transition(
    merchantId: string,
    event: MerchantEvent,
    at: string,
    changes: MerchantChanges = {},
  ): Promise<Merchant> {
    const current = await this.get(merchantId);
    if (current === undefined) throw new NotFoundError('Merchant');
    const status = nextMerchantStatus(current.status, event);
    const next: Merchant = { ...current, ...changes, status, updatedAt: at };
    const moved = await this.#setStatus(
      current,
      { ...changes, status, updatedAt: at },
      '#u_status = :from',
      { ':from': current.status },
      event === 'approve' || event === 'reject' ? this.#decisionEvents(current, next, at) : [],
    );
    if (moved) return next;
    // Another decision moved it first: answer from where it is now.
    const now = await this.get(merchantId);
    throw new MerchantStateError(now?.status ?? current.status, event);
  }

  async withdrawSubmission(merchant: Merchant, submittedAt: string, at: string): Promise<boolean> {
    return this.#setStatus(
      merchant,
      { status: merchant.status, updatedAt: at },
      '#u_status = :inReview AND #u_updatedAt = :submittedAt',
      { ':inReview': 'in_review', ':submittedAt': submittedAt },
    );
  }

  /**
   * Sets `fields` (a status among them, with its review-queue index key) on the condition given; false when
   * the condition failed (the merchant moved on meanwhile).
   */
  async #setStatus(
    merchant: Pick<Merchant, 'merchantId' | 'createdAt'>,
    fields: Record<string, unknown> & { status: Merchant['status']; updatedAt: string },
    condition: string,
    values: Record<string, unknown>,
    events: ReturnType<typeof outboxPut>[] = [],
  ): Promise<boolean> {
    const { merchantId, createdAt } = merchant;
    const update = updateExpression({
      set: { ...fields, ...merchantStatusIndexKey(fields.status, createdAt, merchantId) },
      add: { version: 1 },
    });
    const write = {
      TableName: this.tableName,
      Key: merchantKey(merchantId),
      ...update,
      ConditionExpression: condition,
      ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ...values },
    };
    try {
      if (events.length === 0) await this.client.send(new UpdateCommand(write));
      else
        await this.client.send(new TransactWriteCommand({ TransactItems: [{ Update: write }, ...events] }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      const reason =
        error instanceof TransactionCanceledException ? error.CancellationReasons?.[0] : undefined;
      if (reason?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  /**
   * A review decision's `merchant.updated`, written with it (the outbox): one per mode, since a merchant's
   * webhooks are per mode and both modes' endpoints hear about their merchant's status.
   */
  #decisionEvents(before: Merchant, after: Merchant, at: string): ReturnType<typeof outboxPut>[] {
    return MODES.map((mode) =>
      outboxPut(
        this.tableName,
        'merchant.updated',
        {
          eventId: domainEventId('merchant.updated', after.merchantId, after.status, at, mode),
          occurredAt: at,
          merchantId: after.merchantId,
          mode,
          status: after.status,
          previousStatus: before.status,
          ...(after.reviewReason === undefined ? {} : { reason: after.reviewReason }),
        },
        new Date(at),
      ),
    );
  }

  setReserve(merchantId: string, reserveBps: number, at: string): Promise<Merchant> {
    return this.#update(merchantId, { set: { reserveBps, updatedAt: at }, add: { version: 1 } });
  }

  setPhone(merchantId: string, phone: string | undefined, at: string): Promise<Merchant> {
    return this.#update(merchantId, {
      set: { phone, updatedAt: at },
      ...(phone === undefined ? { remove: ['phone'] } : {}),
      add: { version: 1 },
    });
  }

  async #update(merchantId: string, parts: UpdateParts): Promise<Merchant> {
    try {
      const { Attributes: item } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: merchantKey(merchantId),
          ...updateExpression(parts),
          ConditionExpression: 'attribute_exists(PK)',
          ReturnValues: 'ALL_NEW',
        }),
      );
      if (item === undefined) throw new NotFoundError('Merchant');
      return MerchantEntity.fromItem(item);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new NotFoundError('Merchant');
      throw error;
    }
  }

  async listByStatus(query: {
    status: MerchantStatus;
    limit: number;
    after?: string;
  }): Promise<MerchantPage> {
    if (query.after !== undefined && !MERCHANT_SORT_KEY.test(query.after)) {
      throw new Error('Not a merchant listing position');
    }
    // The review queue: oldest first.
    const page = await queryPage(
      this.client,
      this.tableName,
      query.limit,
      (item) => String(item.GSI1SK),
      (item) => MerchantEntity.fromItem(item),
      {
        IndexName: 'GSI1',
        KeyConditionExpression:
          query.after === undefined ? 'GSI1PK = :pk' : 'GSI1PK = :pk AND GSI1SK > :after',
        ExpressionAttributeValues: {
          ':pk': merchantStatusPartition(query.status),
          ...(query.after === undefined ? {} : { ':after': query.after }),
        },
        ScanIndexForward: true,
      },
    );
    return { merchants: page.items, ...(page.after === undefined ? {} : { after: page.after }) };
  }
}
