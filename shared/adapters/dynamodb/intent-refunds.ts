/**
 * A PaymentIntent's refunds on the single table: the refund in the tenant partition, and the intent's
 * totals (`reserved`, `settled`) beside the intent, so refunds never add up to more than was captured
 * (a conditional ADD) and each refund's fee share is computed against the settled total it is written on.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Tenant } from '../../app/payment-intents/ports.js';
import type {
  IntentRefund,
  IntentRefundSettlement,
  IntentRefundStore,
  IntentRefundTotals,
} from '../../app/refunds/ports.js';
import {
  ConcurrentModificationError,
  InvalidStateTransitionError,
  NotFoundError,
} from '../../domain/errors.js';
import { type DomainEventDetail, domainEventId } from '../../domain/events.js';
import { InvalidAmountError } from '../../domain/money.js';
import type { PaymentIntent } from '../../domain/payment-intent.js';
import { retryOnConflict } from './conflicts.js';
import { IntentRefundEntity } from './entities/intent-refund.js';
import { ABSENT } from './entity.js';
import { intentRefundKey, intentRefundTotalsKey, paymentIntentKey, transferReversalDueKey } from './keys.js';
import {
  CompanionConditionFailedError,
  type DynamoDbLedger,
  type TransactItem,
  TransferAlreadyExecutedError,
} from './ledger.js';
import { refundItems } from './merchant-balances.js';
import { outboxPut } from './outbox.js';

const TOTALS_TYPE = 'IntentRefundTotals';

export class DynamoDbIntentRefunds implements IntentRefundStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ledger: DynamoDbLedger,
  ) {}

  async intentRefund(tenant: Tenant, refundId: string): Promise<IntentRefund | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: intentRefundKey(tenant.merchantId, tenant.mode, refundId),
        ConsistentRead: true,
      }),
    );
    return item === undefined ? undefined : IntentRefundEntity.fromItem(item);
  }

  async totals(tenant: Tenant, intentId: string): Promise<IntentRefundTotals> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: intentRefundTotalsKey(tenant.merchantId, tenant.mode, intentId),
        ConsistentRead: true,
      }),
    );
    const count = (value: unknown) => (typeof value === 'number' ? value : 0);
    return { reserved: count(item?.reserved), settled: count(item?.settled) };
  }

  async reserve(intent: PaymentIntent, refund: IntentRefund): Promise<IntentRefund> {
    const existing = await this.intentRefund(refund, refund.refundId);
    if (existing !== undefined) return existing;
    const limit = intent.amountReceived - refund.amount;
    if (limit < 0) throw new InvalidAmountError('Refunds cannot add up to more than was captured');
    try {
      await retryOnConflict(() =>
        this.#transact([
          {
            Put: {
              TableName: this.tableName,
              Item: IntentRefundEntity.toItem(refund),
              ConditionExpression: ABSENT,
            },
          },
          {
            Update: {
              TableName: this.tableName,
              Key: intentRefundTotalsKey(refund.merchantId, refund.mode, refund.intentId),
              UpdateExpression: 'SET #type = :type ADD reserved :amount, version :one',
              ConditionExpression: 'attribute_not_exists(reserved) OR reserved <= :limit',
              ExpressionAttributeNames: { '#type': 'type' },
              ExpressionAttributeValues: {
                ':type': TOTALS_TYPE,
                ':amount': refund.amount,
                ':one': 1,
                ':limit': limit,
              },
            },
          },
          {
            ConditionCheck: {
              TableName: this.tableName,
              Key: paymentIntentKey(intent.merchantId, intent.mode, intent.intentId),
              ConditionExpression: '#status = :succeeded',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':succeeded': 'succeeded' },
            },
          },
          outboxPut(
            this.tableName,
            'refund.created',
            refundDetail('refund.created', refund),
            new Date(refund.createdAt),
          ),
        ]),
      );
      return refund;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [refundReason, totalsReason, intentReason] = error.CancellationReasons ?? [];
      if (refundReason?.Code === 'ConditionalCheckFailed') {
        const stored = await this.intentRefund(refund, refund.refundId);
        if (stored !== undefined) return stored;
      }
      if (totalsReason?.Code === 'ConditionalCheckFailed')
        throw new InvalidAmountError('Refunds cannot add up to more than was captured');
      if (intentReason?.Code === 'ConditionalCheckFailed')
        throw new InvalidStateTransitionError('unknown', 'refund');
      throw error;
    }
  }

  async settle(input: IntentRefundSettlement): Promise<IntentRefund> {
    const { refund } = input;
    const ended = { ...refund, status: input.status, updatedAt: input.at };
    const writes: TransactItem[] = [
      { Update: this.#refundEnd(input) },
      { Update: this.#totalsEnd(input) },
      outboxPut(this.tableName, 'refund.updated', refundDetail('refund.updated', ended), new Date(input.at)),
    ];
    try {
      const merchant = input.status === 'succeeded' ? input.merchant : undefined;
      // Split shares taken back: the settlement job looks whether a paid payout must be reversed.
      if (merchant !== undefined && merchant.splitsReversed > 0)
        writes.push(transferReversalDue(this.tableName, input));
      const [money, ...legs] = merchant?.transfers ?? [];
      if (merchant === undefined || money === undefined) await retryOnConflict(() => this.#transact(writes));
      else
        await this.ledger.executeWith(
          { type: 'post', ...money },
          [...writes, ...refundItems(this.tableName, merchant)],
          legs,
        );
    } catch (error) {
      const failed =
        error instanceof CompanionConditionFailedError
          ? error.failed
          : error instanceof TransactionCanceledException
            ? (error.CancellationReasons ?? []).flatMap((reason, index) =>
                reason.Code === 'ConditionalCheckFailed' ? [index] : [],
              )
            : undefined;
      // Ended meanwhile (a twin, or its money already moved with its status): that stands.
      if (failed?.includes(0) || error instanceof TransferAlreadyExecutedError) return this.#stored(refund);
      if (failed?.includes(1)) throw new ConcurrentModificationError('Refund');
      throw error;
    }
    return this.#stored(refund);
  }

  async noteProvider(refund: IntentRefund, providerRefundId: string, at: string): Promise<IntentRefund> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: intentRefundKey(refund.merchantId, refund.mode, refund.refundId),
        UpdateExpression: 'SET providerRefundId = :provider, updatedAt = :at ADD version :one',
        ExpressionAttributeValues: { ':provider': providerRefundId, ':at': at, ':one': 1 },
      }),
    );
    return this.#stored(refund);
  }

  /** The refund's own end: only from pending. */
  #refundEnd(input: IntentRefundSettlement) {
    const { refund } = input;
    return {
      TableName: this.tableName,
      Key: intentRefundKey(refund.merchantId, refund.mode, refund.refundId),
      // Off the provider-wait worklist: nothing left to ask the provider.
      UpdateExpression: `SET #status = :status, updatedAt = :at${input.providerRefundId === undefined ? '' : ', providerRefundId = :provider'} REMOVE GSI2PK, GSI2SK ADD version :one`,
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':status': input.status,
        ':at': input.at,
        ':one': 1,
        ':pending': 'pending',
        ...(input.providerRefundId === undefined ? {} : { ':provider': input.providerRefundId }),
      },
    };
  }

  /** Succeeded: added to the settled total it was computed against; failed: off the reserved total. */
  #totalsEnd(input: IntentRefundSettlement) {
    const { refund } = input;
    const key = intentRefundTotalsKey(refund.merchantId, refund.mode, refund.intentId);
    if (input.status === 'failed') {
      return {
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'ADD reserved :back, version :one',
        ExpressionAttributeValues: { ':back': -refund.amount, ':one': 1 },
      };
    }
    return {
      TableName: this.tableName,
      Key: key,
      UpdateExpression: 'ADD settled :amount, version :one',
      ConditionExpression:
        input.settledBefore === 0
          ? 'attribute_not_exists(settled) OR settled = :before'
          : 'settled = :before',
      ExpressionAttributeValues: { ':amount': refund.amount, ':one': 1, ':before': input.settledBefore },
    };
  }

  async #stored(refund: IntentRefund): Promise<IntentRefund> {
    const stored = await this.intentRefund(refund, refund.refundId);
    if (stored === undefined) throw new NotFoundError('Refund');
    return stored;
  }

  async #transact(items: TransactItem[]): Promise<void> {
    await this.client.send(new TransactWriteCommand({ TransactItems: items }));
  }
}

/**
 * A refund's event for the merchant's webhooks, written with its change (the outbox): created when it is
 * reserved, updated when it ends (its id names the status it ended in, so each end is one event).
 */
function refundDetail(
  type: 'refund.created' | 'refund.updated',
  refund: IntentRefund,
): DomainEventDetail<'refund.created'> {
  return {
    eventId:
      type === 'refund.created'
        ? domainEventId(type, refund.refundId)
        : domainEventId(type, refund.refundId, refund.status),
    occurredAt: type === 'refund.created' ? refund.createdAt : refund.updatedAt,
    merchantId: refund.merchantId,
    mode: refund.mode,
    refundId: refund.refundId,
    sourceId: refund.intentId,
    status: refund.status,
    amount: refund.amount,
    currency: refund.currency,
  };
}

/** The transfer-reversal worklist item of a refund that reversed splits (transfer-reversals.ts reads it). */
function transferReversalDue(tableName: string, input: IntentRefundSettlement): TransactItem {
  const { refund } = input;
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...transferReversalDueKey(input.at, refund.refundId),
        type: 'TransferReversalDue',
        merchantId: refund.merchantId,
        mode: refund.mode,
        refundId: refund.refundId,
      },
    },
  };
}
