/**
 * Peer-to-peer transfers over HTTP on the local stack (window P2P_ACCEPTANCE_WINDOW_SECONDS=8): the
 * reservation at initiate, exactly one outcome per transfer, the money moved or returned once, who may
 * decide what, and the two room events every transfer gets.
 */
import { randomUUID } from 'node:crypto';
import { type ApiAnswer, call, tokenFor } from '../support/api.js';
import { ledgerProblems } from '../support/ledger.js';

interface TransferBody {
  transfer_id: string;
  status: string;
  amount: number;
  currency: string;
  sender: { user_id: string; wallet_id: string };
  recipient: { user_id: string; wallet_id: string };
  note: string | null;
  room_id: string;
  expires_at: string;
  created_at: string;
  error?: { code: string };
}

interface RoomEvent {
  type: string;
  content: Record<string, unknown>;
}

const WINDOW_MS = 8_000;

async function newUser() {
  const userId = `@p2p${randomUUID().slice(0, 8)}:tween.example`;
  const token = await tokenFor(userId);
  return { userId, token, path: encodeURIComponent(userId) };
}
type User = Awaited<ReturnType<typeof newUser>>;

async function fundedUser(amount = 10_000): Promise<User> {
  const user = await newUser();
  const topup = await call('POST', '/wallet/v1/topup', {
    token: user.token,
    headers: { 'idempotency-key': randomUUID() },
    body: { amount, currency: 'USD', paymentMethod: { type: 'card', id: 'pm_card_visa' } },
  });
  expect(topup.status).toBe(201);
  return user;
}

async function newRoom(...members: User[]): Promise<string> {
  const roomId = `!p2p${randomUUID().slice(0, 8)}:tween.example`;
  for (const member of members) {
    await call('PUT', `/local/matrix/rooms/${encodeURIComponent(roomId)}/members/${member.path}`);
  }
  return roomId;
}

/** A funded sender, an empty recipient, both joined to a fresh room. */
async function pair(funds = 10_000) {
  const sender = await fundedUser(funds);
  const recipient = await newUser();
  const roomId = await newRoom(sender, recipient);
  return { sender, recipient, roomId };
}

function initiate(
  sender: User,
  recipient: User,
  roomId: string,
  amount: number,
  key = randomUUID(),
): Promise<ApiAnswer<TransferBody>> {
  return call<TransferBody>('POST', '/wallet/v1/p2p/initiate', {
    token: sender.token,
    headers: { 'idempotency-key': key },
    body: { recipient: recipient.userId, amount, currency: 'USD', note: 'Lunch', room_id: roomId },
  });
}

function decide(
  actor: User,
  transferId: string,
  decision: 'accept' | 'reject' | 'cancel',
): Promise<ApiAnswer<TransferBody>> {
  return call<TransferBody>('POST', `/wallet/v1/p2p/${transferId}/${decision}`, { token: actor.token });
}

function transfer(actor: User, transferId: string): Promise<ApiAnswer<TransferBody>> {
  return call<TransferBody>('GET', `/wallet/v1/p2p/${transferId}`, { token: actor.token });
}

async function balance(user: User): Promise<{ available: number; pending: number }> {
  const answer = await call<{ balances: { currency: string; available: number; pending: number }[] }>(
    'GET',
    `/payments/v1/user/${user.path}/balance`,
    { token: user.token },
  );
  const usd = answer.body.balances.find((b) => b.currency === 'USD');
  return { available: usd?.available ?? 0, pending: usd?.pending ?? 0 };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until the balance settles to the expected one; answers the last balance seen at the deadline. */
async function settledBalance(
  user: User,
  expected: { available: number; pending: number },
  deadlineMs = 10_000,
): Promise<{ available: number; pending: number }> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const seen = await balance(user);
    if ((seen.available === expected.available && seen.pending === expected.pending) || Date.now() > deadline)
      return seen;
    await sleep(100);
  }
}

/** Polls the transfer until it leaves `pending_recipient_acceptance`, or the deadline. */
async function settledStatus(user: User, transferId: string, deadlineMs = 10_000): Promise<string> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const answer = await transfer(user, transferId);
    if (answer.body.status !== 'pending_recipient_acceptance' || Date.now() > deadline)
      return answer.body.status;
    await sleep(100);
  }
}

