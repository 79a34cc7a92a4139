/**
 * PayPal as the second provider, over HTTP on the local stack: a top-up paid with PayPal waits for the
 * payer's approval at (the local) PayPal, the approval's webhook has the consumer capture the order, and the
 * capture's webhook finds the wallet already credited. Webhooks are signed by the local PayPal server, which
 * also answers our verify-webhook-signature calls, as PayPal does.
 */
import { randomUUID } from 'node:crypto';
import { call, endpoint, tokenFor } from '../support/api.js';
import { ledgerProblems } from '../support/ledger.js';

const DELIVERIES_PER_EVENT = 5;

interface Topup {
  topupId: string;
  status: string;
  paymentMethod: { type: string };
  nextAction?: { type: string; url: string };
}
interface InboxEvent {
  eventId: string;
  status: 'received' | 'processed' | 'ignored' | 'failed';
  outcome?: string;
  subject?: { type: string; id: string };
}
interface PayPalEvent {
  id: string;
  event_type: string;
}
interface Signed {
  body: string;
  headers: Record<string, string>;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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

async function paypalTopup(user: User, amount: number): Promise<Topup> {
  const answer = await call<Topup>('POST', '/wallet/v1/topup', {
    token: user.token,
    body: { amount, currency: 'USD', paymentMethod: { type: 'paypal' } },
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(answer.status).toBe(201);
  return answer.body;
}

function orderIdOf(topup: Topup): string {
  const url = new URL(topup.nextAction?.url ?? 'http://missing/');
  const token = url.searchParams.get('token');
  if (token === null) throw new Error('The approve link names no order');
  return token;
}

async function approve(orderId: string): Promise<void> {
  const response = await fetch(`${endpoint('paypal')}/local/paypal/orders/${orderId}/approve`, {
    method: 'POST',
  });
  expect(response.status).toBe(200);
}

async function eventsOf(orderId: string): Promise<PayPalEvent[]> {
  const response = await fetch(`${endpoint('paypal')}/local/paypal/events?order=${orderId}`);
  return ((await response.json()) as { events: PayPalEvent[] }).events;
}

/** One delivery of the event as PayPal would send it: the body and five freshly signed headers. */
async function signed(eventId: string): Promise<Signed> {
  const response = await fetch(`${endpoint('paypal')}/local/paypal/events/${eventId}/signed`);
  expect(response.status).toBe(200);
  return (await response.json()) as Signed;
}

function deliver(delivery: Signed) {
  return call<{ received: boolean }>('POST', '/api/v1/webhooks/paypal', {
    rawBody: delivery.body,
    headers: { 'content-type': 'application/json', ...delivery.headers },
  });
}

async function available(user: User): Promise<number> {
  const answer = await call<{ balances: { currency: string; available: number }[] }>(
    'GET',
    `/payments/v1/user/${user.path}/balance`,
    { token: user.token },
  );
  return answer.body.balances.find((balance) => balance.currency === 'USD')?.available ?? 0;
}

async function topupCredits(user: User): Promise<number> {
  const answer = await call<{ items: { type: string; direction: string }[] }>(
    'GET',
    `/payments/v1/user/${user.path}/transactions?limit=100`,
    { token: user.token },
  );
  return answer.body.items.filter((item) => item.type === 'topup' && item.direction === 'credit').length;
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
    await waitFor(async () => ((await available(user)) === amount ? true : undefined), 'the credit');
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
    const before = await available(user);
    await approve(orderIdOf(topup));

    // Assert
    expect(topup).toMatchObject({ status: 'requires_action', paymentMethod: { type: 'paypal' } });
    expect(topup.nextAction).toEqual({
      type: 'redirect_to_url',
      url: `${endpoint('paypal')}/checkoutnow?token=${orderIdOf(topup)}`,
    });
    expect(before).toBe(0);
    await waitFor(async () => ((await available(user)) === 7_000 ? true : undefined), 'the credit');
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
    expect(await available(user)).toBe(4_200);
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
    expect(await available(user)).toBe(2_300);
    expect(await topupCredits(user)).toBe(1);
  });
});
