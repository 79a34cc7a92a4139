/**
 * PayPal as the second provider, over HTTP on the local stack: a top-up paid with PayPal waits for the
 * payer's approval at (the local) PayPal, the approval's webhook has the consumer capture the order, and the
 * capture's webhook finds the wallet already credited. Webhooks are signed by the local PayPal server, which
 * also answers our verify-webhook-signature calls, as PayPal does.
 */
import { randomUUID } from 'node:crypto';
import { DeleteMessageCommand, type Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { readLocalEnv } from '../../local/config.js';
import { DynamoDbTopups } from '../../shared/adapters/dynamodb/topups.js';
import { PayPalPaymentProvider } from '../../shared/adapters/paypal/paypal-provider.js';
import { queues } from '../../shared/infra/queues.js';
import { call, endpoint, tokenFor } from '../support/api.js';
import { ledgerProblems, localDocumentClient, TABLE_NAME } from '../support/ledger.js';
import { availableUsd, topupCredits, waitFor } from '../support/stack.js';

const env = readLocalEnv();
const LOCAL_ACCOUNT = '000000000000';
const DELIVERIES_PER_EVENT = 5;
const MAX_RECEIVE_COUNT = queues.webhooks.deadLetter.maxReceiveCount;
const topups = new DynamoDbTopups(localDocumentClient(), TABLE_NAME);

interface Topup {
  topupId: string;
  status: string;
  paymentMethod: { type: string };
  nextAction?: { type: string; url: string };
}
interface Payment {
  paymentId: string;
  state: string;
  status: string;
  paymentMethod: { type: string };
  refundedAmount: number;
  nextAction?: { type: string; url: string };
  history: { state: string; event: string; actor: string }[];
}
interface InboxEvent {
  eventId: string;
  status: 'received' | 'processed' | 'ignored' | 'failed';
  deliveries: number;
  failures: number;
  outcome?: string;
  lastError?: string;
  subject?: { type: string; id: string };
}
interface PayPalEvent {
  id: string;
  event_type: string;
}
interface PayPalOrder {
  id: string;
  status: string;
  custom_id: string | null;
  capture_status: string | null;
}
interface Signed {
  body: string;
  headers: Record<string, string>;
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

async function newUser() {
  const userId = `@pp${randomUUID().slice(0, 8)}:tween.example`;
  return { userId, token: await tokenFor(userId), path: encodeURIComponent(userId) };
}
type User = Awaited<ReturnType<typeof newUser>>;

function requestTopup(user: User, amount: number, key: string = randomUUID()) {
  return call<Topup>('POST', '/wallet/v1/topup', {
    token: user.token,
    body: { amount, currency: 'USD', paymentMethod: { type: 'paypal' } },
    headers: { 'idempotency-key': key },
  });
}

async function paypalTopup(user: User, amount: number): Promise<Topup> {
  const answer = await requestTopup(user, amount);
  expect(answer.status).toBe(201);
  return answer.body;
}

function orderIdOf(resource: { nextAction?: { url: string } }): string {
  const url = new URL(resource.nextAction?.url ?? 'http://missing/');
  const token = url.searchParams.get('token');
  if (token === null) throw new Error('The approve link names no order');
  return token;
}

async function approve(orderId: string, options: { decline?: boolean } = {}): Promise<void> {
  const query = options.decline === true ? '?decline=true' : '';
  const response = await fetch(`${endpoint('paypal')}/local/paypal/orders/${orderId}/approve${query}`, {
    method: 'POST',
  });
  expect(response.status).toBe(200);
}

async function eventsOf(orderId: string): Promise<PayPalEvent[]> {
  const response = await fetch(`${endpoint('paypal')}/local/paypal/events?order=${orderId}`);
  return ((await response.json()) as { events: PayPalEvent[] }).events;
}

async function allOrders(): Promise<PayPalOrder[]> {
  const response = await fetch(`${endpoint('paypal')}/local/paypal/orders`);
  return ((await response.json()) as { orders: PayPalOrder[] }).orders;
}

async function ordersNaming(recordId: string): Promise<PayPalOrder[]> {
  return (await allOrders()).filter((order) => order.custom_id?.includes(recordId) === true);
}

async function outage(mode: 'none' | 'unavailable' | 'lose_answers'): Promise<void> {
  const response = await fetch(`${endpoint('paypal')}/local/paypal/outage`, {
    method: 'PUT',
    body: JSON.stringify({ mode }),
  });
  expect(response.status).toBe(200);
}

/** One delivery of the event as PayPal would send it: the body and five freshly signed headers. */
async function signed(eventId: string, sentSecondsAgo = 0): Promise<Signed> {
  const response = await fetch(
    `${endpoint('paypal')}/local/paypal/events/${eventId}/signed?sentSecondsAgo=${sentSecondsAgo}`,
  );
  expect(response.status).toBe(200);
  return (await response.json()) as Signed;
}

function deliver(delivery: Signed) {
  return call<{ received: boolean }>('POST', '/api/v1/webhooks/paypal', {
    rawBody: delivery.body,
    headers: { 'content-type': 'application/json', ...delivery.headers },
  });
}

function requestPayment(user: User, value: number) {
  return call<Payment>('POST', '/api/v1/payments/request', {
    token: user.token,
    headers: { 'idempotency-key': randomUUID() },
    body: {
      appId: 'app_paypal',
      amount: { value, currency: 'USD' },
      paymentMethod: { type: 'paypal' },
      description: 'Sticker pack',
    },
  });
}

function paymentOf(user: User, paymentId: string) {
  return call<Payment>('GET', `/api/v1/payments/${paymentId}`, { token: user.token });
}

async function paymentWhen(
  user: User,
  paymentId: string,
  done: (payment: Payment) => boolean,
  what: string,
): Promise<Payment> {
  return waitFor(async () => {
    const answer = await paymentOf(user, paymentId);
    return done(answer.body) ? answer.body : undefined;
  }, what);
}

describe('Stack: PayPal as a second provider', () => {
  let ops: string;

  beforeAll(async () => {
    ops = await tokenFor(`@ops${randomUUID().slice(0, 8)}:tween.example`, { roles: ['ops'] });
  });

  afterAll(async () => {
    expect(await ledgerProblems()).toEqual([]);
  });

  async function inboxEntry(eventId: string): Promise<InboxEvent | undefined> {
    let cursor: string | null = null;
    for (let page = 0; page < 20; page += 1) {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const answer = await call<{ items: InboxEvent[]; nextCursor: string | null }>(
        'GET',
        `/api/v1/webhooks/events?limit=100${query}`,
        { token: ops },
      );
      expect(answer.status).toBe(200);
      const found = answer.body.items.find((item) => item.eventId === eventId);
      if (found !== undefined) return found;
      cursor = answer.body.nextCursor;
      if (cursor === null) return undefined;
    }
    return undefined;
  }

  function settled(eventId: string): Promise<InboxEvent> {
    return waitFor(async () => {
      const entry = await inboxEntry(eventId);
      return entry?.status === 'processed' ? entry : undefined;
    }, `${eventId} to be processed`);
  }

  /** A PayPal top-up the payer approved, credited through the webhooks the local PayPal server sent. */
  async function approvedTopup(amount: number) {
    const user = await newUser();
    const topup = await paypalTopup(user, amount);
    const orderId = orderIdOf(topup);
    await approve(orderId);
    await waitFor(async () => ((await availableUsd(user)) === amount ? true : undefined), 'the credit');
    const events = await waitFor(async () => {
      const found = await eventsOf(orderId);
      return found.some((event) => event.event_type === 'PAYMENT.CAPTURE.COMPLETED') ? found : undefined;
    }, 'the capture event');
    for (const event of events) await settled(`paypal:${event.id}`);
    return { user, topup, orderId, events };
  }

  it('answers a PayPal top-up with requires_action and the approve link, and credits it once after approval', async () => {
    // Arrange
    const user = await newUser();

    // Act
    const topup = await paypalTopup(user, 7_000);
    const before = await availableUsd(user);
    await approve(orderIdOf(topup));

    // Assert
    expect(topup).toMatchObject({ status: 'requires_action', paymentMethod: { type: 'paypal' } });
    expect(topup.nextAction).toEqual({
      type: 'redirect_to_url',
      url: `${endpoint('paypal')}/checkoutnow?token=${orderIdOf(topup)}`,
    });
    expect(before).toBe(0);
    await waitFor(async () => ((await availableUsd(user)) === 7_000 ? true : undefined), 'the credit');
    expect(await topupCredits(user)).toBe(1);
  });

  it('has one effect when each event is delivered 5 times in shuffled order', async () => {
    // Arrange
    const { user, events } = await approvedTopup(4_200);
    expect(events.map((event) => event.event_type)).toEqual(
      expect.arrayContaining(['CHECKOUT.ORDER.APPROVED', 'PAYMENT.CAPTURE.COMPLETED']),
    );
    const deliveries = shuffled(
      events.flatMap((event) => Array<PayPalEvent>(DELIVERIES_PER_EVENT).fill(event)),
    );

    // Act
    const answers = [];
    for (const event of deliveries) answers.push(await deliver(await signed(event.id)));

    // Assert
    expect(answers.map((answer) => answer.status)).toEqual(deliveries.map(() => 200));
    for (const event of events) {
      const entry = await settled(`paypal:${event.id}`);
      expect(entry.subject?.type).toBe('topup');
    }
    expect(await availableUsd(user)).toBe(4_200);
    expect(await topupCredits(user)).toBe(1);
  });

  it.each([
    [
      'forged (the body changed after signing)',
      (delivery: Signed, id: string) => ({
        body: delivery.body.replace(/"id":"[^"]+"/, `"id":"${id}"`),
        headers: delivery.headers,
      }),
    ],
    [
      'unsigned',
      (delivery: Signed, id: string) => ({
        body: delivery.body.replace(/"id":"[^"]+"/, `"id":"${id}"`),
        headers: {},
      }),
    ],
  ])('answers 400 to a %s webhook and queues nothing', async (_case, tamper) => {
    // Arrange
    const { events } = await approvedTopup(1_100);
    const completed = events.find((event) => event.event_type === 'PAYMENT.CAPTURE.COMPLETED');
    const forgedId = `WH-FORGED-${randomUUID()}`;
    const delivery = tamper(await signed(completed?.id ?? ''), forgedId);

    // Act
    const answer = await deliver(delivery);

    // Assert
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await inboxEntry(`paypal:${forgedId}`)).toBeUndefined();
  });

  it('changes nothing when a processed event is replayed', async () => {
    // Arrange
    const { user, events } = await approvedTopup(2_300);
    const completed = events.find((event) => event.event_type === 'PAYMENT.CAPTURE.COMPLETED');
    const eventId = `paypal:${completed?.id}`;
    const before = await settled(eventId);

    // Act
    const answer = await call('POST', '/api/v1/webhooks/replay', { token: ops, body: { eventId } });

    // Assert
    expect(answer.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await settled(eventId)).toMatchObject({ status: 'processed', outcome: before.outcome });
    expect(await availableUsd(user)).toBe(2_300);
    expect(await topupCredits(user)).toBe(1);
  });

  it('answers 400 to a delivery signed 10 minutes ago and queues nothing', async () => {
    // Arrange
    const { user, events } = await approvedTopup(1_300);
    const approvedEvent = events.find((event) => event.event_type === 'CHECKOUT.ORDER.APPROVED');
    const eventId = `paypal:${approvedEvent?.id}`;
    const before = await settled(eventId);

    // Act
    const answer = await deliver(await signed(approvedEvent?.id ?? '', 600));

    // Assert
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
    expect(await inboxEntry(eventId)).toMatchObject({ deliveries: before.deliveries });
    expect(await availableUsd(user)).toBe(1_300);
  });

  it('credits nothing when PayPal declines the capture of an approved top-up', async () => {
    // Arrange
    const user = await newUser();
    const topup = await paypalTopup(user, 3_100);
    const orderId = orderIdOf(topup);

    // Act
    await approve(orderId, { decline: true });

    // Assert
    const denied = await waitFor(async () => {
      const found = await eventsOf(orderId);
      return found.find((event) => event.event_type === 'PAYMENT.CAPTURE.DENIED');
    }, 'the denied capture');
    expect(await settled(`paypal:${denied.id}`)).toMatchObject({ subject: { type: 'topup' } });
    expect(await availableUsd(user)).toBe(0);
    expect(await topupCredits(user)).toBe(0);
  });

  describe('payments paid with PayPal', () => {
    it('waits for the payer at PayPal, completes on approval, and resumes its lifecycle', async () => {
      // Arrange
      const user = await newUser();
      const requested = await requestPayment(user, 2_400);
      expect(requested.status).toBe(201);
      const { paymentId } = requested.body;
      const waiting = await paymentWhen(
        user,
        paymentId,
        (p) => p.nextAction !== undefined,
        'the approve link',
      );

      // Act
      await approve(orderIdOf(waiting));

      // Assert
      expect(waiting).toMatchObject({ state: 'Processing', paymentMethod: { type: 'paypal' } });
      expect(waiting.nextAction?.url).toMatch(/\/checkoutnow\?token=[A-Z0-9]{17}$/);
      const completed = await paymentWhen(user, paymentId, (p) => p.state === 'Completed', 'completion');
      expect(completed.nextAction).toBeUndefined();
      expect(completed.history.filter((entry) => entry.event === 'completed')).toEqual([
        expect.objectContaining({ actor: 'provider' }),
      ]);
      const execution = await waitFor(async () => {
        const answer = await call<{ status: string }>('GET', `/local/executions/${paymentId}`);
        return answer.body.status === 'RUNNING' ? undefined : answer.body;
      }, 'the lifecycle to end');
      expect(execution.status).toBe('SUCCEEDED');
      expect(await ordersNaming(paymentId)).toEqual([
        expect.objectContaining({ status: 'COMPLETED', capture_status: 'COMPLETED' }),
      ]);
    });

    it('refunds part at PayPal, then the rest, and ends Refunded', async () => {
      // Arrange
      const user = await newUser();
      const { paymentId } = (await requestPayment(user, 2_000)).body;
      await approve(orderIdOf(await paymentWhen(user, paymentId, (p) => p.nextAction !== undefined, 'link')));
      await paymentWhen(user, paymentId, (p) => p.state === 'Completed', 'completion');
      const refund = (amount?: number) =>
        call<{ amount: number; payment: Payment }>('POST', `/api/v1/payments/${paymentId}/refund`, {
          token: ops,
          headers: { 'idempotency-key': randomUUID() },
          body: amount === undefined ? {} : { amount },
        });

      // Act
      const partial = await refund(500);
      const partialAtPayPal = await ordersNaming(paymentId);
      const rest = await refund();

      // Assert
      expect(partial.status).toBe(201);
      expect(partial.body.payment).toMatchObject({ state: 'Completed', refundedAmount: 500 });
      expect(partialAtPayPal).toEqual([expect.objectContaining({ capture_status: 'PARTIALLY_REFUNDED' })]);
      expect(rest.status).toBe(201);
      expect(rest.body).toMatchObject({
        amount: 1_500,
        payment: { state: 'Refunded', refundedAmount: 2_000 },
      });
      expect(await ordersNaming(paymentId)).toEqual([
        expect.objectContaining({ capture_status: 'REFUNDED' }),
      ]);
    });

    it('fails the payment when PayPal declines the capture', async () => {
      // Arrange
      const user = await newUser();
      const { paymentId } = (await requestPayment(user, 1_700)).body;
      const waiting = await paymentWhen(
        user,
        paymentId,
        (p) => p.nextAction !== undefined,
        'the approve link',
      );

      // Act
      await approve(orderIdOf(waiting), { decline: true });

      // Assert
      const failed = await paymentWhen(user, paymentId, (p) => p.state === 'Failed', 'the payment to fail');
      expect(failed.status).toBe('failed');
    });
  });

  it('repairs a top-up whose PayPal answer was lost: reconciliation records the one order, the payer approves it', async () => {
    // Arrange: PayPal creates the order, every answer is lost, the client is told 502
    const user = await newUser();
    const key = randomUUID();
    const before = new Set((await allOrders()).map((order) => order.id));
    await outage('lose_answers');
    let lost: Awaited<ReturnType<typeof requestTopup>>;
    try {
      lost = await requestTopup(user, 5_500, key);
    } finally {
      await outage('none');
    }
    expect(lost.status).toBe(502);
    expect(lost.body).toMatchObject({ error: { code: 'PROCESSOR_ERROR' } });
    const created = (await allOrders()).filter((order) => !before.has(order.id));
    expect(created).toHaveLength(1);
    const topupId = new URLSearchParams(created[0]?.custom_id ?? '').get('topupId') ?? '';
    expect((await topups.get(topupId))?.providerPaymentId).toBeUndefined();

    // Act: the scheduled job runs, then the app retries with the same Idempotency-Key
    const run = await call('POST', '/local/reconcile', { body: { olderThanSeconds: 0 } });
    const repaired = await topups.get(topupId);
    const retried = await requestTopup(user, 5_500, key);
    await approve(orderIdOf(retried.body));

    // Assert
    expect(run.status).toBe(200);
    expect(repaired).toMatchObject({ status: 'requires_action', providerPaymentId: created[0]?.id });
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ topupId, status: 'requires_action' });
    expect(orderIdOf(retried.body)).toBe(created[0]?.id);
    await waitFor(async () => ((await availableUsd(user)) === 5_500 ? true : undefined), 'the credit');
    expect(await topupCredits(user)).toBe(1);
    expect(await ordersNaming(topupId)).toHaveLength(1);
  });

  it('ends an event for a top-up we never had in the dead-letter queue after 5 receives, capturing nothing', async () => {
    // Arrange: an order at PayPal that names a top-up we never had
    const topupId = `tu_unknown${randomUUID().replaceAll('-', '')}`;
    const paypal = new PayPalPaymentProvider({
      clientId: env.PAYPAL_CLIENT_ID,
      clientSecret: env.PAYPAL_CLIENT_SECRET,
      webhookId: env.PAYPAL_WEBHOOK_ID,
      apiBase: endpoint('paypal'),
    });
    const order = await paypal.createPayment({
      idempotencyKey: topupId,
      amount: 1_000,
      currency: 'USD',
      paymentMethodId: 'paypal',
      metadata: { topupId },
      capture: 'automatic',
    });
    const sqs = new SQSClient({
      endpoint: endpoint('sqs'),
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const dlqUrl = `${endpoint('sqs')}/${LOCAL_ACCOUNT}/${queues.webhooksDlq.name}`;

    // Act: the payer approves; the local server delivers the approval itself
    await approve(order.id);
    const approvedEvent = await waitFor(
      async () => (await eventsOf(order.id)).find((event) => event.event_type === 'CHECKOUT.ORDER.APPROVED'),
      'the approval event',
    );
    const dead = await waitFor<Message>(
      async () => {
        const { Messages: messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
        );
        return messages.find((message) => message.Body?.includes(approvedEvent.id));
      },
      'the event in the dead-letter queue',
      (MAX_RECEIVE_COUNT + 10) * 2_000,
    );

    // Assert
    expect(await inboxEntry(`paypal:${approvedEvent.id}`)).toMatchObject({
      status: 'failed',
      deliveries: MAX_RECEIVE_COUNT,
      lastError: expect.stringContaining('UnknownWebhookSubjectError'),
    });
    expect(await ordersNaming(topupId)).toEqual([
      expect.objectContaining({ status: 'APPROVED', capture_status: null }),
    ]);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: dead.ReceiptHandle }));
  });
});
