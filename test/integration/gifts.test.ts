/**
 * Group gifts over HTTP on the local stack (GIFT_MIN_LIFETIME_SECONDS=2): the total leaves the creator at
 * once, every share is paid exactly once to exactly one member however many race for it, what nobody opened
 * goes back to the creator at expiry, who may open or read what, idempotent creation, and the room events.
 */
import { randomUUID } from 'node:crypto';
import { type ApiAnswer, call, tokenFor } from '../support/api.js';
import { ledgerProblems } from '../support/ledger.js';

interface ErrorBody {
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

interface GiftBody extends ErrorBody {
  gift_id: string;
  type: string;
  status: 'active' | 'fully_opened' | 'expired';
  total_amount: number;
  currency: string;
  count: number;
  remaining: number;
  distribution: 'random' | 'equal';
  message: string | null;
  creator: { user_id: string; wallet_id: string };
  opened_by: { user_id: string; amount: number; opened_at: string }[];
  leaderboard?: { rank: number; user_id: string; amount: number; opened_at: string; luckiest: boolean }[];
  expires_at: string;
  created_at: string;
  room_id: string;
  refunded_amount?: number;
}

interface OpenedBody extends ErrorBody {
  gift_id: string;
  amount: number;
  currency: string;
  remaining: number;
}

interface RoomEvent {
  type: string;
  content: Record<string, unknown>;
}

async function newUser() {
  const userId = `@gift${randomUUID().slice(0, 8)}:tween.example`;
  const token = await tokenFor(userId);
  return { userId, token, path: encodeURIComponent(userId) };
}
type User = Awaited<ReturnType<typeof newUser>>;

function newUsers(count: number): Promise<User[]> {
  return Promise.all(Array.from({ length: count }, () => newUser()));
}

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

function join(roomId: string, user: User): Promise<ApiAnswer> {
  return call('PUT', `/local/matrix/rooms/${encodeURIComponent(roomId)}/members/${user.path}`);
}

async function newRoom(...members: User[]): Promise<string> {
  const roomId = `!gift${randomUUID().slice(0, 8)}:tween.example`;
  await Promise.all(members.map((member) => join(roomId, member)));
  return roomId;
}

interface GiftRequest {
  room_id: string;
  total_amount: unknown;
  currency: unknown;
  count: unknown;
  distribution: unknown;
  message?: string;
  expires_in_seconds?: number;
  [extra: string]: unknown;
}

function giftRequest(roomId: string, overrides: Partial<GiftRequest> = {}): GiftRequest {
  return {
    room_id: roomId,
    total_amount: 1_000,
    currency: 'USD',
    count: 5,
    distribution: 'random',
    message: 'Happy new year',
    ...overrides,
  };
}

/** `key: null` sends no Idempotency-Key at all. */
function create(
  creator: User,
  body: unknown,
  key: string | null = randomUUID(),
): Promise<ApiAnswer<GiftBody>> {
  return call<GiftBody>('POST', '/wallet/v1/gift/create', {
    token: creator.token,
    body,
    ...(key === null ? {} : { headers: { 'idempotency-key': key } }),
  });
}

/** Creates a gift that must be accepted; answers its body. */
async function createdGift(creator: User, body: GiftRequest): Promise<GiftBody> {
  const answer = await create(creator, body);
  expect(answer.status).toBe(201);
  return answer.body;
}

function open(user: User, giftId: string): Promise<ApiAnswer<OpenedBody>> {
  return call<OpenedBody>('POST', `/wallet/v1/gift/${giftId}/open`, { token: user.token });
}

function read(user: User, giftId: string): Promise<ApiAnswer<GiftBody>> {
  return call<GiftBody>('GET', `/wallet/v1/gift/${giftId}`, { token: user.token });
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

/** Polls the gift until it leaves `active`, or the deadline; answers the last read. */
async function settledGift(user: User, giftId: string, deadlineMs = 30_000): Promise<GiftBody> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const answer = await read(user, giftId);
    if (answer.body.status !== 'active' || Date.now() > deadline) return answer.body;
    await sleep(200);
  }
}

