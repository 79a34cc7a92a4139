/**
 * Faults at a merchant's webhook receiver (the faults suite's outbound side), over the local stack: a
 * merchant registers a receiver on this machine (test/support/webhook-receiver.ts, which verifies every
 * signature with `standardwebhooks`), its objects' events are delivered through the deliveries queue, retried on the local short schedule
 * (WEBHOOK_RETRY_SCHEDULE) while the receiver is down or failing, each acknowledged exactly once, in order
 * per object; and a live endpoint whose host turns into loopback after registration is refused at delivery.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { webhookEndpointKey } from '../../shared/adapters/dynamodb/merchant-keys.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { call } from '../support/api.js';
import { localDocumentClient } from '../support/ledger.js';
import { newShop, withKey } from '../support/merchant-shops.js';
import { waitFor } from '../support/stack.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

type Json = Record<string, unknown>;

interface DeliveryRow {
  event: string;
  attempt: number;
  status_code: number | null;
  next_attempt_at: number | null;
  error?: string;
}

async function register(secret: string, url: string): Promise<{ id: string; secret: string }> {
  const answer = await call<Json>(
    'POST',
    '/v1/webhook_endpoints',
    withKey(secret, { url, enabled_events: ['*'] }),
  );
  if (answer.status !== 200 && answer.status !== 201) {
    throw new Error(`Registering ${url}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return { id: String(answer.body.id), secret: String(answer.body.secret) };
}

async function deliveries(secret: string, endpointId: string): Promise<DeliveryRow[]> {
  const answer = await call<{ data: DeliveryRow[] }>(
    'GET',
    `/v1/webhook_endpoints/${endpointId}/deliveries?limit=100`,
    withKey(secret, undefined, null),
  );
  return answer.status === 200 ? answer.body.data : [];
}

async function newCustomer(secret: string, name: string): Promise<string> {
  const answer = await call<Json>(
    'POST',
    '/v1/customers',
    withKey(secret, { email: `${name}@customers.example`, name }),
  );
  if (answer.status !== 200 && answer.status !== 201) throw new Error(`Customer: ${answer.status}`);
  return String(answer.body.id);
}

/** A PaymentIntent paid in full, then refunded: events of two objects (pi_ then re_). */
async function paidAndRefunded(secret: string): Promise<{ intentId: string; refundId: string }> {
  const intent = await call<Json>(
    'POST',
    '/v1/payment_intents',
    withKey(secret, { amount: 10_000, currency: 'USD', payment_method: 'pm_card_visa', confirm: true }),
  );
  if (intent.body.status !== 'succeeded') throw new Error(`PaymentIntent: ${JSON.stringify(intent.body)}`);
  const refund = await call<Json>('POST', '/v1/refunds', withKey(secret, { payment_intent: intent.body.id }));
  if (refund.status !== 200 && refund.status !== 201) throw new Error(`Refund: ${refund.status}`);
  return { intentId: String(intent.body.id), refundId: String(refund.body.id) };
}

async function eventsOf(
  secret: string,
): Promise<{ id: string; type: string; created: number; data: { object: { id: string } } }[]> {
  const answer = await call<{
    data: { id: string; type: string; created: number; data: { object: { id: string } } }[];
  }>('GET', '/v1/events?limit=100', withKey(secret, undefined, null));
  return answer.status === 200 ? answer.body.data : [];
}

