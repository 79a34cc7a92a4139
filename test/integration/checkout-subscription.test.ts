/**
 * Subscription-mode checkout over HTTP on the local stack (API.md "Billing and checkout"): a merchant's
 * server makes a session for a recurring price, the payer posts the hosted page's form (as the browser
 * does) with `pm_card_visa`; the session completes with its subscription, which is active with its first
 * invoice paid, the card is the customer's default, and `checkout.session.completed` and
 * `customer.subscription.created` reach the merchant's webhook receiver.
 */
import { jest } from '@jest/globals';
import { call } from '../support/api.js';
import { newShop, type Shop, withKey } from '../support/merchant-shops.js';
import { waitFor } from '../support/stack.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

jest.setTimeout(90_000);

type Json = Record<string, unknown>;

let shop: Shop;
let receiver: WebhookReceiver;
let price: string;

beforeAll(async () => {
  receiver = await WebhookReceiver.start('/subscription-checkout-hooks');
  shop = await newShop();
  const endpoint = await call<Json>(
    'POST',
    '/v1/webhook_endpoints',
    withKey(shop.test, {
      url: receiver.url,
      enabled_events: ['checkout.session.completed', 'customer.subscription.created'],
    }),
  );
  expect(endpoint.status).toBe(201);
  receiver.useSecret(String(endpoint.body.secret));
  const product = await call<Json>('POST', '/v1/products', withKey(shop.test, { name: 'Record club' }));
  const created = await call<Json>(
    'POST',
    '/v1/prices',
    withKey(shop.test, {
      product: product.body.id,
      unit_amount: 900,
      currency: 'USD',
      recurring: { interval: 'month' },
    }),
  );
  expect(created.status).toBe(201);
  price = String(created.body.id);
});

afterAll(async () => {
  await receiver?.close();
});

const get = (path: string) => call<Json>('GET', path, withKey(shop.test, undefined, null));

describe('Route: POST /checkout/{id} (subscription mode)', () => {
  it('starts the subscription, pays its first invoice, keeps the card as default and tells the webhooks', async () => {
    // Arrange
    const answer = await call<Json>(
      'POST',
      '/v1/checkout/sessions',
      withKey(shop.test, {
        mode: 'subscription',
        line_items: [{ price, quantity: 1 }],
        success_url: 'https://shop.example/welcome',
        cancel_url: 'https://shop.example/plans',
      }),
    );
    expect(answer.status).toBe(200);
    const url = String(answer.body.url);

    // Act: the page's form, posted from the page itself
    const posted = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: new URL(url).origin,
        'sec-fetch-site': 'same-origin',
      },
      body: new URLSearchParams({ payment_method: 'pm_card_visa', email: 'member@example.com' }).toString(),
    });

    // Assert
    expect([posted.status, posted.headers.get('location')]).toEqual([303, 'https://shop.example/welcome']);
    const session = (await get(`/v1/checkout/sessions/${String(answer.body.id)}`)).body;
    expect(session).toMatchObject({
      status: 'complete',
      payment_status: 'paid',
      subscription: expect.stringMatching(/^sub_/),
      customer: expect.stringMatching(/^cus_/),
    });
    const subscription = (await get(`/v1/subscriptions/${String(session.subscription)}`)).body;
    expect(subscription).toMatchObject({ status: 'active', customer: session.customer });
    const invoices = (await get(`/v1/invoices?subscription=${String(session.subscription)}`)).body;
    expect(invoices).toMatchObject({ object: 'list', data: [{ status: 'paid', amount_paid: 900 }] });
    const customer = (await get(`/v1/customers/${String(session.customer)}`)).body;
    expect(customer.default_payment_method).toEqual(expect.stringMatching(/^pm_/));
    await waitFor(
      async () => {
        const heard = receiver.acknowledged().map((delivery) => `${delivery.type} ${delivery.objectId}`);
        const both =
          heard.includes(`checkout.session.completed ${String(session.id)}`) &&
          heard.includes(`customer.subscription.created ${String(session.subscription)}`);
        return both ? true : undefined;
      },
      'both webhook events',
      30_000,
    );
  });
});