/** Polls the room until `done` holds for its events (or the deadline), then waits a little for stragglers. */
async function roomEvents(
  roomId: string,
  done: (events: RoomEvent[]) => boolean,
  deadlineMs = 10_000,
): Promise<RoomEvent[]> {
  const readRoom = async () =>
    (await call<{ events: RoomEvent[] }>('GET', `/local/matrix/rooms/${encodeURIComponent(roomId)}/events`))
      .body.events;
  const deadline = Date.now() + deadlineMs;
  let events = await readRoom();
  while (!done(events) && Date.now() < deadline) {
    await sleep(100);
    events = await readRoom();
  }
  await sleep(500);
  return readRoom();
}

const ofType = (events: RoomEvent[], type: string) => events.filter((e) => e.type === type);
const sum = (amounts: number[]) => amounts.reduce((total, amount) => total + amount, 0);
/** Each answer as `status` or `status CODE`. */
const codes = (answers: ApiAnswer<ErrorBody>[]) =>
  answers.map((a) => (a.body?.error === undefined ? `${a.status}` : `${a.status} ${a.body.error.code}`));
/** How many answers had each `status CODE`, e.g. `{ '200': 10, '409 GIFT_EMPTY': 90 }`. */
function tally(answers: ApiAnswer<ErrorBody>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const code of codes(answers)) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
}

