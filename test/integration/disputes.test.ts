/**
 * Disputes of top-ups over HTTP on the local stack: a top-up charged at the local Stripe server, a dispute
 * opened and closed on its charge through the server's control routes, whose signed events reach the
 * webhook route, the queue and the consumer as Stripe's would. The balance view shows the frozen money as
 * `pending` (out of `available`), and P2P and gifts cannot spend it.
 */
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { readLocalEnv } from '../../local/config.js';
import { call, endpoint, tokenFor } from '../support/api.js';
import { ledgerProblems } from '../support/ledger.js';
import { joinRoom, waitFor } from '../support/stack.js';

const env = readLocalEnv();
const TOPUP = 3_000;

interface Balance {
  currency: string;
  available: number;
  pending: number;
  total: number;
}
interface StripeEventJson {
  id: string;
  type: string;
  data: { object: { id: string; metadata?: Record<string, string> } };
}
interface InboxEvent {
  eventId: string;
  status: string;
  outcome?: string;
  deliveries: number;
}

const stripe = (() => {
  const url = new URL(endpoint('stripe'));
  return new Stripe(env.STRIPE_SECRET_KEY, { host: url.hostname, port: Number(url.port), protocol: 'http' });
})();

async function newUser(roles?: string[]) {
  const userId = `@dp${randomUUID().slice(0, 8)}:tween.example`;
  const token = await tokenFor(userId, roles === undefined ? {} : { roles });
  return { userId, token, path: encodeURIComponent(userId) };
}
type User = Awaited<ReturnType<typeof newUser>>;

async function balance(user: User): Promise<Balance | undefined> {
  const answer = await call<{ balances: Balance[] }>('GET', `/payments/v1/user/${user.path}/balance`, {
    token: user.token,
  });
  expect(answer.status).toBe(200);
  return answer.body.balances.find((entry) => entry.currency === 'USD');
}

function balanceOf(user: User, expected: Omit<Balance, 'currency'>, what: string): Promise<Balance> {
  return waitFor(async () => {
    const current = await balance(user);
    return current?.available === expected.available &&
      current.pending === expected.pending &&
      current.total === expected.total
      ? current
      : undefined;
  }, what);
}

