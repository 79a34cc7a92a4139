/**
 * Merchants' customers and their attached cards (entities/merchant-customer.ts), all in the merchant's tenant
 * partition. A customer is one item, plus a copy under its email (for the email filter) written in the same
 * transaction; its cards are items next to it. Every change is conditional on the customer's version (a
 * race reads again), and a default payment method is set only together with a check that the card is
 * attached, so a concurrent detach cannot leave a default that is not the customer's.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type {
  CustomerCreatedEvent,
  CustomerStore,
  Page,
  PageQuery,
} from '../../app/merchant-customers/ports.js';
import {
  type Customer,
  type CustomerPaymentMethod,
  PaymentMethodNotAttachedError,
  type Tenant,
} from '../../domain/customer.js';
import { NotFoundError } from '../../domain/errors.js';
import { isTransactionConflict, retryOnConflict } from './conflicts.js';
import {
  CustomerPaymentMethodEntity,
  MerchantCustomerByEmailEntity,
  MerchantCustomerEntity,
} from './entities/merchant-customer.js';
import { ABSENT } from './entity.js';
import {
  customerPaymentMethodKey,
  customerPaymentMethodPrefix,
  customerPaymentMethodsIndexPartition,
  merchantCustomerEmailKey,
  merchantCustomerEmailPrefix,
  merchantCustomerKey,
  merchantCustomersIndexPartition,
  merchantTenantPartition,
} from './keys.js';
import { outboxPut } from './outbox.js';
import { prefixPage, queryPage } from './query-page.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** List positions are the sort keys we issued: `<ISO time>#<id>` (GSI1) or an email copy's `SK`. */
const INDEX_POSITION = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)#([A-Za-z0-9_]{1,128})$/;
/** Reads again after losing a race on the customer's version, at most this many times. */
const VERSION_ATTEMPTS = 5;
/** A transaction holds at most 100 items; the customer, its email copy and the outbox leave room for these. */
const CARDS_PER_TRANSACTION = 95;

interface Stored {
  customer: Customer;
  version: number;
}

