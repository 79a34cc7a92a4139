/**
 * Merchants' PaymentIntents on the single table (entities/payment-intent.ts): every change is a conditional
 * replacement of the intent as it was read, with its event in the outbox in the same transaction.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  PaymentIntentEvent,
  PaymentIntentPage,
  PaymentIntentStore,
  Tenant,
} from '../../app/payment-intents/ports.js';
import type { MerchantCharge } from '../../domain/balance.js';
import { ConcurrentModificationError } from '../../domain/errors.js';
import type { PaymentIntent, PaymentIntentStatus } from '../../domain/payment-intent.js';
import { retryOnConflict } from './conflicts.js';
import { PaymentIntentEntity } from './entities/payment-intent.js';
import { putIfAbsent } from './entity.js';
import { paymentIntentKey, paymentIntentsIndexPartition } from './keys.js';
import {
  CompanionConditionFailedError,
  DynamoDbLedger,
  type TransactItem,
  TransferAlreadyExecutedError,
} from './ledger.js';
import { chargeItems } from './merchant-balances.js';
import { outboxPut } from './outbox.js';
import { equalityFilter } from './query-page.js';

/**
 * Writes of another object that commit with an intent's success, in its transaction (a paid invoice:
 * shared/adapters/dynamodb/invoices.ts `paidWith`): conditional on that object as read, so the intent's
 * success, its money and the object's change are one fact.
 */
export type SuccessCompanions = (succeeded: PaymentIntent) => Promise<TransactItem[]>;

/** Positions in a tenant's list: the GSI1 sort key `<ISO time>#pi_<id>`. */
const POSITION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#(pi_[A-Za-z0-9_]{1,64})$/;

export class DynamoDbPaymentIntents implements PaymentIntentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ledger: DynamoDbLedger = new DynamoDbLedger(client, tableName),
    private readonly companions?: SuccessCompanions,
  ) {}

  async create(intent: PaymentIntent): Promise<PaymentIntent> {
    const { value } = await putIfAbsent(this.client, this.tableName, PaymentIntentEntity, intent, () =>
      this.get(intent, intent.intentId),
    );
    return value;
  }

  async get(tenant: Tenant, intentId: string): Promise<PaymentIntent | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: paymentIntentKey(tenant.merchantId, tenant.mode, intentId),
        ConsistentRead: true,
      }),
    );
    return item === undefined ? undefined : PaymentIntentEntity.fromItem(item);
  }

  async save(
    before: PaymentIntent,
    after: PaymentIntent,
    event?: PaymentIntentEvent,
    charge?: MerchantCharge,
  ): Promise<PaymentIntent> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: PaymentIntentEntity.toItem(after),
          // Still the intent the change was decided from: same status, attempt and last change.
          ConditionExpression: '#status = :status AND #attempts = :attempts AND #updatedAt = :updatedAt',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#attempts': 'attempts',
            '#updatedAt': 'updatedAt',
          },
          ExpressionAttributeValues: {
            ':status': before.status,
            ':attempts': before.attempts,
            ':updatedAt': before.updatedAt,
          },
        },
      },
    ];
    if (event !== undefined)
      items.push(outboxPut(this.tableName, event.type, event.detail, new Date(after.updatedAt)));
    if (charge !== undefined) return this.#saveWithCharge(after, items, charge);
    try {
      await retryOnConflict(() => this.client.send(new TransactWriteCommand({ TransactItems: items })));
      return after;
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed')
      ) {
        throw new ConcurrentModificationError('PaymentIntent');
      }
      throw error;
    }
  }

  /**
   * The intent's change, its event, the charge's balance transaction and volume, and the charge's transfers
   * (provider clearing into the merchant's pending balance, then the fees out of it): one transaction.
   */
  async #saveWithCharge(
    after: PaymentIntent,
    items: TransactItem[],
    charge: MerchantCharge,
  ): Promise<PaymentIntent> {
    const [money, ...fees] = charge.transfers;
    if (money === undefined) throw new Error(`PaymentIntent ${after.intentId}: a charge without its money`);
    const linked = (await this.companions?.(after)) ?? [];
    try {
      await this.ledger.executeWith(
        { type: 'post', ...money },
        [...items, ...linked, ...chargeItems(this.tableName, charge)],
        fees,
      );
      return after;
    } catch (error) {
      // The intent moved on meanwhile; its charge, derived from the intent, is posted only with that move.
      if (error instanceof CompanionConditionFailedError || error instanceof TransferAlreadyExecutedError)
        throw new ConcurrentModificationError('PaymentIntent');
      throw error;
    }
  }

  async list(
    tenant: Tenant,
    query: { customerId?: string; status?: PaymentIntentStatus; limit: number; after?: string },
  ): Promise<PaymentIntentPage> {
    const partition = paymentIntentsIndexPartition(tenant.merchantId, tenant.mode);
    let start = query.after === undefined ? undefined : this.#startKey(tenant, partition, query.after);
    const { values, ...filter } = equalityFilter({ status: query.status, customerId: query.customerId });
    const intents: PaymentIntent[] = [];
    // A filter may leave a page short: read on until the page is full or the list ends.
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': partition, ...values },
          ...filter,
          ScanIndexForward: false,
          Limit: query.limit + 1,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      for (const item of page.Items ?? []) {
        if (intents.length === query.limit) {
          const last = intents.at(-1) as PaymentIntent;
          return { intents, after: `${last.createdAt}#${last.intentId}` };
        }
        intents.push(PaymentIntentEntity.fromItem(item));
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return { intents };
  }

  #startKey(tenant: Tenant, partition: string, position: string): Record<string, unknown> {
    const match = POSITION.exec(position);
    if (match?.[1] === undefined) throw new Error('Not a PaymentIntent listing position');
    return {
      ...paymentIntentKey(tenant.merchantId, tenant.mode, match[1]),
      GSI1PK: partition,
      GSI1SK: position,
    };
  }
}
