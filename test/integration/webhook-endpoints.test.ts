/**
 * Outbound webhooks on the local stack, over HTTP as a merchant's server calls them: endpoints
 * (`/v1/webhook_endpoints`: the secret shown once, unknown types and unfit URLs refused, update, disable,
 * delete, tenancy), the events of a merchant's objects (`/v1/events`), and end to end a PaymentIntent that
 * succeeds delivered to a real receiver with a valid Standard Webhooks signature, in the delivery log, and
 * delivered again on resend.
 */
import { jest } from '@jest/globals';
import { call } from '../support/api.js';
import { newShop, type Shop, withKey } from '../support/merchant-shops.js';
import { waitFor } from '../support/stack.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

jest.setTimeout(90_000);

type Json = Record<string, unknown>;
interface ListBody<T = Json> {
  object: string;
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}
interface ErrorBody {
  error: { code: string; details?: Json };
}

let shop: Shop;
let receiver: WebhookReceiver;

beforeAll(async () => {
  shop = await newShop();
  receiver = await WebhookReceiver.start();
});

afterAll(async () => {
  await receiver.close();
});

const get = <T = Json>(path: string, secret = shop.test) =>
  call<T>('GET', path, withKey(secret, undefined, null));
const post = <T = Json>(path: string, body: unknown, secret = shop.test) =>
  call<T>('POST', path, withKey(secret, body));

describe('Webhook endpoints', () => {
  it('registers one with its secret shown once, then reads, lists, updates and deletes it', async () => {
    // Act
    const created = await post('/v1/webhook_endpoints', {
      url: 'http://127.0.0.1:9/hooks',
      enabled_events: ['payment_intent.succeeded', 'refund.updated'],
      description: 'orders',
    });
    const id = String(created.body.id);
    const read = await get(`/v1/webhook_endpoints/${id}`);
    const listed = await get<ListBody>('/v1/webhook_endpoints?limit=1');
    const disabled = await post(`/v1/webhook_endpoints/${id}`, { disabled: true, description: '' });
    const enabled = await post(`/v1/webhook_endpoints/${id}`, { disabled: false, enabled_events: ['*'] });
    const deleted = await call('DELETE', `/v1/webhook_endpoints/${id}`, withKey(shop.test, undefined, null));
    const gone = await get<ErrorBody>(`/v1/webhook_endpoints/${id}`);

    // Assert
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^we_/),
      object: 'webhook_endpoint',
      url: 'http://127.0.0.1:9/hooks',
      enabled_events: ['payment_intent.succeeded', 'refund.updated'],
      description: 'orders',
      status: 'enabled',
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      livemode: false,
      created: expect.any(Number),
    });
    const { secret: _secret, ...shown } = created.body;
    expect(read).toMatchObject({ status: 200, body: shown });
    expect(read.body).not.toHaveProperty('secret');
    expect(listed.body).toMatchObject({ object: 'list', data: [shown], has_more: false, next_cursor: null });
    expect(disabled.body).toMatchObject({ status: 'disabled', description: null });
    expect(enabled.body).toMatchObject({ status: 'enabled', enabled_events: ['*'] });
    expect(deleted).toMatchObject({ status: 200, body: { id, object: 'webhook_endpoint', deleted: true } });
    expect(gone).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
  });

  it.each([
    [
      'an unknown event type',
      { url: 'https://example.com/h', enabled_events: ['payment_intent.done'] },
      'enabled_events',
    ],
    ['a live http URL', { url: 'http://example.com/h', enabled_events: ['*'] }, 'url'],
    ['a live URL to loopback', { url: 'https://127.0.0.1/h', enabled_events: ['*'] }, 'url'],
    ['a live URL to a private address', { url: 'https://10.1.2.3/h', enabled_events: ['*'] }, 'url'],
    ['a live URL to link-local', { url: 'https://[fe80::1]/h', enabled_events: ['*'] }, 'url'],
    [
      'a live URL whose host resolves to loopback',
      { url: 'https://localhost/h', enabled_events: ['*'] },
      'url',
    ],
  ])('refuses %s with 400 VALIDATION_ERROR naming the field', async (_case, body, field) => {
    // Act
    const answer = await post<ErrorBody>('/v1/webhook_endpoints', body, shop.live);

    // Assert
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('VALIDATION_ERROR');
    expect(JSON.stringify(answer.body.error)).toContain(field);
  });

  it("answers 404 to another merchant's key and to the other mode, and lists none of it there", async () => {
    // Arrange
    const other = await newShop();
    const created = await post('/v1/webhook_endpoints', {
      url: 'http://127.0.0.1:9/t',
      enabled_events: ['*'],
    });
    const id = String(created.body.id);

    // Act
    const answers = await Promise.all([
      get(`/v1/webhook_endpoints/${id}`, other.test),
      get(`/v1/webhook_endpoints/${id}`, shop.live),
      post(`/v1/webhook_endpoints/${id}`, { disabled: true }, other.test),
      call('DELETE', `/v1/webhook_endpoints/${id}`, withKey(shop.live, undefined, null)),
      get(`/v1/webhook_endpoints/${id}/deliveries`, other.test),
    ]);
    const otherList = await get<ListBody>('/v1/webhook_endpoints', other.test);

    // Assert
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 404, 404]);
    expect(otherList.body.data).toEqual([]);
    expect((await get(`/v1/webhook_endpoints/${id}`)).body).toMatchObject({ status: 'enabled' });
  });
});

