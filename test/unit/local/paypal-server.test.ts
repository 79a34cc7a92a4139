/**
 * The production PayPal adapter against the local PayPal-compatible server (loopback only): an order goes
 * from payer action to approved to captured, PayPal-Request-Id replays, refunds, and webhooks that the
 * server signs and its own verify-webhook-signature accepts, and a forged one it refuses.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type RunningPayPalServer, startPayPalServer } from '../../../local/paypal/server.js';
import { PayPalPaymentProvider } from '../../../shared/adapters/paypal/paypal-provider.js';
import {
  ProcessorError,
  ProviderStateConflictError,
  WebhookSignatureError,
} from '../../../shared/domain/provider-errors.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

const credentials = { clientId: 'client', clientSecret: 'secret', webhookId: 'WH-test' };

let paypal: RunningPayPalServer;
let receiver: Server;
let received: Received[];
let provider: PayPalPaymentProvider;

beforeAll(async () => {
  received = [];
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  paypal = await startPayPalServer({ ...credentials, webhookUrl: `http://127.0.0.1:${address.port}/hook` });
  provider = new PayPalPaymentProvider({ ...credentials, apiBase: paypal.url });
});

afterAll(async () => {
  await paypal.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

const charge = (key: string) => ({
  idempotencyKey: key,
  amount: 1050,
  currency: 'USD',
  paymentMethodId: 'paypal',
  metadata: { topupId: key },
  capture: 'automatic' as const,
});

async function approve(orderId: string): Promise<void> {
  const response = await fetch(`${paypal.url}/local/paypal/orders/${orderId}/approve`, { method: 'POST' });
  expect(response.status).toBe(200);
}

async function eventOf(type: string, orderId: string): Promise<Received> {
  for (let wait = 0; wait < 50; wait += 1) {
    const found = received.find((delivery) => {
      const event: unknown = JSON.parse(delivery.body);
      return JSON.stringify(event).includes(orderId) && delivery.body.includes(`"event_type":"${type}"`);
    });
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no ${type} for ${orderId}`);
}

function headersOf(delivery: Received): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(delivery.headers).map(([name, value]) => [name, Array.isArray(value) ? value[0] : value]),
  );
}

describe('Local PayPal server', () => {
  it('takes an order through approval and capture, and replays a create under the same PayPal-Request-Id', async () => {
    // Arrange & Act
    const created = await provider.createPayment(charge('tu_a'));
    const again = await provider.createPayment(charge('tu_a'));
    await approve(created.id);
    const approved = await provider.retrievePayment(created.id);
    const captured = await provider.confirmPayment(created.id, 'tu_a:capture');
    const capturedAgain = await provider.confirmPayment(created.id, 'tu_a:capture');

    // Assert
    expect(created).toMatchObject({ status: 'requires_action', amount: 1050, metadata: { topupId: 'tu_a' } });
    expect(created.nextActionUrl).toBe(`${paypal.url}/checkoutnow?token=${created.id}`);
    expect(again.id).toBe(created.id);
    expect(approved.status).toBe('requires_confirmation');
    expect(captured).toMatchObject({ status: 'succeeded', amountReceived: 1050 });
    expect(capturedAgain).toEqual(captured);
  });

  it('refuses to capture an order the payer has not approved', async () => {
    const created = await provider.createPayment(charge('tu_b'));

    await expect(provider.confirmPayment(created.id, 'tu_b:capture')).rejects.toBeInstanceOf(
      ProviderStateConflictError,
    );
  });

  it('refunds part of a capture, then the rest', async () => {
    const created = await provider.createPayment(charge('tu_c'));
    await approve(created.id);
    await provider.confirmPayment(created.id, 'tu_c:capture');

    const first = await provider.refund({ paymentId: created.id, idempotencyKey: 're_1', amount: 50 });
    const rest = await provider.refund({ paymentId: created.id, idempotencyKey: 're_2' });

    expect(first).toMatchObject({ amount: 50, currency: 'USD', status: 'succeeded' });
    expect(rest).toMatchObject({ amount: 1000, status: 'succeeded' });
  });

  it('signs its webhooks so that its verify-webhook-signature accepts them, grouped by order', async () => {
    // Arrange
    const created = await provider.createPayment(charge('tu_d'));
    await approve(created.id);
    await provider.confirmPayment(created.id, 'tu_d:capture');

    // Act
    const approvedEvent = await provider.verifyWebhook(
      (await eventOf('CHECKOUT.ORDER.APPROVED', created.id)).body,
      headersOf(await eventOf('CHECKOUT.ORDER.APPROVED', created.id)),
    );
    const completed = await eventOf('PAYMENT.CAPTURE.COMPLETED', created.id);
    const completedEvent = await provider.verifyWebhook(completed.body, headersOf(completed));

    // Assert
    expect(approvedEvent).toMatchObject({
      provider: 'paypal',
      type: 'CHECKOUT.ORDER.APPROVED',
      objectId: created.id,
    });
    expect(completedEvent).toMatchObject({
      type: 'PAYMENT.CAPTURE.COMPLETED',
      objectId: created.id,
      paymentId: created.id,
    });
  });

  it('refuses a webhook whose body was changed after signing', async () => {
    const created = await provider.createPayment(charge('tu_e'));
    await approve(created.id);
    const delivery = await eventOf('CHECKOUT.ORDER.APPROVED', created.id);

    await expect(
      provider.verifyWebhook(delivery.body.replace('APPROVED', 'COMPLETED'), headersOf(delivery)),
    ).rejects.toBeInstanceOf(WebhookSignatureError);
  });

  describe('simulated outages', () => {
    async function setOutage(mode: string): Promise<void> {
      const response = await fetch(`${paypal.url}/local/paypal/outage`, {
        method: 'PUT',
        body: JSON.stringify({ mode }),
      });
      expect(response.status).toBe(200);
    }
    afterEach(() => setOutage('none'));

    it('answers 503 while unavailable: a retryable processor error', async () => {
      // Arrange
      await setOutage('unavailable');

      // Act
      const failure = provider.createPayment(charge('tu_down'));

      // Assert
      await expect(failure).rejects.toBeInstanceOf(ProcessorError);
      await expect(failure).rejects.toMatchObject({ retryable: true });
    });

    it('creates the order but loses the answer, and replays it once answers come back', async () => {
      // Arrange
      await setOutage('lose_answers');
      await expect(provider.createPayment(charge('tu_lost'))).rejects.toMatchObject({ retryable: true });
      await setOutage('none');

      // Act
      const replayed = await provider.createPayment(charge('tu_lost'));

      // Assert
      const listing = (await (await fetch(`${paypal.url}/local/paypal/orders`)).json()) as {
        orders: { id: string; custom_id: string | null }[];
      };
      const ours = listing.orders.filter((order) => order.custom_id?.includes('tu_lost'));
      expect(ours.map((order) => order.id)).toEqual([replayed.id]);
    });
  });

  it('signs a delivery as if transmitted long ago, which the adapter refuses as a replay', async () => {
    // Arrange
    const created = await provider.createPayment(charge('tu_old'));
    await approve(created.id);
    const approvedEvent = await eventOf('CHECKOUT.ORDER.APPROVED', created.id);
    const eventId = (JSON.parse(approvedEvent.body) as { id: string }).id;

    // Act
    const old = (await (
      await fetch(`${paypal.url}/local/paypal/events/${eventId}/signed?sentSecondsAgo=600`)
    ).json()) as { body: string; headers: Record<string, string> };

    // Assert
    expect(Date.now() - Date.parse(old.headers['paypal-transmission-time'] ?? '')).toBeGreaterThan(590_000);
    await expect(provider.verifyWebhook(old.body, old.headers)).rejects.toBeInstanceOf(WebhookSignatureError);
  });
});
