/**
 * The merchant's refunds on the single table: a PaymentIntent's in the tenant partition, a mini-app
 * payment's where the payer side keeps it (`REFUND#<id>`, carrying its payment's merchant); both in the
 * tenant's refunds index (GSI1), so the list is one Query that cannot reach another tenant.
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, PageQuery } from '../../app/merchant-customers/ports.js';
import type { MerchantRefundRecord, MerchantRefunds } from '../../app/refunds/ports.js';
import type { Tenant } from '../../domain/customer.js';
import { IntentRefundEntity } from './entities/intent-refund.js';
import { RefundEntity } from './entities/refund.js';
import { intentRefundKey, merchantRefundsIndexPartition, refundKey } from './keys.js';
import { queryPage } from './query-page.js';

const INDEX_POSITION =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#((?:re|rf)_[A-Za-z0-9]{1,128}))\|(payment|payment_intent)$/;

export class DynamoDbMerchantRefunds implements MerchantRefunds {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenant: Tenant, refundId: string): Promise<MerchantRefundRecord | undefined> {
    const ofIntent = await this.#get(intentRefundKey(tenant.merchantId, tenant.mode, refundId));
    if (ofIntent !== undefined)
      return { kind: 'payment_intent', refund: IntentRefundEntity.fromItem(ofIntent) };
    if (tenant.mode !== 'live') return undefined;
    const ofPayment = await this.#get(refundKey(refundId));
    if (ofPayment === undefined) return undefined;
    const refund = RefundEntity.fromItem(ofPayment);
    return refund.merchantId === tenant.merchantId ? { kind: 'payment', refund } : undefined;
  }

  /** Positions are `<GSI1SK>|<kind>`: the kind says where the item's table key is. */
  list(tenant: Tenant, query: PageQuery): Promise<Page<MerchantRefundRecord>> {
    const partition = merchantRefundsIndexPartition(tenant.merchantId, tenant.mode);
    let start: Record<string, unknown> | undefined;
    if (query.after !== undefined) {
      const [, sortKey, id, kind] = INDEX_POSITION.exec(query.after) ?? [];
      if (sortKey === undefined || id === undefined) throw new Error('Not a list position');
      const key =
        kind === 'payment_intent' ? intentRefundKey(tenant.merchantId, tenant.mode, id) : refundKey(id);
      start = { ...key, GSI1PK: partition, GSI1SK: sortKey };
    }
    const positionOf = (item: Record<string, unknown>) => `${String(item.GSI1SK)}|${recordKindOf(item)}`;
    return queryPage(this.client, this.tableName, query.limit, positionOf, recordOf, {
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': partition },
      ...(start === undefined ? {} : { ExclusiveStartKey: start }),
    });
  }

  async #get(key: { PK: string; SK: string }): Promise<Record<string, unknown> | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return item;
  }
}

function recordKindOf(item: Record<string, unknown>): MerchantRefundRecord['kind'] {
  return item.type === IntentRefundEntity.type ? 'payment_intent' : 'payment';
}

function recordOf(item: Record<string, unknown>): MerchantRefundRecord {
  return recordKindOf(item) === 'payment_intent'
    ? { kind: 'payment_intent', refund: IntentRefundEntity.fromItem(item) }
    : { kind: 'payment', refund: RefundEntity.fromItem(item) };
}
