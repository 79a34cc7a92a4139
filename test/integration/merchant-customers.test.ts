/**
 * The merchant API's customers and payment methods, handler by handler: functions/merchants/customers.ts
 * invoked as API Gateway would after the API-key authorizer (test/support/merchant-event.ts), on DynamoDB
 * Local (a table of its own) and the local stack's Stripe-compatible server.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { outboxKey } from '../../shared/adapters/dynamodb/keys.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { call, endpoint } from '../support/api.js';
import { createLocalTable, localDocumentClient } from '../support/ledger.js';
import {
  invokeAs,
  type MerchantCallerContext,
  type MerchantHandler,
  merchantCaller,
  useLocalHandlerEnv,
} from '../support/merchant-event.js';

const TABLE_NAME = `${tableDefinition.localName}-merchant-customers`;
useLocalHandlerEnv(TABLE_NAME, { STRIPE_API_BASE: endpoint('stripe') });
const { handler: imported } = await import('../../functions/merchants/customers.js');
const handler = imported as unknown as MerchantHandler;

interface CustomerBody {
  id: string;
  object: string;
  email: string | null;
  name: string | null;
  metadata: Record<string, string>;
  default_payment_method: string | null;
  livemode: boolean;
  created: number;
  deleted?: boolean;
}
interface MethodBody {
  id: string;
  object: string;
  type: string;
  card: { brand: string; last4: string; exp_month: number; exp_year: number };
  customer: string | null;
}
interface ListBody<T> {
  object: string;
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}
interface ErrorBody {
  error: { code: string };
}

function api<T>(
  caller: MerchantCallerContext | null,
  routeKey: string,
  options: {
    path?: Record<string, string>;
    body?: unknown;
    query?: Record<string, string>;
    key?: string;
  } = {},
) {
  let rawPath = routeKey.split(' ')[1] ?? '/';
  for (const [name, value] of Object.entries(options.path ?? {}))
    rawPath = rawPath.replace(`{${name}}`, value);
  return invokeAs<T & ErrorBody>(handler, caller, {
    routeKey,
    rawPath,
    ...(options.path === undefined ? {} : { params: options.path }),
    ...(options.query === undefined ? {} : { query: options.query }),
    ...(options.body === undefined ? {} : { body: options.body }),
    headers: {
      'content-type': 'application/json',
      ...(options.key === undefined ? {} : { 'idempotency-key': options.key }),
    },
  });
}

const createCustomer = (caller: MerchantCallerContext, body: unknown = {}, key?: string) =>
  api<CustomerBody>(caller, 'POST /v1/customers', { body, ...(key === undefined ? {} : { key }) });
const getCustomer = (caller: MerchantCallerContext | null, customerId: string) =>
  api<CustomerBody>(caller, 'GET /v1/customers/{customerId}', { path: { customerId } });
const updateCustomer = (caller: MerchantCallerContext, customerId: string, body: unknown) =>
  api<CustomerBody>(caller, 'POST /v1/customers/{customerId}', { path: { customerId }, body });
const deleteCustomer = (caller: MerchantCallerContext, customerId: string) =>
  api<CustomerBody>(caller, 'DELETE /v1/customers/{customerId}', { path: { customerId } });
const listCustomers = (caller: MerchantCallerContext, query: Record<string, string> = {}) =>
  api<ListBody<CustomerBody>>(caller, 'GET /v1/customers', { query });
const attach = (caller: MerchantCallerContext, customerId: string, paymentMethod: string) =>
  api<MethodBody>(caller, 'POST /v1/customers/{customerId}/payment_methods', {
    path: { customerId },
    body: { payment_method: paymentMethod },
  });
const listMethods = (caller: MerchantCallerContext, customerId: string) =>
  api<ListBody<MethodBody>>(caller, 'GET /v1/customers/{customerId}/payment_methods', {
    path: { customerId },
  });
const detach = (caller: MerchantCallerContext, customerId: string, paymentMethodId: string) =>
  api<MethodBody>(caller, 'DELETE /v1/customers/{customerId}/payment_methods/{paymentMethodId}', {
    path: { customerId, paymentMethodId },
  });

beforeAll(async () => {
  await createLocalTable(TABLE_NAME);
});

describe('Customers: POST /v1/customers, GET, POST and DELETE /v1/customers/{id}', () => {
  it('creates a customer in the Stripe shape, readable by its own key, with customer.created in the outbox', async () => {
    // Arrange
    const merchant = merchantCaller();

    // Act
    const created = await createCustomer(merchant, {
      email: 'ann@shop.example',
      name: 'Ann',
      metadata: { ref: '7' },
    });
    const read = await getCustomer(merchant, created.body.id);

    // Assert
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^cus_[A-Za-z0-9]{22}$/),
      object: 'customer',
      email: 'ann@shop.example',
      name: 'Ann',
      phone: null,
      metadata: { ref: '7' },
      default_payment_method: null,
      livemode: false,
      created: expect.any(Number),
    });
    expect(Math.abs(created.body.created - Date.now() / 1000)).toBeLessThan(60);
    expect(read).toMatchObject({ status: 200, body: created.body });
    const { Item: outbox } = await localDocumentClient().send(
      new GetCommand({ TableName: TABLE_NAME, Key: outboxKey(`customer.created:${created.body.id}`) }),
    );
    expect(outbox).toMatchObject({
      detailType: 'customer.created',
      detail: {
        customerId: created.body.id,
        merchantId: merchant.merchantId,
        mode: 'test',
        email: 'ann@shop.example',
      },
    });
  });

  it('answers 404 to another merchant and to the same merchant in the other mode', async () => {
    // Arrange
    const merchant = merchantCaller();
    const { body: customer } = await createCustomer(merchant, { email: 'x@shop.example' });
    const stranger = merchantCaller();
    const live = { ...merchant, mode: 'live' as const };

    // Act / Assert
    for (const other of [stranger, live]) {
      expect((await getCustomer(other, customer.id)).status).toBe(404);
      expect((await updateCustomer(other, customer.id, { name: 'Mallory' })).status).toBe(404);
      expect((await deleteCustomer(other, customer.id)).status).toBe(404);
      expect((await attach(other, customer.id, 'pm_card_visa')).status).toBe(404);
      expect((await listCustomers(other, { email: 'x@shop.example' })).body.data).toEqual([]);
    }
    expect((await getCustomer(merchant, customer.id)).body.name).toBeNull();
  });

  it('needs customers:write to write and customers:read to read, and a key at all', async () => {
    // Arrange
    const merchant = merchantCaller();
    const readOnly = { ...merchant, scopes: ['customers:read' as const] };
    const writeOnly = { ...merchant, scopes: ['customers:write' as const] };
    const { body: customer } = await createCustomer(writeOnly);

    // Act
    const refused = await createCustomer(readOnly);
    const read = await getCustomer(readOnly, customer.id);
    const unread = await getCustomer(writeOnly, customer.id);
    const anonymous = await getCustomer(null, customer.id);

    // Assert
    expect([refused.status, refused.body.error.code]).toEqual([403, 'INSUFFICIENT_SCOPE']);
    expect(read.status).toBe(200);
    expect([unread.status, unread.body.error.code]).toEqual([403, 'INSUFFICIENT_SCOPE']);
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'INVALID_API_KEY']);
  });

  it('updates as Stripe does: null removes, metadata merges key by key, "" removes a key', async () => {
    // Arrange
    const merchant = merchantCaller();
    const { body: customer } = await createCustomer(merchant, {
      email: 'old@shop.example',
      name: 'Old',
      metadata: { a: '1', b: '2' },
    });

    // Act
    const updated = await updateCustomer(merchant, customer.id, {
      email: 'new@shop.example',
      name: null,
      metadata: { a: '', c: '3' },
    });

    // Assert
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      email: 'new@shop.example',
      name: null,
      metadata: { b: '2', c: '3' },
    });
    expect((await listCustomers(merchant, { email: 'old@shop.example' })).body.data).toEqual([]);
    expect((await listCustomers(merchant, { email: 'new@shop.example' })).body.data).toEqual([updated.body]);
  });

  it('deletes as Stripe answers, and later reads, updates and deletes are 404', async () => {
    // Arrange
    const merchant = merchantCaller();
    const { body: customer } = await createCustomer(merchant, { email: 'gone@shop.example' });
    await attach(merchant, customer.id, 'pm_card_visa');

    // Act
    const deleted = await deleteCustomer(merchant, customer.id);

    // Assert
    expect(deleted).toMatchObject({
      status: 200,
      body: { id: customer.id, object: 'customer', deleted: true },
    });
    expect((await getCustomer(merchant, customer.id)).status).toBe(404);
    expect((await updateCustomer(merchant, customer.id, { name: 'x' })).status).toBe(404);
    expect((await deleteCustomer(merchant, customer.id)).status).toBe(404);
    expect((await listMethods(merchant, customer.id)).status).toBe(404);
    expect((await listCustomers(merchant)).body.data).toEqual([]);
  });

  it('makes one customer of a retried create with the same Idempotency-Key', async () => {
    // Arrange
    const merchant = merchantCaller();
    const key = randomUUID();

    // Act
    const first = await createCustomer(merchant, { name: 'Once' }, key);
    const again = await createCustomer(merchant, { name: 'Once' }, key);

    // Assert
    expect(again.body.id).toBe(first.body.id);
    expect((await listCustomers(merchant)).body.data.map((c) => c.id)).toEqual([first.body.id]);
  });
});

describe('Customers: GET /v1/customers', () => {
  it('lists newest first in pages with has_more and next_cursor, filtered by exact email', async () => {
    // Arrange
    const merchant = merchantCaller();
    const ids: string[] = [];
    for (const email of ['a@shop.example', 'b@shop.example', 'a@shop.example']) {
      ids.push((await createCustomer(merchant, { email })).body.id);
    }

    // Act
    const first = await listCustomers(merchant, { limit: '2' });
    const second = await listCustomers(merchant, { limit: '2', cursor: first.body.next_cursor ?? '' });
    const byEmail = await listCustomers(merchant, { email: 'a@shop.example' });
    const foreignCursor = await listCustomers(merchant, {
      email: 'a@shop.example',
      cursor: first.body.next_cursor ?? '',
    });

    // Assert
    expect(first.body).toMatchObject({ object: 'list', has_more: true, next_cursor: expect.any(String) });
    expect(first.body.data.map((c) => c.id)).toEqual([ids[2], ids[1]]);
    expect(second.body).toMatchObject({ has_more: false, next_cursor: null });
    expect(second.body.data.map((c) => c.id)).toEqual([ids[0]]);
    expect(byEmail.body.data.map((c) => c.id)).toEqual([ids[2], ids[0]]);
    expect([foreignCursor.status, foreignCursor.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
  });
});

describe('Payment methods: POST, GET and DELETE /v1/customers/{id}/payment_methods', () => {
  it('attaches a test card as a new payment method of the customer, and lists it', async () => {
    // Arrange
    const merchant = merchantCaller();
    const { body: customer } = await createCustomer(merchant);

    // Act
    const attached = await attach(merchant, customer.id, 'pm_card_visa');
    const listed = await listMethods(merchant, customer.id);

    // Assert
    expect(attached.status).toBe(200);
    expect(attached.body).toMatchObject({
      id: expect.stringMatching(/^pm_/),
      object: 'payment_method',
      type: 'card',
      card: { brand: 'visa', last4: '4242', exp_month: expect.any(Number), exp_year: expect.any(Number) },
      customer: customer.id,
    });
    expect(attached.body.id).not.toBe('pm_card_visa');
    expect(listed.body).toEqual({
      object: 'list',
      data: [attached.body],
      has_more: false,
      next_cursor: null,
    });
  });

  it("refuses a payment method attached to another customer, this merchant's or another's (400)", async () => {
    // Arrange
    const merchant = merchantCaller();
    const { body: owner } = await createCustomer(merchant);
    const { body: other } = await createCustomer(merchant);
    const stranger = merchantCaller();
    const { body: strangers } = await createCustomer(stranger);
    const { body: card } = await attach(merchant, owner.id, 'pm_card_visa');

    // Act
    const sameMerchant = await attach(merchant, other.id, card.id);
    const otherMerchant = await attach(stranger, strangers.id, card.id);
    const unknown = await attach(merchant, other.id, 'pm_doesNotExist');

    // Assert
    for (const answer of [sameMerchant, otherMerchant, unknown]) {
      expect([answer.status, answer.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
    }
    expect((await listMethods(merchant, other.id)).body.data).toEqual([]);
  });

  it("sets only the customer's own card as default, and a detached default is cleared", async () => {
    // Arrange
    const merchant = merchantCaller();
    const { body: customer } = await createCustomer(merchant);
    const { body: other } = await createCustomer(merchant);
    const { body: card } = await attach(merchant, customer.id, 'pm_card_visa');
    const { body: othersCard } = await attach(merchant, other.id, 'pm_card_mastercard');

    // Act
    const notOwn = await updateCustomer(merchant, customer.id, { default_payment_method: othersCard.id });
    const own = await updateCustomer(merchant, customer.id, { default_payment_method: card.id });
    const detached = await detach(merchant, customer.id, card.id);

    // Assert
    expect([notOwn.status, notOwn.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
    expect(own.body.default_payment_method).toBe(card.id);
    expect(detached).toMatchObject({ status: 200, body: { id: card.id, customer: null } });
    expect((await getCustomer(merchant, customer.id)).body.default_payment_method).toBeNull();
    expect((await listMethods(merchant, customer.id)).body.data).toEqual([]);
    expect((await detach(merchant, customer.id, card.id)).status).toBe(404);
    // Detached at the provider too: it can be attached to another customer now.
    expect((await attach(merchant, other.id, card.id)).status).toBe(200);
  });
});

describe('Over HTTP on the local stack', () => {
  it('serves the routes from the route table, and refuses a call that no API-key authorizer let through (401)', async () => {
    // Act
    const answer = await call<ErrorBody>('GET', '/v1/customers');

    // Assert
    expect([answer.status, answer.body.error.code]).toEqual([401, 'INVALID_API_KEY']);
  });
});
