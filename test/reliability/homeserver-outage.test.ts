/**
 * A homeserver outage (#13): the routes that consult room membership (P2P initiate, gift create, a payment
 * announced in a room) answer 503 DEPENDENCY_UNAVAILABLE in the error shape, not 500; nothing moves; the
 * 503 is not stored under the Idempotency-Key, so the same request with the same key succeeds once the
 * homeserver is back. On a stack of this file's own: the outage must reach no other test file.
 */
import { randomUUID } from 'node:crypto';
import {
  type Actor,
  api,
  type JsonAnswer,
  joinRoom,
  newActor,
  type OwnStack,
  startOwnStack,
  stopOwnStack,
} from './support/hostile-stack.js';

interface ErrorAnswer {
  error?: { code: string; message: string; details?: unknown };
}

let stack: OwnStack | undefined;

function ownStack(): OwnStack {
  if (stack === undefined) throw new Error('The stack did not start');
  return stack;
}

async function funded(amount: number): Promise<Actor> {
  const actor = await newActor('outage');
  const topup = await api(ownStack(), 'POST', '/wallet/v1/topup', {
    token: actor.token,
    key: randomUUID(),
    body: { amount, currency: 'USD', paymentMethod: { type: 'card', id: 'pm_card_visa' } },
  });
  expect(topup.status).toBe(201);
  return actor;
}

async function usd(actor: Actor): Promise<{ available: number; pending: number }> {
  const answer = await api<{ balances: { currency: string; available: number; pending: number }[] }>(
    ownStack(),
    'GET',
    `/payments/v1/user/${actor.path}/balance`,
    { token: actor.token },
  );
  const balance = answer.body.balances.find((b) => b.currency === 'USD');
  return { available: balance?.available ?? 0, pending: balance?.pending ?? 0 };
}

/** Polls until the wallet shows `amount` available (a card top-up is credited when the provider confirms). */
async function untilAvailable(actor: Actor, amount: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await usd(actor)).available !== amount) {
    if (Date.now() > deadline) throw new Error(`${actor.userId} never had ${amount} available`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function outage(mode: 'unavailable' | 'none'): Promise<void> {
  const answer = await api(ownStack(), 'PUT', '/local/matrix/outage', { body: { mode } });
  expect(answer.status).toBe(200);
}

function expectUnavailable(answer: JsonAnswer<ErrorAnswer>): void {
  expect(answer.status).toBe(503);
  expect(answer.body.error).toMatchObject({
    code: 'DEPENDENCY_UNAVAILABLE',
    message: expect.stringContaining('homeserver'),
  });
  expect(answer.headers['idempotent-replayed']).toBeUndefined();
  expect(JSON.stringify(answer.body)).not.toMatch(/stack|at \/|ECONN|fetch failed/);
}

describe('Stack: a homeserver outage', () => {
  beforeAll(async () => {
    stack = await startOwnStack();
  }, 120_000);

  afterAll(async () => {
    await outage('none').catch(() => undefined);
    await stopOwnStack(stack);
  });

  it('answers 503 DEPENDENCY_UNAVAILABLE, moves nothing, and lets the same key succeed once it is back', async () => {
    // Arrange
    const [sender, recipient] = await Promise.all([funded(10_000), newActor('outage')]);
    await untilAvailable(sender, 10_000);
    const roomId = `!outage${randomUUID().slice(0, 8)}:tween.example`;
    await joinRoom(ownStack(), roomId, sender);
    await joinRoom(ownStack(), roomId, recipient);
    const requests = [
      {
        path: '/wallet/v1/p2p/initiate',
        key: randomUUID(),
        body: { recipient: recipient.userId, amount: 1_000, currency: 'USD', room_id: roomId },
      },
      {
        path: '/wallet/v1/gift/create',
        key: randomUUID(),
        body: { room_id: roomId, total_amount: 1_000, currency: 'USD', count: 2, distribution: 'equal' },
      },
      {
        path: '/api/v1/payments/request',
        key: randomUUID(),
        body: {
          appId: 'app_demo',
          amount: { value: 1_000, currency: 'USD' },
          paymentMethod: { type: 'wallet' },
          description: 'Outage',
          roomId,
        },
      },
    ];
    const sendAll = () =>
      Promise.all(
        requests.map(({ path, key, body }) =>
          api<ErrorAnswer>(ownStack(), 'POST', path, { token: sender.token, key, body }),
        ),
      );
    await outage('unavailable');

    // Act
    const during = await sendAll();
    const heldDuring = await usd(sender);
    await outage('none');
    const after = await sendAll();

    // Assert
    for (const answer of during) expectUnavailable(answer);
    expect(heldDuring).toEqual({ available: 10_000, pending: 0 });
    expect(after.map((answer) => [answer.status, answer.headers['idempotent-replayed']])).toEqual([
      [201, undefined],
      [201, undefined],
      [201, undefined],
    ]);
    expect((await usd(sender)).available).toBe(7_000);
  });
});
