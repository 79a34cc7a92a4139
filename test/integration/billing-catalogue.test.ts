/**
 * Products and prices (`/v1/products`, `/v1/prices`) on the local stack, over HTTP as a merchant's server
 * calls them: created, read and listed (cursor, product= and type= filters) in the key's tenant only; bad
 * amounts, currencies and products answer their codes.
 */
import { call } from '../support/api.js';
import { newShop, type Shop, withKey } from '../support/merchant-shops.js';

type Json = Record<string, unknown>;
interface ListBody {
  object: string;
  data: Json[];
  has_more: boolean;
  next_cursor: string | null;
}

let shop: Shop;
let other: Shop;

beforeAll(async () => {
  [shop, other] = await Promise.all([newShop(), newShop()]);
});

const post = (secret: string, path: string, body: unknown) => call<Json>('POST', path, withKey(secret, body));
const get = <T = Json>(secret: string, path: string) =>
  call<T>('GET', path, withKey(secret, undefined, null));

async function product(secret: string, name = 'Gym membership'): Promise<string> {
  const answer = await post(secret, '/v1/products', { name, description: 'Monthly access' });
  expect(answer.status).toBe(201);
  return String(answer.body.id);
}

test('a product is created, read and listed in its tenant only', async () => {
  const created = await post(shop.test, '/v1/products', { name: 'Tickets', metadata: { sku: 't-1' } });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({
    object: 'product',
    name: 'Tickets',
    description: null,
    active: true,
    metadata: { sku: 't-1' },
    livemode: false,
  });
  expect(String(created.body.id)).toMatch(/^prod_/);
  expect(typeof created.body.created).toBe('number');
  const id = String(created.body.id);
  expect((await get(shop.test, `/v1/products/${id}`)).body).toEqual(created.body);
  expect((await get(shop.live, `/v1/products/${id}`)).status).toBe(404);
  expect((await get(other.test, `/v1/products/${id}`)).status).toBe(404);
  const list = await get<ListBody>(shop.test, '/v1/products?limit=100');
  expect(list.body.object).toBe('list');
  expect(list.body.data.map((p) => p.id)).toContain(id);
  expect((await get<ListBody>(other.test, '/v1/products?limit=100')).body.data).toEqual([]);
});

test('prices: one-time and recurring, read, listed by product and type, a page at a time', async () => {
  const productId = await product(shop.test);
  const once = await post(shop.test, '/v1/prices', {
    product: productId,
    unit_amount: 3000,
    currency: 'USD',
  });
  expect(once.status).toBe(201);
  expect(once.body).toMatchObject({
    object: 'price',
    product: productId,
    unit_amount: 3000,
    currency: 'USD',
    type: 'one_time',
    recurring: null,
    active: true,
    livemode: false,
  });
  const monthly = await post(shop.test, '/v1/prices', {
    product: productId,
    unit_amount: 1500,
    currency: 'EUR',
    recurring: { interval: 'month' },
  });
  expect(monthly.status).toBe(201);
  expect(monthly.body).toMatchObject({
    type: 'recurring',
    recurring: { interval: 'month', interval_count: 1 },
  });
  expect((await get(shop.test, `/v1/prices/${String(once.body.id)}`)).body).toEqual(once.body);
  expect((await get(other.test, `/v1/prices/${String(once.body.id)}`)).status).toBe(404);

  const recurring = await get<ListBody>(shop.test, `/v1/prices?product=${productId}&type=recurring`);
  expect(recurring.body.data.map((p) => p.id)).toEqual([monthly.body.id]);
  const first = await get<ListBody>(shop.test, `/v1/prices?product=${productId}&limit=1`);
  expect(first.body).toMatchObject({ has_more: true, data: [{ id: monthly.body.id }] });
  const second = await get<ListBody>(
    shop.test,
    `/v1/prices?product=${productId}&limit=1&cursor=${encodeURIComponent(String(first.body.next_cursor))}`,
  );
  expect(second.body).toMatchObject({ has_more: false, next_cursor: null, data: [{ id: once.body.id }] });
});

test('bad prices: amounts, currencies, products and fields answer their codes', async () => {
  const productId = await product(shop.test);
  const price = (body: Json) =>
    post(shop.test, '/v1/prices', { product: productId, currency: 'USD', ...body });
  for (const unitAmount of [12.5, -100, '3000', 0]) {
    const answer = await price({ unit_amount: unitAmount });
    expect([answer.status, (answer.body.error as Json | undefined)?.code]).toEqual([400, 'INVALID_AMOUNT']);
  }
  const currency = await price({ unit_amount: 100, currency: 'XYZ' });
  expect([currency.status, (currency.body.error as Json).code]).toEqual([400, 'UNSUPPORTED_CURRENCY']);
  const unknown = await post(shop.test, '/v1/prices', {
    product: 'prod_unknown',
    unit_amount: 100,
    currency: 'USD',
  });
  expect([unknown.status, (unknown.body.error as Json).code]).toEqual([400, 'VALIDATION_ERROR']);
  const otherTenant = await post(other.test, '/v1/prices', {
    product: productId,
    unit_amount: 1,
    currency: 'USD',
  });
  expect(otherTenant.status).toBe(400);
  const interval = await price({ unit_amount: 100, recurring: { interval: 'week' } });
  expect([interval.status, (interval.body.error as Json).code]).toEqual([400, 'VALIDATION_ERROR']);
  const extra = await post(shop.test, '/v1/products', { name: 'x', colour: 'red' });
  expect([extra.status, (extra.body.error as Json).code]).toEqual([400, 'VALIDATION_ERROR']);
});

test('a retried product create with the same Idempotency-Key makes one product', async () => {
  const options = withKey(shop.test, { name: 'Once' }, 'product-once-key');
  const [a, b] = await Promise.all([
    call<Json>('POST', '/v1/products', options),
    call<Json>('POST', '/v1/products', options),
  ]);
  const again = await call<Json>('POST', '/v1/products', options);
  const ids = [a, b, again].filter((r) => r.status === 201).map((r) => r.body.id);
  expect(new Set(ids).size).toBe(1);
});
