/**
 * Products and prices on the single table (entities/product.ts), in the merchant's tenant partition. A
 * price is put in one transaction with a check that its product exists, so no price names a product the
 * tenant does not have; a first write wins over a retried or twin request with the same id.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, PageQuery } from '../../app/merchant-customers/ports.js';
import type { CatalogueStore } from '../../app/prices/ports.js';
import type { Tenant } from '../../domain/customer.js';
import { NotFoundError } from '../../domain/errors.js';
import type { Price, PriceType, Product } from '../../domain/price.js';
import { PriceEntity, ProductEntity } from './entities/product.js';
import { ABSENT, type Entity, putIfAbsent } from './entity.js';
import { type BillingKind, billingIndexPartition, type ItemKey, priceKey, productKey } from './keys.js';
import { equalityFilter, queryPage } from './query-page.js';

/** List positions are the GSI1 sort keys we issued: `<ISO time>#<id>`. */
const POSITION = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)#([A-Za-z0-9_]{1,128})$/;

export class DynamoDbCatalogue implements CatalogueStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createProduct(product: Product): Promise<Product> {
    const { value } = await putIfAbsent(this.client, this.tableName, ProductEntity, product, () =>
      this.product(product, product.productId),
    );
    return value;
  }

  product(tenant: Tenant, productId: string): Promise<Product | undefined> {
    return this.#get(ProductEntity, productKey(tenant.merchantId, tenant.mode, productId));
  }

  products(tenant: Tenant, query: PageQuery): Promise<Page<Product>> {
    return indexPage(this.client, this.tableName, 'PRODUCTS', tenant, query, ProductEntity, (id) =>
      productKey(tenant.merchantId, tenant.mode, id),
    );
  }

  async createPrice(price: Price): Promise<Price> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.tableName,
                Key: productKey(price.merchantId, price.mode, price.productId),
                ConditionExpression: 'attribute_exists(PK)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: PriceEntity.toItem(price),
                ConditionExpression: ABSENT,
              },
            },
          ],
        }),
      );
      return price;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') throw new NotFoundError('Product');
      if (reasons[1]?.Code !== 'ConditionalCheckFailed') throw error;
      const stored = await this.price(price, price.priceId);
      if (stored === undefined) throw error;
      return stored;
    }
  }

  price(tenant: Tenant, priceId: string): Promise<Price | undefined> {
    return this.#get(PriceEntity, priceKey(tenant.merchantId, tenant.mode, priceId));
  }

  prices(tenant: Tenant, query: PageQuery & { productId?: string; type?: PriceType }): Promise<Page<Price>> {
    return indexPage(
      this.client,
      this.tableName,
      'PRICES',
      tenant,
      query,
      PriceEntity,
      (id) => priceKey(tenant.merchantId, tenant.mode, id),
      { productId: query.productId, priceType: query.type },
    );
  }

  async #get<T>(entity: Entity<T>, key: ItemKey): Promise<T | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return item === undefined ? undefined : entity.fromItem(item);
  }
}

/**
 * One page of the tenant's objects of a kind on GSI1, newest first, with the exact-match filters given; the
 * position of a page is the GSI1 sort key of its last item.
 */
export function indexPage<T>(
  client: DynamoDBDocumentClient,
  tableName: string,
  kind: BillingKind,
  tenant: Tenant,
  query: PageQuery,
  entity: Entity<T>,
  keyOf: (id: string) => ItemKey,
  filters: Record<string, string | undefined> = {},
): Promise<Page<T>> {
  const partition = billingIndexPartition(kind, tenant.merchantId, tenant.mode);
  let start: Record<string, unknown> | undefined;
  if (query.after !== undefined) {
    const [sortKey, , id] = POSITION.exec(query.after) ?? [];
    if (sortKey === undefined || id === undefined) throw new Error('Not a list position');
    start = { ...keyOf(id), GSI1PK: partition, GSI1SK: sortKey };
  }
  const { values, ...filter } = equalityFilter(filters);
  return queryPage(client, tableName, query.limit, (item) => String(item.GSI1SK), entity.fromItem, {
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ...filter,
    ExpressionAttributeValues: { ':pk': partition, ...values },
    ...(start === undefined ? {} : { ExclusiveStartKey: start }),
  });
}