export class DynamoDbCustomerStore implements CustomerStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(customer: Customer, event: CustomerCreatedEvent): Promise<Customer> {
    const items: TransactItem[] = [
      this.#put(MerchantCustomerEntity.toItem(customer), ABSENT),
      ...(customer.email === undefined
        ? []
        : [this.#put(MerchantCustomerByEmailEntity.toItem({ ...customer, email: customer.email }))]),
      outboxPut(this.tableName, event.detailType, event.detail, new Date(customer.createdAt)),
    ];
    try {
      await this.#transact(items);
      return customer;
    } catch (error) {
      if (!failedAt(error, 0)) throw error;
      // The same customer id again: a retried request. The first one stands.
      const stored = await this.get(customer, customer.customerId);
      if (stored === undefined) throw error;
      return stored;
    }
  }

  async get(tenant: Tenant, customerId: string): Promise<Customer | undefined> {
    return (await this.#read(tenant, customerId))?.customer;
  }

  async update(
    tenant: Tenant,
    customerId: string,
    change: (current: Customer) => Customer,
  ): Promise<Customer> {
    for (let attempt = 1; ; attempt += 1) {
      const stored = await this.#read(tenant, customerId);
      if (stored === undefined) throw new NotFoundError('Customer');
      const next = change(stored.customer);
      const setsDefault =
        next.defaultPaymentMethod !== undefined &&
        next.defaultPaymentMethod !== stored.customer.defaultPaymentMethod;
      const items = this.#rewrite(stored, next);
      if (setsDefault && next.defaultPaymentMethod !== undefined) {
        items.push({
          ConditionCheck: {
            TableName: this.tableName,
            Key: customerPaymentMethodKey(
              tenant.merchantId,
              tenant.mode,
              customerId,
              next.defaultPaymentMethod,
            ),
            ConditionExpression: 'attribute_exists(PK)',
          },
        });
      }
      try {
        await this.#transact(items);
        return next;
      } catch (error) {
        if (setsDefault && failedAt(error, items.length - 1)) throw new PaymentMethodNotAttachedError();
        if (!failedAt(error, 0) || attempt >= VERSION_ATTEMPTS) throw error;
      }
    }
  }

  async delete(tenant: Tenant, customerId: string): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      const stored = await this.#read(tenant, customerId);
      if (stored === undefined) return false;
      const cards = await this.#cardKeys(tenant, customerId);
      const { customer, version } = stored;
      const items: TransactItem[] = [
        {
          Delete: {
            TableName: this.tableName,
            Key: merchantCustomerKey(tenant.merchantId, tenant.mode, customerId),
            ...versionIs(version),
          },
        },
        ...(customer.email === undefined ? [] : [this.#deleteItem(emailKeyOf(customer, customer.email))]),
        ...cards.slice(0, CARDS_PER_TRANSACTION).map((key) => this.#deleteItem(key)),
      ];
      try {
        await this.#transact(items);
      } catch (error) {
        if (!failedAt(error, 0) || attempt >= VERSION_ATTEMPTS) throw error;
        continue;
      }
      // The customer is gone (nothing reads its cards now); the rest of a long list of cards follows it.
      for (let start = CARDS_PER_TRANSACTION; start < cards.length; start += 100) {
        await this.#transact(cards.slice(start, start + 100).map((key) => this.#deleteItem(key)));
      }
      return true;
    }
  }

  async list(tenant: Tenant, query: PageQuery & { email?: string }): Promise<Page<Customer>> {
    if (query.email !== undefined) {
      return prefixPage(
        this.client,
        this.tableName,
        { ...query, partition: partitionOf(tenant), prefix: merchantCustomerEmailPrefix(query.email) },
        MerchantCustomerByEmailEntity.fromItem,
      );
    }
    const partition = merchantCustomersIndexPartition(tenant.merchantId, tenant.mode);
    return this.#indexPage(query, partition, MerchantCustomerEntity.fromItem, (id) =>
      merchantCustomerKey(tenant.merchantId, tenant.mode, id),
    );
  }

  async attach(method: CustomerPaymentMethod): Promise<CustomerPaymentMethod> {
    try {
      await this.#transact([
        {
          ConditionCheck: {
            TableName: this.tableName,
            Key: merchantCustomerKey(method.merchantId, method.mode, method.customerId),
            ConditionExpression: 'attribute_exists(PK)',
          },
        },
        this.#put(CustomerPaymentMethodEntity.toItem(method), ABSENT),
      ]);
      return method;
    } catch (error) {
      if (failedAt(error, 0)) throw new NotFoundError('Customer');
      if (!failedAt(error, 1)) throw error;
      const stored = await this.paymentMethod(method, method.customerId, method.paymentMethodId);
      if (stored === undefined) throw error;
      return stored;
    }
  }