describe('Events and deliveries, end to end', () => {
  it('delivers payment_intent.succeeded to the receiver, signed, logs the attempt, and resends it', async () => {
    // Arrange
    const created = await post<Json & { secret: string }>('/v1/webhook_endpoints', {
      url: receiver.url,
      enabled_events: ['payment_intent.succeeded'],
    });
    receiver.useSecret(created.body.secret);
    const endpointId = String(created.body.id);

    // Act
    const intent = await post('/v1/payment_intents', {
      amount: 2_000,
      currency: 'USD',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const delivered = await waitFor(
      async () => receiver.acknowledged().find((d) => d.objectId === intent.body.id),
      'the payment_intent.succeeded delivery',
      30_000,
    );
    const log = await waitFor(async () => {
      const page = await get<ListBody>(`/v1/webhook_endpoints/${endpointId}/deliveries`);
      return page.body.data.length > 0 ? page.body : undefined;
    }, 'the delivery log');
    const event = await get(`/v1/events/${delivered.id}`);
    const listed = await get<ListBody>('/v1/events?type=payment_intent.succeeded&limit=100');
    const resent = await post(`/v1/events/${delivered.id}/resend`, { endpoint: endpointId });
    await waitFor(
      async () =>
        receiver.acknowledged().filter((d) => d.id === delivered.id).length >= 2 ? true : undefined,
      'the resent delivery',
      30_000,
    );

    // Assert
    expect(intent.body).toMatchObject({ status: 'succeeded' });
    expect(delivered).toMatchObject({ type: 'payment_intent.succeeded', verified: true, status: 200 });
    expect(delivered.body).toEqual({
      id: delivered.id,
      type: 'payment_intent.succeeded',
      created: expect.any(Number),
      livemode: false,
      data: {
        object: expect.objectContaining({
          id: intent.body.id,
          object: 'payment_intent',
          status: 'succeeded',
        }),
      },
    });
    expect(delivered.body).toMatchObject({
      data: { object: { fees: intent.body.fees, net: intent.body.net } },
    });
    expect(log.data[0]).toEqual({
      object: 'webhook_delivery',
      event: delivered.id,
      attempt: 1,
      attempted_at: expect.any(Number),
      status_code: 200,
      duration_ms: expect.any(Number),
      next_attempt_at: null,
    });
    expect(event).toMatchObject({
      status: 200,
      body: { id: delivered.id, object: 'event', ...delivered.body },
    });
    expect(listed.body.data.map((e) => e.id)).toContain(delivered.id);
    expect(resent.status).toBe(202);
  });

  it("announces a PaymentIntent's refund as refund.created, then refund.updated when it succeeds", async () => {
    // Arrange
    const intent = await post('/v1/payment_intents', {
      amount: 3_000,
      currency: 'USD',
      payment_method: 'pm_card_visa',
      confirm: true,
    });

    // Act
    const refund = await post('/v1/refunds', { payment_intent: intent.body.id, amount: 1_000 });
    const typesOf = async () => {
      const page = await get<ListBody<{ type: string; data: { object: Json } }>>('/v1/events?limit=100');
      const mine = page.body.data.filter((e) => e.data.object.id === refund.body.id);
      return mine.length >= 2 ? mine : undefined;
    };
    const events = await waitFor(typesOf, 'the refund events');

    // Assert
    expect(refund.body).toMatchObject({ status: 'succeeded' });
    const byType = [...events].sort((a, b) => a.type.localeCompare(b.type));
    expect(byType.map((e) => [e.type, e.data.object.status])).toEqual([
      ['refund.created', 'pending'],
      ['refund.updated', 'succeeded'],
    ]);
    expect(byType[0]?.data.object).toMatchObject({
      object: 'refund',
      amount: 1_000,
      payment_intent: intent.body.id,
      livemode: false,
    });
  });

  it('lists a new customer as customer.created, never to the other mode, and refuses a resend to an endpoint that does not take it', async () => {
    // Arrange
    const endpoint = await post('/v1/webhook_endpoints', {
      url: 'http://127.0.0.1:9/r',
      enabled_events: ['refund.created'],
    });

    // Act
    const customer = await post('/v1/customers', { email: 'webhooks@shop.example' });
    const event = await waitFor(async () => {
      const page = await get<ListBody<{ id: string; data: { object: Json } }>>(
        '/v1/events?type=customer.created',
      );
      return page.body.data.find((e) => e.data.object.id === customer.body.id);
    }, 'the customer.created event');
    const liveList = await get<ListBody>('/v1/events', shop.live);
    const liveRead = await get<ErrorBody>(`/v1/events/${event.id}`, shop.live);
    const resend = await post<ErrorBody>(`/v1/events/${event.id}/resend`, { endpoint: endpoint.body.id });

    // Assert
    expect(event.data.object).toEqual(customer.body);
    expect(liveList.body.data.map((e) => e.id)).not.toContain(event.id);
    expect(liveRead.status).toBe(404);
    expect(resend.status).toBe(400);
    expect(resend.body.error.code).toBe('VALIDATION_ERROR');
  });
});