/** A user whose wallet holds one card top-up, and the charge that paid for it. */
async function toppedUp(): Promise<{ user: User; chargeId: string }> {
  const user = await newUser();
  const answer = await call<{ topupId: string; status: string }>('POST', '/wallet/v1/topup', {
    token: user.token,
    body: { amount: TOPUP, currency: 'USD', paymentMethod: { type: 'card', id: 'pm_card_visa' } },
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(answer.status).toBe(201);
  expect(answer.body.status).toBe('succeeded');
  const chargeId = await waitFor(async () => {
    const events = await stripeEvents('charge.succeeded');
    return events.find((event) => event.data.object.metadata?.topupId === answer.body.topupId)?.data.object
      .id;
  }, 'the charge of the top-up');
  return { user, chargeId };
}

async function stripeEvents(type: string): Promise<StripeEventJson[]> {
  const response = await fetch(`${endpoint('stripe')}/local/stripe/events?type=${type}`);
  const { data } = (await response.json()) as { data: { event: StripeEventJson }[] };
  return data.map((record) => record.event);
}

async function control<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`${endpoint('stripe')}/local/stripe/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

const openDispute = (chargeId: string) => control<{ id: string }>(`charges/${chargeId}/dispute`, {});
const moveDispute = (disputeId: string, status: string) =>
  control<{ id: string }>(`disputes/${disputeId}/status`, { status });

/** The event the local Stripe server sent for a dispute, as it sent it. */
async function disputeEvent(disputeId: string, type: string): Promise<StripeEventJson> {
  return waitFor(
    async () => (await stripeEvents(type)).find((event) => event.data.object.id === disputeId),
    `${type} of ${disputeId}`,
  );
}

/** Signs a body as Stripe does and POSTs it to the webhook route. */
async function deliver(event: StripeEventJson): Promise<void> {
  const payload = JSON.stringify(event, null, 2);
  const header = stripe.webhooks.generateTestHeaderString({ payload, secret: env.STRIPE_WEBHOOK_SECRET });
  const answer = await call('POST', '/api/v1/webhooks/stripe', {
    rawBody: payload,
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
  });
  expect(answer.status).toBe(200);
}

async function room(...members: User[]): Promise<string> {
  const roomId = `!dp${randomUUID().slice(0, 8)}:tween.example`;
  for (const member of members) await joinRoom(roomId, member.userId);
  return roomId;
}

describe('Stack: disputes of top-ups', () => {
  let ops: string;

  beforeAll(async () => {
    ops = (await newUser(['ops'])).token;
  });

  afterAll(async () => {
    expect(await ledgerProblems()).toEqual([]);
  });

  async function settled(eventId: string): Promise<InboxEvent> {
    return waitFor(async () => {
      const answer = await call<{ items: InboxEvent[] }>('GET', '/api/v1/webhooks/events?limit=100', {
        token: ops,
      });
      const entry = answer.body.items.find((item) => item.eventId === `stripe:${eventId}`);
      return entry?.status === 'processed' ? entry : undefined;
    }, `${eventId} to be processed`);
  }

  it('freezes the disputed money so P2P and gifts cannot spend it, and releases it when the dispute is won', async () => {
    // Arrange
    const { user, chargeId } = await toppedUp();
    const friend = await newUser();
    const roomId = await room(user, friend);
    expect(await balance(user)).toMatchObject({ available: TOPUP, pending: 0, total: TOPUP });

    // Act: the payer disputes the charge
    const dispute = await openDispute(chargeId);

    // Assert: frozen, and neither P2P nor a gift may spend it
    await balanceOf(user, { available: 0, pending: TOPUP, total: TOPUP }, 'the frozen balance');
    const created = await settled((await disputeEvent(dispute.id, 'charge.dispute.created')).id);
    expect(created.outcome).toBe('dispute_frozen');
    const p2p = await call<{ error: { code: string } }>('POST', '/wallet/v1/p2p/initiate', {
      token: user.token,
      body: { recipient: friend.userId, amount: TOPUP, currency: 'USD', room_id: roomId },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(p2p.status).toBe(402);
    expect(p2p.body.error.code).toBe('INSUFFICIENT_FUNDS');
    const gift = await call<{ error: { code: string } }>('POST', '/wallet/v1/gift/create', {
      token: user.token,
      body: { room_id: roomId, total_amount: TOPUP, currency: 'USD', count: 2, distribution: 'equal' },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(gift.status).toBe(402);
    expect(gift.body.error.code).toBe('INSUFFICIENT_FUNDS');
    expect(await balance(user)).toMatchObject({ available: 0, pending: TOPUP, total: TOPUP });

    // Act: won
    await moveDispute(dispute.id, 'won');

    // Assert: available again
    await balanceOf(user, { available: TOPUP, pending: 0, total: TOPUP }, 'the released balance');
    const closed = await settled((await disputeEvent(dispute.id, 'charge.dispute.closed')).id);
    expect(closed.outcome).toBe('dispute_released');
  });

  it('debits the frozen money when the dispute is lost, and duplicate or late events change nothing', async () => {
    // Arrange
    const { user, chargeId } = await toppedUp();
    const dispute = await openDispute(chargeId);
    await balanceOf(user, { available: 0, pending: TOPUP, total: TOPUP }, 'the frozen balance');
    await moveDispute(dispute.id, 'under_review');
    await settled((await disputeEvent(dispute.id, 'charge.dispute.updated')).id);

    // Act
    await moveDispute(dispute.id, 'lost');

    // Assert
    await balanceOf(user, { available: 0, pending: 0, total: 0 }, 'the debited balance');
    const closedEvent = await disputeEvent(dispute.id, 'charge.dispute.closed');
    expect((await settled(closedEvent.id)).outcome).toBe('dispute_debited');

    // Act: the same events again (the same bytes, and replays from the inbox), and the opening and the close
    // again under new ids after the close (out of order)
    const createdEvent = await disputeEvent(dispute.id, 'charge.dispute.created');
    await deliver(closedEvent);
    await deliver(createdEvent);
    for (const event of [closedEvent, createdEvent]) {
      const replay = await call('POST', '/api/v1/webhooks/replay', {
        token: ops,
        body: { eventId: `stripe:${event.id}` },
      });
      expect(replay.status).toBe(202);
    }
    const late = { ...createdEvent, id: `evt_late${randomUUID().replaceAll('-', '')}` };
    const lateClose = { ...closedEvent, id: `evt_again${randomUUID().replaceAll('-', '')}` };
    await deliver(late);
    await deliver(lateClose);

    // Assert
    expect((await settled(late.id)).outcome).toBe('dispute_unchanged');
    expect((await settled(lateClose.id)).outcome).toBe('dispute_unchanged');
    for (const [event, outcome] of [
      [closedEvent, 'dispute_debited'],
      [createdEvent, 'dispute_frozen'],
    ] as const) {
      const replayed = await waitFor(async () => {
        const entry = await settled(event.id);
        return entry.deliveries >= 2 ? entry : undefined;
      }, 'the replay to be delivered');
      expect(replayed.outcome).toBe(outcome);
    }
    expect(await balance(user)).toMatchObject({ available: 0, pending: 0, total: 0 });
  });
});
