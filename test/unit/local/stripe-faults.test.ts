/** The local Stripe server's flaky mode (`/local/stripe/faults`) and PaymentIntent list, as the real SDK sees them. */
import Stripe from 'stripe';
import { type RunningStripeServer, startStripeServer } from '../../../local/stripe/server.js';
import { clientFor } from './stripe-client.js';
import { WebhookReceiver } from './stripe-webhook-receiver.js';

const SECRET_KEY = 'sk_test_local51TweenPaymentsFaultsKey';

async function setFaults(server: RunningStripeServer, body: unknown): Promise<Response> {
  return fetch(`${server.url}/local/stripe/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

function charge(stripe: Stripe, key: string) {
  return stripe.paymentIntents.create(
    {
      amount: 1_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      metadata: { key },
    },
    { idempotencyKey: key },
  );
}

describe('Route: PUT /local/stripe/faults', () => {
  let server: RunningStripeServer;
  let stripe: Stripe;

  beforeEach(async () => {
    server = await startStripeServer({ secretKey: SECRET_KEY, webhookSecret: 'whsec_local_faults' });
    stripe = clientFor(server, SECRET_KEY);
  });

  afterEach(async () => {
    await server.close();
  });

  it('answers 500 or 503 api_error without creating anything when every request gets a server error', async () => {
    // Arrange
    await setFaults(server, { rates: { serverError: 1 }, seed: 3 });

    // Act
    const first = await rejection(charge(stripe, 'k1'));
    const second = await rejection(charge(stripe, 'k1'));
    await setFaults(server, { rates: {} });
    const listed = await stripe.paymentIntents.list({ limit: 10 });

    // Assert
    expect(first).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect([first, second].map((error) => (error as { statusCode?: number }).statusCode).sort()).toEqual([
      500, 503,
    ]);
    expect(listed.data).toEqual([]);
  });

  it('holds a timed-out request for hangMs, then drops it without creating anything', async () => {
    // Arrange
    await setFaults(server, { rates: { timeout: 1 }, hangMs: 200 });
    const started = performance.now();

    // Act
    const error = await rejection(stripe.paymentMethods.retrieve('pm_card_visa'));
    const tookMs = performance.now() - started;
    await setFaults(server, { rates: {} });

    // Assert
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(tookMs).toBeGreaterThanOrEqual(190);
    expect((await stripe.paymentIntents.list()).data).toEqual([]);
  });

  it('charges the card but drops the answer on a lost response, and replays the charge under the same key', async () => {
    // Arrange
    await setFaults(server, { rates: { lostResponse: 1 } });

    // Act
    const lost = await rejection(charge(stripe, 'k2'));
    await setFaults(server, { rates: {} });
    const retried = await charge(stripe, 'k2');
    const listed = await stripe.paymentIntents.list({ limit: 10 });

    // Assert
    expect(lost).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(retried.status).toBe('succeeded');
    expect(listed.data.map((intent) => intent.id)).toEqual([retried.id]);
  });

  it('answers a GET normally even when every response is to be lost, as only a POST changes anything', async () => {
    // Arrange
    await setFaults(server, { rates: { lostResponse: 1 } });

    // Act
    const method = await stripe.paymentMethods.retrieve('pm_card_visa');

    // Assert
    expect(method.card?.last4).toBe('4242');
  });

  it('answers creating a customer and attaching a card even when every response is to be lost', async () => {
    // Arrange
    await setFaults(server, { rates: { lostResponse: 1 } });

    // Act
    const customer = await stripe.customers.create({});
    const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });

    // Assert
    expect(card.customer).toBe(customer.id);
  });

  it('reports its settings and what it injected, and refuses a rate above 1 with 400', async () => {
    // Arrange
    await setFaults(server, { rates: { serverError: 1 }, seed: 11, hangMs: 300 });
    await rejection(stripe.paymentMethods.retrieve('pm_card_visa'));

    // Act
    const refused = await setFaults(server, { rates: { serverError: 2 } });
    const current = (await (await fetch(`${server.url}/local/stripe/faults`)).json()) as unknown;

    // Assert
    expect(refused.status).toBe(400);
    expect(current).toEqual({
      rates: { serverError: 1 },
      seed: 11,
      hangMs: 300,
      decisions: 1,
      webhookDecisions: 0,
      injected: { serverError: 1, timeout: 0, lostResponse: 0, lostWebhook: 0 },
    });
  });
});

describe('Route: PUT /local/stripe/faults (lostWebhook)', () => {
  let receiver: WebhookReceiver;
  let server: RunningStripeServer;
  let stripe: Stripe;

  beforeEach(async () => {
    receiver = new WebhookReceiver();
    await receiver.start();
    server = await startStripeServer({
      secretKey: SECRET_KEY,
      webhookSecret: 'whsec_local_faults',
      webhookUrl: receiver.url,
    });
    stripe = clientFor(server, SECRET_KEY);
  });

  afterEach(async () => {
    await server.close();
    await receiver.close();
  });

  it('records every event of a charge as failed and sends none when every webhook is lost', async () => {
    // Arrange
    await setFaults(server, { rates: { lostWebhook: 1 } });

    // Act
    const intent = await charge(stripe, 'k3');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const events = (await (await fetch(`${server.url}/local/stripe/events`)).json()) as {
      data: { event: { type: string }; delivery: { state: string } }[];
    };

    // Assert
    expect(intent.status).toBe('succeeded');
    expect(events.data.length).toBeGreaterThan(0);
    expect(events.data.every((record) => record.delivery.state === 'failed')).toBe(true);
    expect(receiver.received).toEqual([]);
  });
});

describe('Route: GET /v1/payment_intents', () => {
  let server: RunningStripeServer;
  let stripe: Stripe;

  beforeAll(async () => {
    server = await startStripeServer({ secretKey: SECRET_KEY, webhookSecret: 'whsec_local_faults' });
    stripe = clientFor(server, SECRET_KEY);
  });

  afterAll(async () => {
    await server.close();
  });

  it('lists every PaymentIntent newest first across pages', async () => {
    // Arrange
    const created = [];
    for (const key of ['a', 'b', 'c', 'd', 'e']) created.push((await charge(stripe, key)).id);

    // Act
    const firstPage = await stripe.paymentIntents.list({ limit: 2 });
    const all = await stripe.paymentIntents.list({ limit: 2 }).autoPagingToArray({ limit: 100 });

    // Assert
    expect(firstPage.has_more).toBe(true);
    expect(firstPage.data.map((intent) => intent.id)).toEqual(created.slice(-2).reverse());
    expect(all.map((intent) => intent.id)).toEqual([...created].reverse());
  });
});