  async paymentMethod(
    tenant: Tenant,
    customerId: string,
    paymentMethodId: string,
  ): Promise<CustomerPaymentMethod | undefined> {
    const item = await this.#get(
      customerPaymentMethodKey(tenant.merchantId, tenant.mode, customerId, paymentMethodId),
    );
    return item === undefined ? undefined : CustomerPaymentMethodEntity.fromItem(item);
  }

  paymentMethods(tenant: Tenant, customerId: string, query: PageQuery): Promise<Page<CustomerPaymentMethod>> {
    const partition = customerPaymentMethodsIndexPartition(tenant.merchantId, tenant.mode, customerId);
    return this.#indexPage(query, partition, CustomerPaymentMethodEntity.fromItem, (id) =>
      customerPaymentMethodKey(tenant.merchantId, tenant.mode, customerId, id),
    );
  }

  async detach(tenant: Tenant, customerId: string, paymentMethodId: string): Promise<void> {
    const cardKey = customerPaymentMethodKey(tenant.merchantId, tenant.mode, customerId, paymentMethodId);
    for (let attempt = 1; ; attempt += 1) {
      const stored = await this.#read(tenant, customerId);
      if (stored === undefined) throw new NotFoundError('Customer');
      const { customer, version } = stored;
      const customerItems: TransactItem[] =
        customer.defaultPaymentMethod === paymentMethodId
          ? this.#rewrite(stored, withoutDefault(customer))
          : [
              {
                ConditionCheck: {
                  TableName: this.tableName,
                  Key: merchantCustomerKey(tenant.merchantId, tenant.mode, customerId),
                  ...versionIs(version),
                },
              },
            ];
      const items: TransactItem[] = [
        ...customerItems,
        { Delete: { TableName: this.tableName, Key: cardKey, ConditionExpression: 'attribute_exists(PK)' } },
      ];
      try {
        await this.#transact(items);
        return;
      } catch (error) {
        if (failedAt(error, items.length - 1)) throw new NotFoundError('Payment method');
        if (!failedAt(error, 0) || attempt >= VERSION_ATTEMPTS) throw error;
      }
    }
  }

  /** The customer's item and email copy as `next`, on the condition that the item is still `stored`. */
  #rewrite(stored: Stored, next: Customer): TransactItem[] {
    const previous = stored.customer;
    const items: TransactItem[] = [
      this.#put(
        { ...MerchantCustomerEntity.toItem(next), version: stored.version + 1 },
        undefined,
        stored.version,
      ),
    ];
    if (previous.email !== undefined && previous.email !== next.email) {
      items.push(this.#deleteItem(emailKeyOf(previous, previous.email)));
    }
    if (next.email !== undefined) {
      items.push(this.#put(MerchantCustomerByEmailEntity.toItem({ ...next, email: next.email })));
    }
    return items;
  }

  async #get(key: { PK: string; SK: string }): Promise<Record<string, unknown> | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return item;
  }

  async #read(tenant: Tenant, customerId: string): Promise<Stored | undefined> {
    const item = await this.#get(merchantCustomerKey(tenant.merchantId, tenant.mode, customerId));
    if (item === undefined) return undefined;
    return {
      customer: MerchantCustomerEntity.fromItem(item),
      version: MerchantCustomerEntity.versionOf(item),
    };
  }

  async #cardKeys(tenant: Tenant, customerId: string): Promise<{ PK: string; SK: string }[]> {
    const keys: { PK: string; SK: string }[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: {
            ':pk': partitionOf(tenant),
            ':prefix': customerPaymentMethodPrefix(customerId),
          },
          ProjectionExpression: 'PK, SK',
          ConsistentRead: true,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      for (const item of page.Items ?? []) keys.push({ PK: String(item.PK), SK: String(item.SK) });
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return keys;
  }

  /** A page of a GSI1 list, newest first; `keyOf` gives the table key of the id in a position. */
  #indexPage<T>(
    query: PageQuery,
    partition: string,
    fromItem: (item: Record<string, unknown>) => T,
    keyOf: (id: string) => { PK: string; SK: string },
  ): Promise<Page<T>> {
    let start: Record<string, unknown> | undefined;
    if (query.after !== undefined) {
      const [, , id] = INDEX_POSITION.exec(query.after) ?? [];
      if (id === undefined) throw new Error('Not a list position');
      start = { ...keyOf(id), GSI1PK: partition, GSI1SK: query.after };
    }
    return queryPage(this.client, this.tableName, query.limit, (item) => String(item.GSI1SK), fromItem, {
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': partition },
      ...(start === undefined ? {} : { ExclusiveStartKey: start }),
    });
  }

  #put(item: Record<string, unknown>, condition?: string, version?: number): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: item,
        ...(condition === undefined ? {} : { ConditionExpression: condition }),
        ...(version === undefined ? {} : versionIs(version)),
      },
    };
  }

  #deleteItem(key: { PK: string; SK: string }): TransactItem {
    return { Delete: { TableName: this.tableName, Key: key } };
  }

  #transact(items: TransactItem[]): Promise<unknown> {
    return retryOnConflict(() => this.client.send(new TransactWriteCommand({ TransactItems: items })));
  }
}

function partitionOf(tenant: Tenant): string {
  return merchantTenantPartition(tenant.merchantId, tenant.mode);
}

function emailKeyOf(customer: Customer, email: string): { PK: string; SK: string } {
  return merchantCustomerEmailKey(
    customer.merchantId,
    customer.mode,
    email,
    customer.createdAt,
    customer.customerId,
  );
}

function withoutDefault(customer: Customer): Customer {
  const { defaultPaymentMethod: _removed, ...rest } = customer;
  return rest;
}

function versionIs(version: number): {
  ConditionExpression: string;
  ExpressionAttributeValues: Record<string, number>;
} {
  return { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': version } };
}

/** Whether the transaction was cancelled because the condition of item `index` did not hold. */
function failedAt(error: unknown, index: number): boolean {
  return (
    error instanceof TransactionCanceledException &&
    !isTransactionConflict(error) &&
    error.CancellationReasons?.[index]?.Code === 'ConditionalCheckFailed'
  );
}