describe('Stack: group gifts', () => {
  afterAll(async () => {
    expect(await ledgerProblems()).toEqual([]);
  });

  describe('Route: POST /wallet/v1/gift/create', () => {
    it('answers 201 active with the whole gift and takes the total from the creator at once', async () => {
      // Arrange
      const creator = await fundedUser(10_000);
      const roomId = await newRoom(creator);

      // Act
      const answer = await create(creator, giftRequest(roomId, { total_amount: 3_000, count: 3 }));

      // Assert
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({
        type: 'group',
        status: 'active',
        total_amount: 3_000,
        currency: 'USD',
        count: 3,
        remaining: 3,
        distribution: 'random',
        message: 'Happy new year',
        creator: { user_id: creator.userId },
        opened_by: [],
        room_id: roomId,
      });
      expect(answer.body.gift_id).toMatch(/^gift_/);
      expect(answer.body.creator.wallet_id).toMatch(/^tw_/);
      const lifetime = Date.parse(answer.body.expires_at) - Date.parse(answer.body.created_at);
      expect(lifetime).toBe(86_400_000);
      expect(await balance(creator)).toEqual({ available: 7_000, pending: 0 });
    });

    it.each<[string, number, string, Partial<GiftRequest>]>([
      ['count above total_amount', 400, 'VALIDATION_ERROR', { total_amount: 5, count: 6 }],
      ['count 0', 400, 'VALIDATION_ERROR', { count: 0 }],
      ['count 101', 400, 'VALIDATION_ERROR', { total_amount: 5_000, count: 101 }],
      ['a float total', 400, 'INVALID_AMOUNT', { total_amount: 100.5 }],
      ['a negative total', 400, 'INVALID_AMOUNT', { total_amount: -100 }],
      ['a string total', 400, 'INVALID_AMOUNT', { total_amount: '1000' }],
      ['an unknown currency', 400, 'UNSUPPORTED_CURRENCY', { currency: 'XYZ' }],
      ['an unknown distribution', 400, 'VALIDATION_ERROR', { distribution: 'lucky' }],
      ['an extra field', 400, 'VALIDATION_ERROR', { recipient: '@bob:tween.example' }],
      ['a lifetime above a week', 400, 'VALIDATION_ERROR', { expires_in_seconds: 604_801 }],
      ['a lifetime below the minimum', 400, 'VALIDATION_ERROR', { expires_in_seconds: 1 }],
      // Below the MFA threshold (USD 50.00 locally), so no step-up is asked for first.
      ['more than the wallet holds', 402, 'INSUFFICIENT_FUNDS', { total_amount: 4_001 }],
      ['above the MFA threshold without a step-up token', 428, 'STEP_UP_REQUIRED', { total_amount: 5_001 }],
    ])('refuses %s with %i %s and takes nothing', async (_case, status, code, overrides) => {
      // Arrange
      const creator = await fundedUser(4_000);
      const roomId = await newRoom(creator);

      // Act
      const answer = await create(creator, giftRequest(roomId, overrides));

      // Assert
      expect(codes([answer])).toEqual([`${status} ${code}`]);
      expect(await balance(creator)).toEqual({ available: 4_000, pending: 0 });
    });

    it('answers 400 IDEMPOTENCY_KEY_MISSING and takes nothing without an Idempotency-Key', async () => {
      // Arrange
      const creator = await fundedUser(10_000);
      const roomId = await newRoom(creator);

      // Act
      const answer = await create(creator, giftRequest(roomId), null);

      // Assert
      expect(answer.status).toBe(400);
      expect(answer.body.error?.code).toBe('IDEMPOTENCY_KEY_MISSING');
      expect(await balance(creator)).toEqual({ available: 10_000, pending: 0 });
    });

    it('answers 403 NOT_ROOM_MEMBER and takes nothing when the creator is not in the room', async () => {
      // Arrange
      const creator = await fundedUser(10_000);
      const roomId = await newRoom(await newUser());

      // Act
      const answer = await create(creator, giftRequest(roomId));

      // Assert
      expect(answer.status).toBe(403);
      expect(answer.body.error?.code).toBe('NOT_ROOM_MEMBER');
      expect(await balance(creator)).toEqual({ available: 10_000, pending: 0 });
    });
  });

  describe('Idempotency', () => {
    it('answers the same gift with Idempotent-Replayed: true and takes the money once when retried with the same key', async () => {
      // Arrange
      const creator = await fundedUser(10_000);
      const roomId = await newRoom(creator);
      const body = giftRequest(roomId, { total_amount: 2_000, count: 4 });
      const key = randomUUID();

      // Act
      const first = await create(creator, body, key);
      const retry = await create(creator, body, key);

      // Assert
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body.gift_id).toBe(first.body.gift_id);
      expect(retry.body.created_at).toBe(first.body.created_at);
      expect(await balance(creator)).toEqual({ available: 8_000, pending: 0 });
    });

    it('answers 422 IDEMPOTENCY_KEY_REUSED and takes nothing more when the key comes back with another body', async () => {
      // Arrange
      const creator = await fundedUser(10_000);
      const roomId = await newRoom(creator);
      const key = randomUUID();
      const first = await create(creator, giftRequest(roomId, { total_amount: 1_000 }), key);

      // Act
      const reused = await create(creator, giftRequest(roomId, { total_amount: 3_000 }), key);

      // Assert
      expect(first.status).toBe(201);
      expect(reused.status).toBe(422);
      expect(reused.body.error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await balance(creator)).toEqual({ available: 9_000, pending: 0 });
    });

    it('creates exactly one gift and takes the money once for 5 concurrent twins with the same key', async () => {
      // Arrange
      const creator = await fundedUser(10_000);
      const roomId = await newRoom(creator);
      const body = giftRequest(roomId, { total_amount: 2_500, count: 5 });
      const key = randomUUID();

      // Act
      const answers = await Promise.all(Array.from({ length: 5 }, () => create(creator, body, key)));

      // Assert
      const unexpected = answers.filter(
        (a) => a.status !== 201 && !(a.status === 409 && a.body.error?.code === 'IDEMPOTENCY_IN_PROGRESS'),
      );
      expect(codes(unexpected)).toEqual([]);
      const created = answers.filter((a) => a.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((a) => a.body.gift_id)).size).toBe(1);
      expect(await balance(creator)).toEqual({ available: 7_500, pending: 0 });
      const events = await roomEvents(roomId, (seen) => ofType(seen, 'm.tween.gift').length >= 1, 5_000);
      expect(ofType(events, 'm.tween.gift')).toHaveLength(1);
    });
  });

  describe('Route: POST /wallet/v1/gift/{id}/open', () => {
    it('pays equal shares of 1003 in four as three of 251 and one of 250 and marks the luckiest only once settled', async () => {
      // Arrange
      const creator = await fundedUser(10_000);
      const members = await newUsers(4);
      const roomId = await newRoom(creator, ...members);
      const gift = await createdGift(
        creator,
        giftRequest(roomId, { total_amount: 1_003, count: 4, distribution: 'equal' }),
      );

      // Act
      const answers: ApiAnswer<OpenedBody>[] = [];
      const boards: GiftBody[] = [];
      for (const member of members) {
        answers.push(await open(member, gift.gift_id));
        boards.push((await read(creator, gift.gift_id)).body);
      }

      // Assert
      expect(answers.map((a) => [a.status, a.body.remaining])).toEqual([
        [200, 3],
        [200, 2],
        [200, 1],
        [200, 0],
      ]);
      const amounts = answers.map((a) => a.body.amount);
      expect([...amounts].sort()).toEqual([250, 251, 251, 251]);
      expect(boards.map((b) => b.status)).toEqual(['active', 'active', 'active', 'fully_opened']);
      expect(boards.slice(0, 3).flatMap((b) => (b.leaderboard ?? []).filter((e) => e.luckiest))).toEqual([]);
      const board = boards[3]?.leaderboard ?? [];
      expect(board.map((e) => [e.rank, e.amount, e.luckiest])).toEqual([
        [1, 251, true],
        [2, 251, false],
        [3, 251, false],
        [4, 250, false],
      ]);
      // Ties go to whoever opened first.
      const tiedOrder = members.filter((_, index) => amounts[index] === 251).map((m) => m.userId);
      expect(board.slice(0, 3).map((e) => e.user_id)).toEqual(tiedOrder);
      expect(await Promise.all(members.map((member) => balance(member)))).toEqual(
        amounts.map((available) => ({ available, pending: 0 })),
      );
    });

    it('lets the creator open their own gift and pays the share back to their wallet', async () => {
      // Arrange
      const creator = await fundedUser(10_000);
      const roomId = await newRoom(creator);
      const gift = await createdGift(
        creator,
        giftRequest(roomId, { total_amount: 1_000, count: 2, distribution: 'equal' }),
      );

      // Act
      const answer = await open(creator, gift.gift_id);

      // Assert
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ gift_id: gift.gift_id, amount: 500, currency: 'USD', remaining: 1 });
      expect(await balance(creator)).toEqual({ available: 9_500, pending: 0 });
    });

    it('answers 403 NOT_ROOM_MEMBER to a non-member, pays them nothing and leaves the gift untouched', async () => {
      // Arrange
      const creator = await fundedUser(10_000);
      const stranger = await fundedUser(1_000);
      const roomId = await newRoom(creator);
      const gift = await createdGift(creator, giftRequest(roomId));

      // Act
      const opened = await open(stranger, gift.gift_id);
      const readByStranger = await read(stranger, gift.gift_id);

      // Assert
      expect(opened.status).toBe(403);
      expect(opened.body.error?.code).toBe('NOT_ROOM_MEMBER');
      expect(readByStranger.status).toBe(403);
      expect(readByStranger.body.error?.code).toBe('NOT_ROOM_MEMBER');
      expect(await balance(stranger)).toEqual({ available: 1_000, pending: 0 });
      const { body: after } = await read(creator, gift.gift_id);
      expect(after).toMatchObject({ status: 'active', remaining: 5, opened_by: [] });
    });

    it.each([
      ['an unknown gift id', 404, 'NOT_FOUND', `gift_${randomUUID().replaceAll('-', '')}`],
      ['a malformed gift id', 400, 'VALIDATION_ERROR', 'not-a-gift'],
    ])('answers %s with %i %s to open and read', async (_case, status, code, giftId) => {
      // Arrange
      const member = await newUser();

      // Act
      const opened = await open(member, giftId);
      const readAnswer = await read(member, giftId);

      // Assert
      expect(codes([opened, readAnswer])).toEqual([`${status} ${code}`, `${status} ${code}`]);
    });
  });

  describe('Route: GET /wallet/v1/gift/{id}', () => {
    it('still shows the gift to its creator after they left the room', async () => {
      // Arrange
      const creator = await fundedUser(10_000);
      const member = await newUser();
      const roomId = await newRoom(creator, member);
      const gift = await createdGift(creator, giftRequest(roomId));
      await call('DELETE', `/local/matrix/rooms/${encodeURIComponent(roomId)}/members/${creator.path}`);

      // Act
      const answer = await read(creator, gift.gift_id);

      // Assert
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        gift_id: gift.gift_id,
        status: 'active',
        opened_by: [],
        leaderboard: [],
      });
    });
  });

  describe('Expiry', () => {
    it('expires the gift, refunds exactly the unopened shares to the creator and refuses a late opening with 409', async () => {
      // Arrange
      const creator = await fundedUser(10_000);
      const members = await newUsers(3);
      const [first, second, late] = members as [User, User, User];
      const roomId = await newRoom(creator, ...members);
      const gift = await createdGift(
        creator,
        giftRequest(roomId, { total_amount: 1_000, count: 5, expires_in_seconds: 3 }),
      );
      const opened = [await open(first, gift.gift_id), await open(second, gift.gift_id)];
      const openedAmount = sum(opened.map((a) => a.body.amount));

      // Act
      const settled = await settledGift(creator, gift.gift_id);
      const lateOpen = await open(late, gift.gift_id);

      // Assert
      expect(Date.parse(gift.expires_at) - Date.parse(gift.created_at)).toBe(3_000);
      expect(opened.map((a) => a.status)).toEqual([200, 200]);
      expect(settled).toMatchObject({
        status: 'expired',
        remaining: 3,
        refunded_amount: 1_000 - openedAmount,
      });
      expect(settled.leaderboard?.filter((e) => e.luckiest).map((e) => e.rank)).toEqual([1]);
      expect(lateOpen.status).toBe(409);
      expect(lateOpen.body.error?.code).toBe('INVALID_STATE_TRANSITION');
      expect(await balance(creator)).toEqual({ available: 10_000 - openedAmount, pending: 0 });
      expect(await Promise.all(members.map((member) => balance(member)))).toEqual([
        { available: opened[0]?.body.amount, pending: 0 },
        { available: opened[1]?.body.amount, pending: 0 },
        { available: 0, pending: 0 },
      ]);
      expect(await ledgerProblems()).toEqual([]);
    });
  });

  describe('Room events', () => {
    it('announces the gift with m.tween.gift and each opening with m.tween.gift.opened, once each', async () => {
      // Arrange
      const creator = await fundedUser(10_000);
      const member = await newUser();
      const roomId = await newRoom(creator, member);
      const gift = await createdGift(creator, giftRequest(roomId, { total_amount: 2_000, count: 4 }));

      // Act
      const opened = await open(member, gift.gift_id);
      const events = await roomEvents(
        roomId,
        (seen) => ofType(seen, 'm.tween.gift').length >= 1 && ofType(seen, 'm.tween.gift.opened').length >= 1,
      );

      // Assert
      expect(opened.status).toBe(200);
      expect(ofType(events, 'm.tween.gift').map((e) => e.content)).toEqual([
        expect.objectContaining({
          gift_id: gift.gift_id,
          type: 'group',
          status: 'active',
          total_amount: 2_000,
          currency: 'USD',
          count: 4,
          remaining: 4,
          distribution: 'random',
          message: 'Happy new year',
          creator: expect.objectContaining({ user_id: creator.userId }),
          expires_at: gift.expires_at,
        }),
      ]);
      expect(ofType(events, 'm.tween.gift.opened').map((e) => e.content)).toEqual([
        {
          gift_id: gift.gift_id,
          user_id: member.userId,
          amount: opened.body.amount,
          currency: 'USD',
          remaining: 3,
        },
      ]);
    });

    it('announces the expiry with m.tween.gift status expired and the refunded amount', async () => {
      // Arrange
      const creator = await fundedUser(10_000);
      const roomId = await newRoom(creator);
      const gift = await createdGift(
        creator,
        giftRequest(roomId, { total_amount: 700, count: 7, expires_in_seconds: 3 }),
      );

      // Act
      const events = await roomEvents(
        roomId,
        (seen) => ofType(seen, 'm.tween.gift').some((e) => e.content.status === 'expired'),
        30_000,
      );

      // Assert
      expect(ofType(events, 'm.tween.gift').map((e) => e.content.status)).toEqual(['active', 'expired']);
      expect(ofType(events, 'm.tween.gift')[1]?.content).toEqual({
        gift_id: gift.gift_id,
        status: 'expired',
        remaining: 7,
        refunded_amount: 700,
        currency: 'USD',
      });
      expect(await balance(creator)).toEqual({ available: 10_000, pending: 0 });
    });
  });

  describe('Concurrency', () => {
    it('pays one member once and refuses their 9 concurrent repeats with ALREADY_OPENED', async () => {
      // Arrange
      const creator = await fundedUser(10_000);
      const member = await newUser();
      const roomId = await newRoom(creator, member);
      const gift = await createdGift(creator, giftRequest(roomId, { total_amount: 1_000, count: 5 }));

      // Act
      const answers = await Promise.all(Array.from({ length: 10 }, () => open(member, gift.gift_id)));

      // Assert
      expect(tally(answers)).toEqual({ '200': 1, '409 ALREADY_OPENED': 9 });
      const paid = answers.filter((a) => a.status === 200);
      const share = paid[0]?.body.amount;
      expect(paid[0]?.body.remaining).toBe(4);
      expect(await balance(member)).toEqual({ available: share, pending: 0 });
      const { body: after } = await read(member, gift.gift_id);
      expect(after.remaining).toBe(4);
      expect(after.opened_by).toEqual([
        { user_id: member.userId, amount: share, opened_at: expect.any(String) },
      ]);
    });

    it('pays 10 of 100 members racing for a 10-share gift, refuses the other 90 with GIFT_EMPTY and keeps the ledger balanced', async () => {
      // Arrange
      const creator = await fundedUser(10_000);
      const members = await newUsers(100);
      const roomId = await newRoom(creator, ...members);
      const gift = await createdGift(creator, giftRequest(roomId, { total_amount: 5_000, count: 10 }));

      // Act
      const answers = await Promise.all(members.map((member) => open(member, gift.gift_id)));

      // Assert
      expect(tally(answers)).toEqual({ '200': 10, '409 GIFT_EMPTY': 90 });
      const paid = answers.filter((a) => a.status === 200);
      expect(sum(paid.map((a) => a.body.amount))).toBe(5_000);
      expect(paid.every((a) => a.body.amount >= 1 && a.body.currency === 'USD')).toBe(true);
      // Each answer's remaining is the count as that opener saw it: two openings at the same moment may
      // both report the same number, so only the range is certain.
      expect(paid.every((a) => a.body.remaining >= 0 && a.body.remaining <= 9)).toBe(true);

      const { body: settled } = await read(creator, gift.gift_id);
      expect(settled).toMatchObject({ status: 'fully_opened', remaining: 0 });
      const shareOf = new Map(
        members.flatMap((member, i) => {
          const answer = answers[i];
          return answer?.status === 200 ? [[member.userId, answer.body.amount] as const] : [];
        }),
      );
      expect(new Map(settled.opened_by.map((o) => [o.user_id, o.amount]))).toEqual(shareOf);
      const board = settled.leaderboard ?? [];
      expect(board.map((entry) => entry.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const amounts = board.map((entry) => entry.amount);
      expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
      expect(board.filter((entry) => entry.luckiest).map((entry) => entry.rank)).toEqual([1]);

      const balances = await Promise.all(members.map((member) => balance(member)));
      expect(balances).toEqual(
        members.map((member) => ({ available: shareOf.get(member.userId) ?? 0, pending: 0 })),
      );
      expect(await balance(creator)).toEqual({ available: 5_000, pending: 0 });
      expect(await ledgerProblems()).toEqual([]);
    });
  });
});
