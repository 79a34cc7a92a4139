/**
 * The merchant customer store on DynamoDB Local (a table of its own): what no fake can show, the
 * conditional writes under races and the items a customer leaves behind.
 */
import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { merchantTenantPartition } from '../../shared/adapters/dynamodb/keys.js';
import { DynamoDbCustomerStore } from '../../shared/adapters/dynamodb/merchant-customers.js';
import type { CustomerCreatedEvent } from '../../shared/app/merchant-customers/ports.js';
import type { Customer, CustomerPaymentMethod, Tenant } from '../../shared/domain/customer.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { createLocalTable, localDocumentClient } from '../support/ledger.js';

const TABLE_NAME = `${tableDefinition.localName}-merchant-customer-store`;
const client = localDocumentClient();
const store = new DynamoDbCustomerStore(client, TABLE_NAME);

function newTenant(): Tenant {
  return { merchantId: `mch_${randomUUID().slice(0, 8)}`, mode: 'test' };
}

function newCustomer(tenant: Tenant, email?: string): Customer {
  const at = new Date().toISOString();
  return {
    ...tenant,
    customerId: `cus_${randomUUID().replaceAll('-', '').slice(0, 22)}`,
    ...(email === undefined ? {} : { email }),
    metadata: {},
    providerCustomerId: 'cus_provider',
    createdAt: at,
    updatedAt: at,
  };
}

function createdEvent(customer: Customer): CustomerCreatedEvent {
  return {
    detailType: 'customer.created',
    detail: {
      eventId: `customer.created:${customer.customerId}`,
      occurredAt: customer.createdAt,
      merchantId: customer.merchantId,
      mode: customer.mode,
      customerId: customer.customerId,
      email: customer.email ?? null,
      name: null,
      metadata: {},
      createdAt: customer.createdAt,
    },
  };
}

function card(customer: Customer, n: number): CustomerPaymentMethod {
  return {
    merchantId: customer.merchantId,
    mode: customer.mode,
    paymentMethodId: `pm_${n}${randomUUID().slice(0, 8)}`,
    customerId: customer.customerId,
    card: { brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030 },
    attachedAt: new Date(Date.now() + n).toISOString(),
  };
}

async function partitionItems(tenant: Tenant): Promise<Record<string, unknown>[]> {
  const { Items: items = [] } = await client.send(
    new QueryCommand({
      TableName: TABLE_NAME,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': merchantTenantPartition(tenant.merchantId, tenant.mode) },
      ConsistentRead: true,
    }),
  );
  return items;
}

beforeAll(async () => {
  await createLocalTable(TABLE_NAME);
});

describe('Class: DynamoDbCustomerStore', () => {
  it('returns the stored customer when the same id is created again, changing nothing', async () => {
    // Arrange
    const tenant = newTenant();
    const first = await store.create(newCustomer(tenant, 'a@x.example'), createdEvent(newCustomer(tenant)));
    const twin = { ...first, name: 'Twin' };

    // Act
    const again = await store.create(twin, createdEvent(twin));

    // Assert
    expect(again).toEqual(first);
    expect(await store.get(tenant, first.customerId)).toEqual(first);
  });

  it('never leaves a default that is not attached when setting it races its detach', async () => {
    for (let round = 0; round < 8; round += 1) {
      // Arrange
      const tenant = newTenant();
      const customer = await store.create(newCustomer(tenant), createdEvent(newCustomer(tenant)));
      const method = await store.attach(card(customer, round));

      // Act
      await Promise.allSettled([
        store.update(tenant, customer.customerId, (current) => ({
          ...current,
          defaultPaymentMethod: method.paymentMethodId,
        })),
        store.detach(tenant, customer.customerId, method.paymentMethodId),
      ]);

      // Assert
      const after = await store.get(tenant, customer.customerId);
      const attached = await store.paymentMethod(tenant, customer.customerId, method.paymentMethodId);
      expect({ round, default: after?.defaultPaymentMethod, attached: attached !== undefined }).toEqual({
        round,
        default: undefined,
        attached: false,
      });
    }
  });

  it('deletes the customer with its email copy and every card, and a card cannot be attached after', async () => {
    // Arrange
    const tenant = newTenant();
    const customer = await store.create(
      newCustomer(tenant, 'del@x.example'),
      createdEvent(newCustomer(tenant)),
    );
    for (let n = 0; n < 3; n += 1) await store.attach(card(customer, n));

    // Act
    const deleted = await store.delete(tenant, customer.customerId);

    // Assert
    expect(deleted).toBe(true);
    expect(await partitionItems(tenant)).toEqual([]);
    await expect(store.attach(card(customer, 9))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await store.delete(tenant, customer.customerId)).toBe(false);
  });

  it('keeps the email copy in step with the customer, so the email list shows it as it is now', async () => {
    // Arrange
    const tenant = newTenant();
    const customer = await store.create(
      newCustomer(tenant, 'one@x.example'),
      createdEvent(newCustomer(tenant)),
    );
    const method = await store.attach(card(customer, 0));

    // Act
    await store.update(tenant, customer.customerId, (current) => ({
      ...current,
      defaultPaymentMethod: method.paymentMethodId,
    }));
    await store.update(tenant, customer.customerId, (current) => ({ ...current, email: 'two@x.example' }));

    // Assert
    expect((await store.list(tenant, { limit: 10, email: 'one@x.example' })).items).toEqual([]);
    expect((await store.list(tenant, { limit: 10, email: 'two@x.example' })).items).toEqual([
      expect.objectContaining({ email: 'two@x.example', defaultPaymentMethod: method.paymentMethodId }),
    ]);
  });
});
