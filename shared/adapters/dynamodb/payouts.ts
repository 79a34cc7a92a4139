/**
 * Payouts on the single table. A payout's creation and its end are each ONE TransactWriteItems with their
 * money (DynamoDbLedger.executeWith): the payout put (absent) or its status moved (conditional on it not
 * having ended), its ledger transfers, its balance transaction, the daily counter and, at the end, its
 * domain event in the outbox. The daily counter is added to on the condition that it is still the version
 * the caller checked the limit and the balance against, never read-then-written blindly.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from '../../app/merchant-customers/ports.js';
import type { PayoutEnd, PayoutListQuery, PayoutStore } from '../../app/payouts/ports.js';
import type { Tenant } from '../../domain/customer.js';
import { ConcurrentModificationError, NotFoundError } from '../../domain/errors.js';
import { domainEventId } from '../../domain/events.js';
import type { Payout, PayoutMovement } from '../../domain/payout.js';
import { PayoutEntity } from './entities/payout.js';
import { ABSENT } from './entity.js';
import { payoutDayKey, payoutKey, payoutsIndexPartition } from './keys.js';
import {
  CompanionConditionFailedError,
  type DynamoDbLedger,
  type TransactItem,
  TransferAlreadyExecutedError,
} from './ledger.js';
import { balanceTransactionPut } from './merchant-balances.js';
import { outboxPut } from './outbox.js';
import { queryPage } from './query-page.js';

const POSITION = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)#(po_[A-Za-z0-9_]{1,128})$/;

export class DynamoDbPayouts implements PayoutStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ledger: DynamoDbLedger,
  ) {}

  async get(tenant: Tenant, payoutId: string): Promise<Payout | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: payoutKey(tenant.merchantId, tenant.mode, payoutId),
        ConsistentRead: true,
      }),
    );
    return item === undefined ? undefined : PayoutEntity.fromItem(item);
  }

  list(tenant: Tenant, query: PayoutListQuery): Promise<Page<Payout>> {
    const partition = payoutsIndexPartition(tenant.merchantId, tenant.mode);
    let start: Record<string, unknown> | undefined;
    if (query.after !== undefined) {
      const [sortKey, , id] = POSITION.exec(query.after) ?? [];
      if (sortKey === undefined || id === undefined) throw new Error('Not a list position');
      start = { ...payoutKey(tenant.merchantId, tenant.mode, id), GSI1PK: partition, GSI1SK: sortKey };
    }
    return queryPage(
      this.client,
      this.tableName,
      query.limit,
      (item) => String(item.GSI1SK),
      PayoutEntity.fromItem,
      {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ...(query.status === undefined
          ? { ExpressionAttributeValues: { ':pk': partition } }
          : {
              FilterExpression: '#status = :status',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':pk': partition, ':status': query.status },
            }),
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      },
    );
  }

  async dailyTotal(
    tenant: Tenant,
    currency: string,
    day: string,
  ): Promise<{ total: number; version: number }> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: payoutDayKey(tenant.merchantId, tenant.mode, currency, day),
        ConsistentRead: true,
      }),
    );
    const count = (value: unknown) => (typeof value === 'number' ? value : 0);
    return { total: count(item?.dayTotal), version: count(item?.version) };
  }

  async create(payout: Payout, movement: PayoutMovement, counterVersion: number): Promise<Payout> {
    const companions: TransactItem[] = [
      { Put: { TableName: this.tableName, Item: PayoutEntity.toItem(payout), ConditionExpression: ABSENT } },
      {
        Update: {
          TableName: this.tableName,
          Key: payoutDayKey(payout.merchantId, payout.mode, payout.currency, payout.day),
          UpdateExpression: 'SET #type = :type ADD dayTotal :amount, version :one',
          ConditionExpression: counterVersion === 0 ? 'attribute_not_exists(version)' : 'version = :version',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: {
            ':type': 'PayoutDay',
            ':amount': payout.amount,
            ':one': 1,
            ...(counterVersion === 0 ? {} : { ':version': counterVersion }),
          },
        },
      },
      ...(movement.transaction === undefined
        ? []
        : [balanceTransactionPut(this.tableName, movement.transaction)]),
    ];
    try {
      await this.#move(movement, companions);
    } catch (error) {
      if (error instanceof TransferAlreadyExecutedError) return this.#stored(payout);
      if (!(error instanceof CompanionConditionFailedError)) throw error;
      if (error.failed.includes(0)) return this.#stored(payout);
      throw new ConcurrentModificationError('Payout');
    }
    return payout;
  }

  async noteTransfer(payout: Payout, transferId: string, at: string): Promise<Payout> {
    return this.#update(payout, { providerTransferId: transferId, updatedAt: at }, 'pending');
  }

  async markInTransit(payout: Payout, providerPayoutId: string, at: string): Promise<Payout> {
    return this.#update(payout, { status: 'in_transit', providerPayoutId, updatedAt: at }, 'pending');
  }

  async noteTaskToken(payout: Payout, taskToken: string, at: string): Promise<Payout> {
    return this.#update(payout, { taskToken, updatedAt: at });
  }

  async end(payout: Payout, end: PayoutEnd): Promise<Payout> {
    const names = { '#status': 'status' };
    const companions: TransactItem[] = [
      {
        Update: {
          TableName: this.tableName,
          Key: payoutKey(payout.merchantId, payout.mode, payout.payoutId),
          UpdateExpression: `SET #status = :status, updatedAt = :at${end.failureCode === undefined ? '' : ', failureCode = :code'} ADD version :one`,
          ConditionExpression: '#status IN (:pending, :in_transit)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: {
            ':status': end.status,
            ':at': end.at,
            ':one': 1,
            ':pending': 'pending',
            ':in_transit': 'in_transit',
            ...(end.failureCode === undefined ? {} : { ':code': end.failureCode }),
          },
        },
      },
      this.#event(payout, end),
    ];
    if (end.status === 'failed') {
      // The money is back: the day's room too.
      companions.push({
        Update: {
          TableName: this.tableName,
          Key: payoutDayKey(payout.merchantId, payout.mode, payout.currency, payout.day),
          UpdateExpression: 'ADD dayTotal :back, version :one',
          ExpressionAttributeValues: { ':back': -payout.amount, ':one': 1 },
        },
      });
    }
    if (end.movement.transaction !== undefined)
      companions.push(balanceTransactionPut(this.tableName, end.movement.transaction));
    try {
      await this.#move(end.movement, companions);
    } catch (error) {
      const ended =
        error instanceof TransferAlreadyExecutedError ||
        (error instanceof CompanionConditionFailedError && error.failed.includes(0));
      if (!ended) throw error;
    }
    return this.#stored(payout);
  }

  #event(payout: Payout, end: PayoutEnd): TransactItem {
    const type = end.status === 'paid' ? 'payout.paid' : 'payout.failed';
    return outboxPut(
      this.tableName,
      type,
      {
        eventId: domainEventId(type, payout.payoutId),
        occurredAt: end.at,
        merchantId: payout.merchantId,
        mode: payout.mode,
        object: end.view,
        payoutId: payout.payoutId,
        status: end.status,
        method: payout.method,
        amount: payout.amount,
        fee: payout.fee,
        currency: payout.currency,
        ...(end.failureCode === undefined ? {} : { failureCode: end.failureCode }),
      },
      new Date(end.at),
    );
  }

  async #move(movement: PayoutMovement, companions: readonly TransactItem[]): Promise<void> {
    const [main, ...also] = movement.transfers;
    await this.ledger.executeWith({ type: 'post', ...main }, companions, also);
  }

  async #update(payout: Payout, set: Record<string, string>, from?: Payout['status']): Promise<Payout> {
    const entries = Object.entries(set);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: payoutKey(payout.merchantId, payout.mode, payout.payoutId),
          UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')} ADD version :one`,
          ConditionExpression:
            from === undefined ? 'attribute_exists(PK)' : 'attribute_exists(PK) AND #status = :from',
          ExpressionAttributeNames: {
            ...Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
            ...(from === undefined ? {} : { '#status': 'status' }),
          },
          ExpressionAttributeValues: {
            ...Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
            ':one': 1,
            ...(from === undefined ? {} : { ':from': from }),
          },
        }),
      );
    } catch (error) {
      // Moved on meanwhile (ended by the provider's answer): that stands.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    return this.#stored(payout);
  }

  async #stored(payout: Payout): Promise<Payout> {
    const stored = await this.get(payout, payout.payoutId);
    if (stored === undefined) throw new NotFoundError('Payout');
    return stored;
  }
}