/** Polls the room until it holds `count` events (or the deadline), then waits a little for stragglers. */
async function roomEvents(roomId: string, count: number, deadlineMs = 10_000): Promise<RoomEvent[]> {
  const read = async () =>
    (await call<{ events: RoomEvent[] }>('GET', `/local/matrix/rooms/${encodeURIComponent(roomId)}/events`))
      .body.events;
  const deadline = Date.now() + deadlineMs;
  let events = await read();
  while (events.length < count && Date.now() < deadline) {
    await sleep(100);
    events = await read();
  }
  await sleep(500);
  return read();
}

describe('Stack: P2P transfers', () => {
  afterAll(async () => {
    expect(await ledgerProblems()).toEqual([]);
  });

  describe('Route: POST /wallet/v1/p2p/initiate', () => {
    it('answers 201 pending_recipient_acceptance and reserves the amount from the sender at once', async () => {
      // Arrange
      const { sender, recipient, roomId } = await pair(10_000);

      // Act
      const answer = await initiate(sender, recipient, roomId, 3_000);
      const senderBalance = await balance(sender);

      // Assert
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({
        status: 'pending_recipient_acceptance',
        amount: 3_000,
        currency: 'USD',
        sender: { user_id: sender.userId },
        recipient: { user_id: recipient.userId },
        note: 'Lunch',
        room_id: roomId,
      });
      expect(typeof answer.body.transfer_id).toBe('string');
      expect(typeof answer.body.sender.wallet_id).toBe('string');
      expect(typeof answer.body.recipient.wallet_id).toBe('string');
      const window = Date.parse(answer.body.expires_at) - Date.parse(answer.body.created_at);
      expect(window).toBe(WINDOW_MS);
      expect(senderBalance).toEqual({ available: 7_000, pending: 3_000 });
      expect((await balance(recipient)).available).toBe(0);
    });

    it('answers the same transfer and holds one reservation when retried with the same Idempotency-Key', async () => {
      // Arrange
      const { sender, recipient, roomId } = await pair(10_000);
      const key = randomUUID();

      // Act
      const first = await initiate(sender, recipient, roomId, 2_500, key);
      const retry = await initiate(sender, recipient, roomId, 2_500, key);

      // Assert
      expect(first.status).toBe(201);
      expect([200, 201]).toContain(retry.status);
      expect(retry.body.transfer_id).toBe(first.body.transfer_id);
      expect(retry.body.created_at).toBe(first.body.created_at);
      expect(await balance(sender)).toEqual({ available: 7_500, pending: 2_500 });
      const events = await roomEvents(roomId, 1, 5_000);
      expect(events.filter((e) => e.type === 'm.tween.wallet.p2p')).toHaveLength(1);
    });

    it('answers 403 NOT_ROOM_MEMBER and reserves nothing when the recipient is not in the room', async () => {
      // Arrange
      const sender = await fundedUser(10_000);
      const recipient = await newUser();
      const roomId = await newRoom(sender);

      // Act
      const answer = await initiate(sender, recipient, roomId, 1_000);

      // Assert
      expect(answer.status).toBe(403);
      expect(answer.body.error?.code).toBe('NOT_ROOM_MEMBER');
      expect(await balance(sender)).toEqual({ available: 10_000, pending: 0 });
    });

    it('answers 400 and reserves nothing for a transfer to oneself', async () => {
      // Arrange
      const sender = await fundedUser(10_000);
      const roomId = await newRoom(sender);

      // Act
      const answer = await initiate(sender, sender, roomId, 1_000);

      // Assert
      expect(answer.status).toBe(400);
      expect(await balance(sender)).toEqual({ available: 10_000, pending: 0 });
    });

    it('answers 402 and reserves nothing when the sender cannot cover the amount', async () => {
      // Arrange
      const { sender, recipient, roomId } = await pair(1_000);

      // Act
      const answer = await initiate(sender, recipient, roomId, 1_500);

      // Assert
      expect(answer.status).toBe(402);
      expect(await balance(sender)).toEqual({ available: 1_000, pending: 0 });
    });
  });

  describe('Route: POST /wallet/v1/p2p/{id}/accept', () => {
    it('moves the money exactly once and announces the transfer and its outcome once each', async () => {
      // Arrange
      const { sender, recipient, roomId } = await pair(10_000);
      const { body: created } = await initiate(sender, recipient, roomId, 3_000);

      // Act
      const accepted = await decide(recipient, created.transfer_id, 'accept');
      const repeated = await decide(recipient, created.transfer_id, 'accept');

      // Assert
      expect(accepted.status).toBe(200);
      expect(accepted.body.status).toBe('completed');
      expect(repeated.status).toBe(200);
      expect(repeated.body.status).toBe('completed');
      expect(await settledBalance(sender, { available: 7_000, pending: 0 })).toEqual({
        available: 7_000,
        pending: 0,
      });
      expect(await settledBalance(recipient, { available: 3_000, pending: 0 })).toEqual({
        available: 3_000,
        pending: 0,
      });
      const events = await roomEvents(roomId, 2);
      const initiated = events.filter((e) => e.type === 'm.tween.wallet.p2p');
      const statuses = events.filter((e) => e.type === 'm.tween.wallet.p2p.status');
      expect(initiated).toHaveLength(1);
      expect(initiated[0]?.content).toMatchObject({
        transfer_id: created.transfer_id,
        status: 'pending_recipient_acceptance',
        amount: 3_000,
        currency: 'USD',
      });
      expect(statuses.map((e) => e.content)).toEqual([
        { transfer_id: created.transfer_id, status: 'completed' },
      ]);
    });

    it('answers 404 to a stranger and leaves the transfer pending', async () => {
      // Arrange
      const { sender, recipient, roomId } = await pair(10_000);
      const stranger = await newUser();
      const { body: created } = await initiate(sender, recipient, roomId, 1_000);

      // Act
      const answer = await decide(stranger, created.transfer_id, 'accept');
      const read = await transfer(stranger, created.transfer_id);

      // Assert
      expect(answer.status).toBe(404);
      expect(read.status).toBe(404);
      expect((await transfer(sender, created.transfer_id)).body.status).toBe('pending_recipient_acceptance');
    });

    it('answers 403 when the sender accepts their own transfer', async () => {
      // Arrange
      const { sender, recipient, roomId } = await pair(10_000);
      const { body: created } = await initiate(sender, recipient, roomId, 1_000);

      // Act
      const answer = await decide(sender, created.transfer_id, 'accept');

      // Assert
      expect(answer.status).toBe(403);
      expect((await transfer(recipient, created.transfer_id)).body.status).toBe(
        'pending_recipient_acceptance',
      );
    });

    it('answers 409 to another decision once the transfer is accepted', async () => {
      // Arrange
      const { sender, recipient, roomId } = await pair(10_000);
      const { body: created } = await initiate(sender, recipient, roomId, 1_000);
      await decide(recipient, created.transfer_id, 'accept');

      // Act
      const reject = await decide(recipient, created.transfer_id, 'reject');
      const cancel = await decide(sender, created.transfer_id, 'cancel');

      // Assert
      expect(reject.status).toBe(409);
      expect(cancel.status).toBe(409);
      expect(await settledBalance(recipient, { available: 1_000, pending: 0 })).toEqual({
        available: 1_000,
        pending: 0,
      });
    });
  });

  describe('Route: POST /wallet/v1/p2p/{id}/reject and /cancel', () => {
    it.each([
      ['reject', 'rejected', 'recipient'],
      ['cancel', 'cancelled', 'sender'],
    ] as const)(
      'returns the money to the sender on %s and announces %s once',
      async (decision, status, who) => {
        // Arrange
        const { sender, recipient, roomId } = await pair(10_000);
        const { body: created } = await initiate(sender, recipient, roomId, 4_000);
        const actor = who === 'sender' ? sender : recipient;

        // Act
        const answer = await decide(actor, created.transfer_id, decision);
        const repeated = await decide(actor, created.transfer_id, decision);

        // Assert
        expect(answer.status).toBe(200);
        expect(answer.body.status).toBe(status);
        expect(repeated.status).toBe(200);
        expect(repeated.body.status).toBe(status);
        expect(await settledBalance(sender, { available: 10_000, pending: 0 })).toEqual({
          available: 10_000,
          pending: 0,
        });
        expect((await balance(recipient)).available).toBe(0);
        const events = await roomEvents(roomId, 2);
        expect(events.filter((e) => e.type === 'm.tween.wallet.p2p')).toHaveLength(1);
        expect(events.filter((e) => e.type === 'm.tween.wallet.p2p.status').map((e) => e.content)).toEqual([
          { transfer_id: created.transfer_id, status },
        ]);
      },
    );

    it('answers 403 when the recipient cancels', async () => {
      // Arrange
      const { sender, recipient, roomId } = await pair(10_000);
      const { body: created } = await initiate(sender, recipient, roomId, 1_000);

      // Act
      const answer = await decide(recipient, created.transfer_id, 'cancel');

      // Assert
      expect(answer.status).toBe(403);
      expect((await transfer(sender, created.transfer_id)).body.status).toBe('pending_recipient_acceptance');
    });
  });

  describe('Expiry', () => {
    it('expires an undecided transfer after the window, returns the money and refuses a late accept with 409', async () => {
      // Arrange
      const { sender, recipient, roomId } = await pair(10_000);
      const { body: created } = await initiate(sender, recipient, roomId, 2_000);
      await sleep(Date.parse(created.expires_at) - Date.now() + 250);

      // Act
      const lateAccept = await decide(recipient, created.transfer_id, 'accept');
      const status = await settledStatus(sender, created.transfer_id);

      // Assert
      expect(lateAccept.status).toBe(409);
      expect(status).toBe('expired');
      expect(await settledBalance(sender, { available: 10_000, pending: 0 })).toEqual({
        available: 10_000,
        pending: 0,
      });
      expect((await balance(recipient)).available).toBe(0);
      const events = await roomEvents(roomId, 2);
      expect(events.filter((e) => e.type === 'm.tween.wallet.p2p')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'm.tween.wallet.p2p.status').map((e) => e.content)).toEqual([
        { transfer_id: created.transfer_id, status: 'expired' },
      ]);
    });
  });

  describe('Concurrency', () => {
    it('settles 20 concurrent accept/reject/cancel calls to exactly one outcome and moves the money once', async () => {
      // Arrange
      const { sender, recipient, roomId } = await pair(10_000);
      const { body: created } = await initiate(sender, recipient, roomId, 5_000);
      const decisions = Array.from(
        { length: 20 },
        (_, i) => (['accept', 'reject', 'cancel'] as const)[i % 3],
      );

      // Act
      const answers = await Promise.all(
        decisions.map((decision) =>
          decision === 'cancel'
            ? decide(sender, created.transfer_id, 'cancel')
            : decide(recipient, created.transfer_id, decision ?? 'accept'),
        ),
      );

      // Assert
      expect(answers.map((a) => a.status).filter((s) => s !== 200 && s !== 409)).toEqual([]);
      const outcomes = new Set(answers.filter((a) => a.status === 200).map((a) => a.body.status));
      expect(outcomes.size).toBe(1);
      const [outcome] = [...outcomes];
      expect(await settledStatus(sender, created.transfer_id)).toBe(outcome);
      const moved = outcome === 'completed';
      const expectedSender = { available: moved ? 5_000 : 10_000, pending: 0 };
      const expectedRecipient = { available: moved ? 5_000 : 0, pending: 0 };
      expect(await settledBalance(sender, expectedSender)).toEqual(expectedSender);
      expect(await settledBalance(recipient, expectedRecipient)).toEqual(expectedRecipient);
      const events = await roomEvents(roomId, 2);
      expect(events.filter((e) => e.type === 'm.tween.wallet.p2p')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'm.tween.wallet.p2p.status').map((e) => e.content)).toEqual([
        { transfer_id: created.transfer_id, status: outcome },
      ]);
      expect(await ledgerProblems()).toEqual([]);
    });
  });
});
