/**
 * Checkout sessions over HTTP on the local stack, as a merchant's server calls them (API.md "Billing and
 * checkout"): created from the merchant's prices with an absolute page url, read and listed in the key's
 * tenant only, refused for the wrong kind of price, expired once.
 */
import { jest } from '@jest/globals';
import { apiUrl, call } from '../support/api.js';
import { newShop, type Shop, withKey } from '../support/merchant-shops.js';

jest.setTimeout(60_000);

type Json = Record<string, unknown>;

let shop: Shop;
let other: Shop;
const prices: Record<'oneTime' | 'monthly', string> = { oneTime: '', monthly: '' };

beforeAll(async () => {
  [shop, other] = await Promise.all([newShop(), newShop()]);
  const product = await call<Json>('POST', '/v1/products', withKey(shop.test, { name: 'Vinyl' }));
  const price = async (body: Json) =>
    String(
      (await call<Json>('POST', '/v1/prices', withKey(shop.test, { product: product.body.id, ...body }))).body
        .id,
    );
  prices.oneTime = await price({ unit_amount: 1_500, currency: 'USD' });
  prices.monthly = await price({ unit_amount: 900, currency: 'USD', recurring: { interval: 'month' } });
});

const sessionBody = (overrides: Json = {}) => ({
  mode: 'payment',
  line_items: [{ price: prices.oneTime, quantity: 2 }],
  success_url: 'https://shop.example/thanks',
  cancel_url: 'https://shop.example/cart',
  ...overrides,
});

async function created(overrides: Json = {}): Promise<Json> {
  const answer = await call<Json>(
    'POST',
    '/v1/checkout/sessions',
    withKey(shop.test, sessionBody(overrides)),
  );
  expect(answer.status).toBe(200);
  return answer.body;
}

describe('Route: POST /v1/checkout/sessions', () => {
  it('answers an open session with its absolute page url, the total and 24 hours to pay', async () => {
    // Act
    const session = await created({ customer_email: 'buyer@example.com' });

    // Assert
    expect(session).toMatchObject({
      id: expect.stringMatching(/^cs_/),
      object: 'checkout.session',
      status: 'open',
      payment_status: 'unpaid',
      mode: 'payment',
      amount_total: 3_000,
      currency: 'USD',
      customer_email: 'buyer@example.com',
      payment_intent: null,
      livemode: false,
    });
    expect(session.url).toBe(`${apiUrl()}/checkout/${String(session.id)}`);
    expect(Number(session.expires_at) - Number(session.created)).toBe(86_400);
  });

  it.each([
    [
      'a recurring price in payment mode',
      () => sessionBody({ line_items: [{ price: prices.monthly, quantity: 1 }] }),
    ],
    ['a one-time price in subscription mode', () => sessionBody({ mode: 'subscription' })],
    ['an unknown field', () => sessionBody({ allow_promotion_codes: true })],
    ['a relative success_url', () => sessionBody({ success_url: '/thanks' })],
  ])('refuses %s with 400 VALIDATION_ERROR', async (_what, body) => {
    // Act
    const answer = await call<{ error: { code: string } }>(
      'POST',
      '/v1/checkout/sessions',
      withKey(shop.test, body()),
    );

    // Assert
    expect([answer.status, answer.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
  });
});

describe('Route: POST /v1/checkout/sessions with a live key', () => {
  it('refuses it with 400 VALIDATION_ERROR: the page has no live card entry (Stripe Elements)', async () => {
    // Act
    const answer = await call<{ error: { code: string; message: string } }>(
      'POST',
      '/v1/checkout/sessions',
      withKey(shop.live, sessionBody()),
    );

    // Assert
    expect([answer.status, answer.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
    expect(answer.body.error.message).toMatch(/Stripe Elements/);
  });
});

describe('Route: GET /v1/checkout/sessions[/{id}]', () => {
  it("reads the tenant's own session; another merchant's key and the live key are told it does not exist", async () => {
    // Arrange
    const session = await created();
    const path = `/v1/checkout/sessions/${String(session.id)}`;

    // Act
    const own = await call<Json>('GET', path, withKey(shop.test, undefined, null));
    const others = await call<Json>('GET', path, withKey(other.test, undefined, null));
    const live = await call<Json>('GET', path, withKey(shop.live, undefined, null));

    // Assert
    expect(own.body).toEqual(session);
    expect([others.status, live.status]).toEqual([404, 404]);
  });

  it('lists newest first, a page at a time, by cursor', async () => {
    // Arrange
    const first = await created();
    const second = await created();

    // Act
    const page = await call<Json>(
      'GET',
      '/v1/checkout/sessions?limit=1',
      withKey(shop.test, undefined, null),
    );
    const next = await call<Json>(
      'GET',
      `/v1/checkout/sessions?limit=1&cursor=${encodeURIComponent(String(page.body.next_cursor))}`,
      withKey(shop.test, undefined, null),
    );

    // Assert
    expect(page.body).toMatchObject({ object: 'list', has_more: true, data: [{ id: second.id }] });
    expect(next.body).toMatchObject({ object: 'list', data: [{ id: first.id }] });
  });
});

describe('Route: POST /v1/checkout/sessions/{id}/expire', () => {
  it('expires an open session once (409 after), and its page then answers 410', async () => {
    // Arrange
    const session = await created();
    const path = `/v1/checkout/sessions/${String(session.id)}/expire`;

    // Act
    const expired = await call<Json>('POST', path, withKey(shop.test, undefined, null));
    const again = await call<{ error: { code: string } }>('POST', path, withKey(shop.test, undefined, null));
    const page = await fetch(String(session.url));

    // Assert
    expect(expired.body).toMatchObject({ status: 'expired', url: null });
    expect([again.status, again.body.error.code]).toEqual([409, 'INVALID_STATE_TRANSITION']);
    expect(page.status).toBe(410);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });
});