describe('Webhook delivery over the local stack', () => {
  const receivers: WebhookReceiver[] = [];
  afterAll(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
  });
  const receiver = async () => {
    const started = await WebhookReceiver.start();
    receivers.push(started);
    return started;
  };

  it('delivers every event to a receiver that was down, once each it acknowledges, in order per object', async () => {
    // Arrange: the receiver is down when the events happen
    const shop = await newShop();
    const hooks = await receiver();
    hooks.mode = 'down';
    const endpoint = await register(shop.test, hooks.url);
    hooks.useSecret(endpoint.secret);

    // Act: events of several objects while it is down; it comes back after a few failed attempts
    const { intentId, refundId } = await paidAndRefunded(shop.test);
    await newCustomer(shop.test, 'ada');
    await waitFor(async () => (hooks.dropped >= 3 ? true : undefined), 'failed attempts while down', 30_000);
    hooks.mode = 'up';
    const recorded = await waitFor(
      async () => {
        const events = await eventsOf(shop.test);
        const acknowledged = new Set(hooks.acknowledged().map((delivery) => delivery.id));
        return events.length >= 4 && events.every((event) => acknowledged.has(event.id)) ? events : undefined;
      },
      'every event acknowledged',
      90_000,
    );

    // Assert: each event acknowledged exactly once, every delivery signed, and per object in creation order
    const acknowledged = hooks.acknowledged();
    expect(acknowledged.map((delivery) => delivery.id).sort()).toEqual(
      recorded.map((event) => event.id).sort(),
    );
    expect(hooks.received.every((delivery) => delivery.verified)).toBe(true);
    // Every object's events (the refund's created, then updated) in creation order.
    const objects = new Set([intentId, refundId, ...recorded.map((event) => event.data.object.id)]);
    for (const objectId of objects) {
      // The list is newest first, and `created` has whole seconds: oldest first before sorting, so events of
      // the same second keep the order they were recorded in (their sequence).
      const created = [...recorded]
        .reverse()
        .filter((event) => event.data.object.id === objectId)
        .map((event) => event.id);
      const arrived = acknowledged
        .filter((delivery) => delivery.objectId === objectId)
        .map((delivery) => delivery.id);
      expect(arrived).toEqual(created);
    }
    const log = await deliveries(shop.test, endpoint.id);
    expect(log.some((row) => row.status_code === null && row.error !== undefined)).toBe(true);
    expect(log.filter((row) => row.status_code === 200)).toHaveLength(recorded.length);
  }, 150_000);

  it('delivers once more after a 500, then never again once acknowledged', async () => {
    // Arrange
    const shop = await newShop();
    const hooks = await receiver();
    const endpoint = await register(shop.test, hooks.url);
    hooks.useSecret(endpoint.secret).script('error');

    // Act
    const customerId = await newCustomer(shop.test, 'grace');
    await waitFor(
      async () => (hooks.acknowledged().length === 1 ? true : undefined),
      'the retry acknowledged',
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 6_000));

    // Assert: two deliveries of the one event (500, then 200), the same id and a fresh signature each
    expect(hooks.received.map((delivery) => [delivery.type, delivery.status])).toEqual([
      ['customer.created', 500],
      ['customer.created', 200],
    ]);
    expect(new Set(hooks.received.map((delivery) => delivery.id)).size).toBe(1);
    expect(hooks.received[1]?.objectId).toBe(customerId);
    const log = await deliveries(shop.test, endpoint.id);
    expect(log.map((row) => row.status_code).sort()).toEqual([200, 500]);
  }, 60_000);

  it('refuses at delivery a live endpoint whose host has turned into loopback since registration', async () => {
    // Arrange: a live endpoint on a public https URL, then (rebinding) its host now means this machine
    const shop = await newShop();
    const hooks = await receiver();
    const endpoint = await register(shop.live, 'https://93.184.216.34/tween-hooks');
    await localDocumentClient().send(
      new UpdateCommand({
        TableName: tableDefinition.localName,
        Key: webhookEndpointKey(shop.merchantId, 'live', endpoint.id),
        UpdateExpression: 'SET #url = :url',
        ExpressionAttributeNames: { '#url': 'url' },
        ExpressionAttributeValues: { ':url': hooks.url.replace('http://127.0.0.1', 'https://localhost') },
      }),
    );

    // Act
    await newCustomer(shop.live, 'mallory');
    const log = await waitFor(
      async () => {
        const rows = await deliveries(shop.live, endpoint.id);
        return rows.length > 0 ? rows : undefined;
      },
      'a refused attempt',
      30_000,
    );

    // Assert: no answer, blocked before any connection, and the receiver heard nothing
    expect(log[0]).toMatchObject({ status_code: null, error: 'blocked_address' });
    expect(hooks.received).toHaveLength(0);
    expect(hooks.dropped).toBe(0);
  }, 60_000);
});
