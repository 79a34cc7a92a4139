/**
 * The group gift use cases (shared/app/gifts/gifts.ts) against in-memory fakes of every port: funding the
 * escrow on create, who may open or read a gift, claiming the next share (and the next one after losing a
 * race), the leaderboard, and the expiry that refunds what nobody opened, each idempotent.
 */

import { hashStepUpToken } from '../../../../shared/adapters/crypto/step-up-token.js';
import {
  type CreateGiftCommand,
  createGift,
  expireGift,
  type GiftDeps,
  giftOf,
  openGift,
} from '../../../../shared/app/gifts/gifts.js';
import type { Wallet } from '../../../../shared/app/ports.js';
import { domainEventId, domainEventSchemas } from '../../../../shared/domain/events.js';
import {
  type Gift,
  giftCreatedEvent,
  giftTransferIds,
  type RandomInt,
} from '../../../../shared/domain/gift.js';
import { accounts, available, checkLedgerInvariant } from '../../../../shared/domain/ledger.js';
import { CurrencyPolicy } from '../../../../shared/domain/money.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { RecordingGiftLifecycle } from '../../../support/fakes/gift-lifecycle.js';
import { InMemoryGiftStore } from '../../../support/fakes/gifts.js';
import { sequentialIds } from '../../../support/fakes/ids.js';
import { StaticRooms } from '../../../support/fakes/rooms.js';
import { InMemoryWallets } from '../../../support/fakes/wallets.js';
import { InMemoryLedger } from '../../../support/in-memory-ledger.js';
import { InMemoryStepUps } from '../mfa/fakes.js';
import { stepUpAboveThresholdCases } from '../step-up-cases.js';

/** MFA_THRESHOLDS as the local stack has them: USD 50.00; EUR 50.00. */
const THRESHOLDS = new Map([
  ['USD', 5_000],
  ['EUR', 5_000],
]);
const CREATOR = '@alice:tween.example';
const MEMBER = '@bob:tween.example';
const OTHER_MEMBER = '@carol:tween.example';
const STRANGER = '@mallory:tween.example';
const ROOM = '!room:tween.example';
const NOW = '2026-03-01T12:00:00.000Z';
/** NOW plus the default lifetime of 24 h. */
const EXPIRES_AT = '2026-03-02T12:00:00.000Z';
const FUNDS = 10_000;
const TOTAL = 1_000;
const COUNT = 4;
/** What a source that always answers its maximum makes of 1000 in 4 shares by the double-average rule. */
const SHARES = [500, 333, 166, 1];
const MESSAGE = 'Happy new year';

/**
 * Known outcomes: splitting (draws from 1) always takes the largest share the rule allows, so the shares
 * are [500, 333, 166, 1]; picking a free share (draws from 0) always takes the first free one, so openers
 * get the shares in order.
 */
const alwaysMax: RandomInt = (min, max) => (min === 0 ? min : max);

function setup({ randomInt = alwaysMax }: { randomInt?: RandomInt } = {}) {
  const clock = fixedClock(NOW);
  const ids = sequentialIds();
  const ledger = new InMemoryLedger(() => clock.now());
  const stepUps = new InMemoryStepUps();
  const wallets = new InMemoryWallets(ids, clock);
  const gifts = new InMemoryGiftStore(ledger);
  const lifecycle = new RecordingGiftLifecycle();
  const backoffs: number[] = [];
  const deps: GiftDeps = {
    gifts,
    wallets,
    rooms: new StaticRooms({ [ROOM]: [CREATOR, MEMBER, OTHER_MEMBER] }),
    lifecycle,
    currencies: new CurrencyPolicy(['USD', 'EUR']),
    ids,
    clock,
    randomInt,
    minLifetimeSeconds: 60,
    backoff: async (attempt: number) => {
      backoffs.push(attempt);
    },
    stepUp: { thresholds: THRESHOLDS, stepUps, crypto: { hashStepUpToken }, clock },
  };
  const command = (overrides: Partial<CreateGiftCommand> = {}): CreateGiftCommand => ({
    creatorId: CREATOR,
    idempotencyKey: 'key-1',
    roomId: ROOM,
    totalAmount: TOTAL,
    currency: 'USD',
    count: COUNT,
    distribution: 'random',
    message: MESSAGE,
    ...overrides,
  });
  const fund = async (userId = CREATOR, amount = FUNDS): Promise<Wallet> => {
    const wallet = await wallets.ensure(userId);
    await ledger.execute({
      type: 'post',
      id: `topup:${wallet.walletId}:${amount}`,
      debit: accounts.providerClearing('stripe', 'USD'),
      credit: accounts.wallet(wallet.walletId, 'USD'),
      amount,
      code: 'topup',
    });
    return wallet;
  };
  const availableTo = async (userId: string): Promise<number> => {
    const wallet = await wallets.find(userId);
    if (wallet === undefined) return 0;
    const account = await ledger.account(accounts.wallet(wallet.walletId, 'USD').id);
    return account === undefined ? 0 : available(account);
  };
  const inEscrow = async (giftId: string): Promise<number> => {
    const account = await ledger.account(accounts.giftEscrow(giftId, 'USD').id);
    return account === undefined ? 0 : available(account);
  };
  /** A funded creator's gift of TOTAL in COUNT shares (SHARES when random). */
  const created = async (overrides: Partial<CreateGiftCommand> = {}): Promise<Gift> => {
    await fund();
    return createGift(command(overrides), deps);
  };
  const stored = (giftId: string): Gift => {
    const gift = gifts.peek(giftId);
    if (gift === undefined) throw new Error(`Gift ${giftId} is not stored`);
    return gift;
  };
  return {
    deps,
    stepUps,
    backoffs,
    clock,
    ids,
    ledger,
    wallets,
    gifts,
    lifecycle,
    command,
    fund,
    availableTo,
    inEscrow,
    created,
    stored,
  };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

/** The `gift.created` detail createGift hands the lifecycle for the default command. */
function createdDetail(giftId: string, expiresAt = EXPIRES_AT) {
  return {
    eventId: domainEventId('gift.created', giftId),
    occurredAt: NOW,
    roomId: ROOM,
    giftId,
    creator: CREATOR,
    totalAmount: TOTAL,
    currency: 'USD',
    count: COUNT,
    distribution: 'random',
    message: MESSAGE,
    expiresAt,
  };
}

describe('Use case: group gifts', () => {
  describe('Method: createGift', () => {
    describe('Step-up above the MFA threshold', () => {
      const world = { setup, payer: CREATOR, funds: FUNDS, now: NOW, amountField: 'totalAmount' };
      stepUpAboveThresholdCases(world, (h, { amount, ...rest }) =>
        createGift(h.command({ ...rest, totalAmount: amount }), h.deps),
      );
    });

    it('moves the total into escrow, stores the shares and starts the lifecycle with the created event', async () => {
      // Arrange
      const h = setup();
      await h.fund();
      const giftId = h.ids.derive('gift_', CREATOR, 'key-1');

      // Act
      const gift = await createGift(h.command(), h.deps);

      // Assert
      expect(gift).toEqual({
        giftId,
        status: 'active',
        totalAmount: TOTAL,
        currency: 'USD',
        count: COUNT,
        remaining: COUNT,
        claimed: [],
        distribution: 'random',
        shares: SHARES,
        message: MESSAGE,
        creator: { userId: CREATOR, walletId: 'tw_1' },
        roomId: ROOM,
        expiresAt: EXPIRES_AT,
        createdAt: NOW,
      });
      expect(h.stored(giftId)).toEqual(gift);
      expect(await h.availableTo(CREATOR)).toBe(FUNDS - TOTAL);
      expect(await h.inEscrow(giftId)).toBe(TOTAL);
      expect(await h.ledger.transfer(giftTransferIds.fund(giftId))).toMatchObject({
        type: 'post',
        amount: TOTAL,
        code: 'gift_fund',
        debitAccountId: accounts.wallet('tw_1', 'USD').id,
        creditAccountId: accounts.giftEscrow(giftId, 'USD').id,
        metadata: { giftId },
      });
      // The lifecycle only waits: gift.created is written with the gift (the store's outbox), built so.
      expect(h.lifecycle.starts).toEqual([{ giftId, input: { giftId, expiresAt: EXPIRES_AT } }]);
      expect(giftCreatedEvent(h.stored(giftId))).toEqual(createdDetail(giftId));
      expect(checkLedgerInvariant(h.ledger.allAccounts())).toEqual([]);
    });

    it('announces the gift with a created detail that passes the gift.created schema, with no message as null', async () => {
      // Arrange
      const h = setup();
      await h.fund();
      const { message: _none, ...withoutMessage } = h.command({ distribution: 'equal' });

      // Act
      await createGift(withoutMessage, h.deps);

      // Assert
      const [stored] = h.gifts.all();
      const created = stored === undefined ? undefined : giftCreatedEvent(stored);
      expect(created).toMatchObject({ message: null, distribution: 'equal' });
      expect(domainEventSchemas['gift.created'].parse(created)).toEqual(created);
    });

    it('splits equally, the remainder to the first shares, when the distribution is equal', async () => {
      // Arrange
      const h = setup();

      // Act
      const gift = await h.created({ distribution: 'equal', totalAmount: 1_003 });

      // Assert
      expect(gift.shares).toEqual([251, 251, 251, 250]);
      expect(await h.inEscrow(gift.giftId)).toBe(1_003);
    });

    it('sets the expiry expires_in_seconds after now when a lifetime is asked for', async () => {
      // Arrange
      const h = setup();

      // Act
      const gift = await h.created({ expiresInSeconds: 3_600 });

      // Assert
      expect(gift.expiresAt).toBe('2026-03-01T13:00:00.000Z');
      expect(h.lifecycle.starts[0]?.input).toMatchObject({ expiresAt: '2026-03-01T13:00:00.000Z' });
    });

    it.each([
      ['a zero amount', { totalAmount: 0 }, 'INVALID_AMOUNT'],
      ['an amount as a string', { totalAmount: '1000' }, 'INVALID_AMOUNT'],
      ['a fractional amount', { totalAmount: 10.5 }, 'INVALID_AMOUNT'],
      ['a currency not enabled', { currency: 'GBP' }, 'UNSUPPORTED_CURRENCY'],
      ['no shares', { count: 0 }, 'VALIDATION_ERROR'],
      ['101 shares', { count: 101 }, 'VALIDATION_ERROR'],
      ['more shares than units', { totalAmount: 3, count: 4 }, 'VALIDATION_ERROR'],
      ['a lifetime under a minute', { expiresInSeconds: 59 }, 'VALIDATION_ERROR'],
      ['a lifetime over a week', { expiresInSeconds: 604_801 }, 'VALIDATION_ERROR'],
    ] as const)('fails with %s before reading or writing anything', async (_label, overrides, code) => {
      // Arrange
      const h = setup();
      let draws = 0;
      h.deps.randomInt = (min, max) => {
        draws++;
        return alwaysMax(min, max);
      };

      // Act
      const error = await failureOf(createGift(h.command(overrides), h.deps));

      // Assert
      expect(error).toMatchObject({ code });
      expect(h.gifts.reads).toBe(0);
      expect(h.gifts.all()).toEqual([]);
      expect(h.wallets.size).toBe(0);
      expect(h.lifecycle.starts).toEqual([]);
      expect(draws).toBe(0);
    });

    it('fails with NOT_ROOM_MEMBER and stores nothing when the creator is not in the room', async () => {
      // Arrange
      const h = setup();
      await h.fund(STRANGER);

      // Act
      const error = await failureOf(createGift(h.command({ creatorId: STRANGER }), h.deps));

      // Assert
      expect(error).toMatchObject({ code: 'NOT_ROOM_MEMBER' });
      expect(h.gifts.all()).toEqual([]);
      expect(await h.availableTo(STRANGER)).toBe(FUNDS);
      expect(h.lifecycle.starts).toEqual([]);
    });

    it('fails with NOT_ROOM_MEMBER for a room nobody joined', async () => {
      // Arrange
      const h = setup();
      await h.fund();

      // Act
      const error = await failureOf(createGift(h.command({ roomId: '!empty:tween.example' }), h.deps));

      // Assert
      expect(error).toMatchObject({ code: 'NOT_ROOM_MEMBER' });
      expect(h.gifts.all()).toEqual([]);
      expect(await h.availableTo(CREATOR)).toBe(FUNDS);
    });

    it('fails with INSUFFICIENT_FUNDS and stores nothing when the wallet cannot cover the total', async () => {
      // Arrange
      const h = setup();
      await h.fund(CREATOR, TOTAL - 1);

      // Act
      const error = await failureOf(createGift(h.command(), h.deps));

      // Assert
      expect(error).toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
      expect(h.gifts.all()).toEqual([]);
      expect(await h.availableTo(CREATOR)).toBe(TOTAL - 1);
      expect(h.lifecycle.starts).toEqual([]);
      expect(checkLedgerInvariant(h.ledger.allAccounts())).toEqual([]);
    });

    it('answers a retry with the first gift and its shares, funds it once and starts the lifecycle again', async () => {
      // Arrange
      let calls = 0;
      // A different draw every time: a retry must not re-split.
      const h = setup({ randomInt: (min, max) => (calls++ % 2 === 0 ? max : min) });
      const first = await h.created();
      h.clock.advance(5_000);

      // Act
      const retry = await createGift(h.command(), h.deps);

      // Assert
      expect(retry).toEqual(first);
      expect(h.gifts.all()).toEqual([first]);
      expect(await h.availableTo(CREATOR)).toBe(FUNDS - TOTAL);
      expect(await h.inEscrow(first.giftId)).toBe(TOTAL);
      expect(h.lifecycle.starts).toHaveLength(2);
      expect(h.lifecycle.starts[1]).toEqual(h.lifecycle.starts[0]);
      expect(h.lifecycle.starts[1]?.input).toEqual({ giftId: first.giftId, expiresAt: EXPIRES_AT });
      expect(checkLedgerInvariant(h.ledger.allAccounts())).toEqual([]);
    });

    it('makes one gift and one funding when the same request arrives twice at once', async () => {
      // Arrange
      let calls = 0;
      const h = setup({ randomInt: (min, max) => (calls++ % 2 === 0 ? max : min) });
      await h.fund();

      // Act
      const [a, b] = await Promise.all([createGift(h.command(), h.deps), createGift(h.command(), h.deps)]);

      // Assert
      expect(b).toEqual(a);
      expect(h.gifts.all()).toEqual([a]);
      expect(await h.availableTo(CREATOR)).toBe(FUNDS - TOTAL);
      expect(await h.inEscrow(a.giftId)).toBe(TOTAL);
      expect(h.lifecycle.starts.map((start) => start.input)).toEqual([
        h.lifecycle.starts[0]?.input,
        h.lifecycle.starts[0]?.input,
      ]);
      expect(checkLedgerInvariant(h.ledger.allAccounts())).toEqual([]);
    });

    it('makes another gift for another Idempotency-Key', async () => {
      // Arrange
      const h = setup();
      const first = await h.created();

      // Act
      const second = await createGift(h.command({ idempotencyKey: 'key-2' }), h.deps);

      // Assert
      expect(second.giftId).not.toBe(first.giftId);
      expect(await h.availableTo(CREATOR)).toBe(FUNDS - 2 * TOTAL);
    });
  });

  describe('Method: openGift', () => {
    it('pays the opener the next share and writes the gift.opened event with what remains', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created();
      h.clock.advance(1_000);
      const openedAt = '2026-03-01T12:00:01.000Z';

      // Act
      const opened = await openGift(MEMBER, gift.giftId, h.deps);

      // Assert
      expect(opened).toEqual({
        gift,
        opening: { userId: MEMBER, amount: SHARES[0], openedAt, share: 0 },
        remaining: COUNT - 1,
      });
      expect(h.stored(gift.giftId)).toMatchObject({ status: 'active', remaining: COUNT - 1 });
      expect(await h.availableTo(MEMBER)).toBe(SHARES[0]);
      expect(await h.inEscrow(gift.giftId)).toBe(TOTAL - (SHARES[0] ?? 0));
      expect(await h.ledger.transfer(giftTransferIds.share(gift.giftId, 0))).toMatchObject({
        amount: SHARES[0],
        code: 'gift_open',
        debitAccountId: accounts.giftEscrow(gift.giftId, 'USD').id,
        metadata: { giftId: gift.giftId, share: '0' },
      });
      const event = {
        eventId: domainEventId('gift.opened', gift.giftId, MEMBER),
        occurredAt: openedAt,
        roomId: ROOM,
        giftId: gift.giftId,
        userId: MEMBER,
        amount: SHARES[0],
        currency: 'USD',
        remaining: COUNT - 1,
      };
      expect(h.gifts.outbox).toEqual([event]);
      expect(domainEventSchemas['gift.opened'].parse(h.gifts.outbox[0])).toEqual(event);
      expect(checkLedgerInvariant(h.ledger.allAccounts())).toEqual([]);
    });

    it('lets the creator open their own gift', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created();

      // Act
      const opened = await openGift(CREATOR, gift.giftId, h.deps);

      // Assert
      expect(opened.opening).toMatchObject({ userId: CREATOR, amount: SHARES[0], share: 0 });
      expect(await h.availableTo(CREATOR)).toBe(FUNDS - TOTAL + (SHARES[0] ?? 0));
    });

    it('fails with NOT_ROOM_MEMBER and claims nothing when the opener is not in the room', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created();
      const walletsBefore = h.wallets.size;

      // Act
      const error = await failureOf(openGift(STRANGER, gift.giftId, h.deps));

      // Assert
      expect(error).toMatchObject({ code: 'NOT_ROOM_MEMBER' });
      expect(h.gifts.claims).toEqual([]);
      expect(h.wallets.size).toBe(walletsBefore);
      expect(await h.inEscrow(gift.giftId)).toBe(TOTAL);
    });

    it('fails with NOT_FOUND for an unknown gift', async () => {
      // Arrange
      const h = setup();

      // Act
      const error = await failureOf(openGift(MEMBER, 'gift_missing', h.deps));

      // Assert
      expect(error).toMatchObject({ code: 'NOT_FOUND' });
    });

    it('reads the gift again and claims the next share when another opener claimed the one it read', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created();
      h.gifts.interleave(() => openGift(OTHER_MEMBER, gift.giftId, h.deps));

      // Act
      const opened = await openGift(MEMBER, gift.giftId, h.deps);

      // Assert
      expect(h.gifts.claims).toEqual(['claimed', 'changed', 'claimed']);
      expect(opened.opening).toMatchObject({ userId: MEMBER, amount: SHARES[1], share: 1 });
      expect(opened.remaining).toBe(COUNT - 2);
      expect(await h.availableTo(OTHER_MEMBER)).toBe(SHARES[0]);
      expect(await h.availableTo(MEMBER)).toBe(SHARES[1]);
      expect(h.gifts.outbox.map((event) => [event.userId, event.amount, event.remaining])).toEqual([
        [OTHER_MEMBER, SHARES[0], 3],
        [MEMBER, SHARES[1], 2],
      ]);
      expect(checkLedgerInvariant(h.ledger.allAccounts())).toEqual([]);
    });

    it('keeps reading the gift again while the claim answers changed, then claims', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created();
      h.gifts.answerChanged(3);
      const readsBefore = h.gifts.reads;

      // Act
      const opened = await openGift(MEMBER, gift.giftId, h.deps);

      // Assert
      expect(h.gifts.claims).toEqual(['changed', 'changed', 'changed', 'claimed']);
      expect(h.backoffs).toEqual([0, 1, 2]);
      expect(h.gifts.reads - readsBefore).toBe(1 + 3);
      expect(opened.opening).toMatchObject({ userId: MEMBER, amount: SHARES[0], share: 0 });
      expect(await h.availableTo(MEMBER)).toBe(SHARES[0]);
    });

    it('gives two members opening at once two different shares', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created();

      // Act
      const [a, b] = await Promise.all([
        openGift(MEMBER, gift.giftId, h.deps),
        openGift(OTHER_MEMBER, gift.giftId, h.deps),
      ]);

      // Assert
      expect([a.opening.share, b.opening.share].sort()).toEqual([0, 1]);
      expect((await h.availableTo(MEMBER)) + (await h.availableTo(OTHER_MEMBER))).toBe(
        (SHARES[0] ?? 0) + (SHARES[1] ?? 0),
      );
      expect(h.stored(gift.giftId).remaining).toBe(COUNT - 2);
      expect(checkLedgerInvariant(h.ledger.allAccounts())).toEqual([]);
    });

    it('fails with ALREADY_OPENED and pays nothing more when the member opens it again', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created();
      await openGift(MEMBER, gift.giftId, h.deps);

      // Act
      const error = await failureOf(openGift(MEMBER, gift.giftId, h.deps));

      // Assert
      expect(error).toMatchObject({
        code: 'ALREADY_OPENED',
        details: { amount: SHARES[0], opened_at: NOW },
      });
      // Refused from the first read: no second claim is even tried.
      expect(h.gifts.claims).toEqual(['claimed']);
      expect(h.backoffs).toEqual([]);
      expect(await h.availableTo(MEMBER)).toBe(SHARES[0]);
      expect(h.stored(gift.giftId).remaining).toBe(COUNT - 1);
    });

    it('pays a member opening twice at once only once', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created();

      // Act
      const results = await Promise.allSettled([
        openGift(MEMBER, gift.giftId, h.deps),
        openGift(MEMBER, gift.giftId, h.deps),
      ]);

      // Assert
      expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
      const rejected = results.find((result) => result.status === 'rejected');
      expect(rejected?.reason).toMatchObject({ code: 'ALREADY_OPENED' });
      expect(await h.availableTo(MEMBER)).toBe(SHARES[0]);
      expect(h.stored(gift.giftId).remaining).toBe(COUNT - 1);
    });

    it('marks the gift fully opened with the last share and says nothing remains', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created({ count: 2, totalAmount: 10 });
      await openGift(MEMBER, gift.giftId, h.deps);

      // Act
      const opened = await openGift(OTHER_MEMBER, gift.giftId, h.deps);

      // Assert
      expect(opened.remaining).toBe(0);
      expect(h.stored(gift.giftId)).toMatchObject({ status: 'fully_opened', remaining: 0 });
      expect(h.gifts.outbox.at(-1)).toMatchObject({ userId: OTHER_MEMBER, remaining: 0 });
      expect(await h.inEscrow(gift.giftId)).toBe(0);
    });

    it('fails with ALREADY_OPENED, not GIFT_EMPTY, when a member who had a share opens an emptied gift', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created({ count: 2, totalAmount: 10 });
      await openGift(MEMBER, gift.giftId, h.deps);
      await openGift(OTHER_MEMBER, gift.giftId, h.deps);

      // Act
      const error = await failureOf(openGift(MEMBER, gift.giftId, h.deps));

      // Assert
      expect(error).toMatchObject({ code: 'ALREADY_OPENED' });
      expect(h.gifts.claims).toEqual(['claimed', 'claimed']);
    });

    it('fails with GIFT_EMPTY when a member who had no share opens an emptied gift', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created({ count: 2, totalAmount: 10 });
      await openGift(MEMBER, gift.giftId, h.deps);
      await openGift(OTHER_MEMBER, gift.giftId, h.deps);

      // Act
      const error = await failureOf(openGift(CREATOR, gift.giftId, h.deps));

      // Assert
      expect(error).toMatchObject({ code: 'GIFT_EMPTY' });
      expect(h.gifts.claims).toEqual(['claimed', 'claimed']);
    });

    it('fails with GIFT_EMPTY when the last share goes to another member while it retries', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created({ count: 1, totalAmount: 10 });
      h.gifts.interleave(() => openGift(OTHER_MEMBER, gift.giftId, h.deps));

      // Act
      const error = await failureOf(openGift(MEMBER, gift.giftId, h.deps));

      // Assert
      expect(error).toMatchObject({ code: 'GIFT_EMPTY' });
      expect(h.gifts.claims).toEqual(['claimed', 'changed']);
      expect(await h.availableTo(MEMBER)).toBe(0);
    });

    it('fails with INVALID_STATE_TRANSITION once the gift is past its expiry, before the lifecycle runs', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created();
      h.clock.advance(24 * 3_600 * 1_000);

      // Act
      const error = await failureOf(openGift(MEMBER, gift.giftId, h.deps));

      // Assert
      expect(error).toMatchObject({
        code: 'INVALID_STATE_TRANSITION',
        details: { from: 'expired', event: 'open' },
      });
      expect(h.gifts.claims).toEqual([]);
      expect(await h.inEscrow(gift.giftId)).toBe(TOTAL);
    });

    it('fails with INVALID_STATE_TRANSITION once the lifecycle expired the gift', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created();
      await expireGift(gift.giftId, h.deps);

      // Act
      const error = await failureOf(openGift(MEMBER, gift.giftId, h.deps));

      // Assert
      expect(error).toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
      expect(await h.availableTo(MEMBER)).toBe(0);
    });
  });

  describe('Method: giftOf', () => {
    it('shows a member the gift, the openings in claiming order and the leaderboard', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created();
      h.clock.advance(1_000);
      await openGift(OTHER_MEMBER, gift.giftId, h.deps);
      h.clock.advance(1_000);
      await openGift(MEMBER, gift.giftId, h.deps);

      // Act
      const report = await giftOf(MEMBER, gift.giftId, h.deps);

      // Assert
      expect(report.gift).toEqual(h.stored(gift.giftId));
      expect(report.openings).toEqual([
        { userId: OTHER_MEMBER, amount: SHARES[0], openedAt: '2026-03-01T12:00:01.000Z', share: 0 },
        { userId: MEMBER, amount: SHARES[1], openedAt: '2026-03-01T12:00:02.000Z', share: 1 },
      ]);
      expect(report.leaderboard).toEqual([
        {
          rank: 1,
          userId: OTHER_MEMBER,
          amount: SHARES[0],
          openedAt: '2026-03-01T12:00:01.000Z',
          luckiest: false,
        },
        { rank: 2, userId: MEMBER, amount: SHARES[1], openedAt: '2026-03-01T12:00:02.000Z', luckiest: false },
      ]);
    });

    it('marks the luckiest opener once every share is opened', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created({ count: 3 });
      for (const member of [CREATOR, MEMBER, OTHER_MEMBER]) {
        h.clock.advance(1_000);
        await openGift(member, gift.giftId, h.deps);
      }

      // Act
      const report = await giftOf(MEMBER, gift.giftId, h.deps);

      // Assert
      expect(report.gift.status).toBe('fully_opened');
      expect(report.leaderboard.map((entry) => [entry.rank, entry.amount, entry.luckiest])).toEqual([
        [1, Math.max(...gift.shares), true],
        [2, expect.any(Number), false],
        [3, expect.any(Number), false],
      ]);
      expect(report.leaderboard.map((entry) => entry.amount).reduce((sum, amount) => sum + amount, 0)).toBe(
        TOTAL,
      );
    });

    it('lets the creator read the gift after leaving the room', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created();
      const afterLeaving = { ...h.deps, rooms: new StaticRooms({ [ROOM]: [MEMBER, OTHER_MEMBER] }) };

      // Act
      const report = await giftOf(CREATOR, gift.giftId, afterLeaving);

      // Assert
      expect(report.gift.giftId).toBe(gift.giftId);
      expect(report.openings).toEqual([]);
      expect(report.leaderboard).toEqual([]);
    });

    it('fails with NOT_ROOM_MEMBER for someone outside the room', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created();

      // Act
      const error = await failureOf(giftOf(STRANGER, gift.giftId, h.deps));

      // Assert
      expect(error).toMatchObject({ code: 'NOT_ROOM_MEMBER' });
    });

    it('fails with NOT_FOUND for an unknown gift', async () => {
      // Arrange
      const h = setup();

      // Act
      const error = await failureOf(giftOf(MEMBER, 'gift_missing', h.deps));

      // Assert
      expect(error).toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('Method: expireGift', () => {
    it('refunds exactly what nobody opened and answers the gift.expired detail', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created();
      await openGift(MEMBER, gift.giftId, h.deps);
      h.clock.advance(24 * 3_600 * 1_000);
      const unopened = (SHARES[1] ?? 0) + (SHARES[2] ?? 0) + (SHARES[3] ?? 0);

      // Act
      const detail = await expireGift(gift.giftId, h.deps);

      // Assert
      const expected = {
        eventId: domainEventId('gift.expired', gift.giftId),
        occurredAt: EXPIRES_AT,
        roomId: ROOM,
        giftId: gift.giftId,
        remaining: COUNT - 1,
        refundedAmount: unopened,
        currency: 'USD',
      };
      expect(detail).toEqual(expected);
      expect(domainEventSchemas['gift.expired'].parse(detail)).toEqual(expected);
      expect(h.stored(gift.giftId)).toMatchObject({
        status: 'expired',
        remaining: COUNT - 1,
        refundedAmount: unopened,
        expiredAt: EXPIRES_AT,
      });
      expect(await h.availableTo(CREATOR)).toBe(FUNDS - TOTAL + unopened);
      expect(await h.availableTo(MEMBER)).toBe(SHARES[0]);
      expect(await h.inEscrow(gift.giftId)).toBe(0);
      expect(await h.ledger.transfer(giftTransferIds.refund(gift.giftId))).toMatchObject({
        amount: unopened,
        code: 'gift_refund',
        creditAccountId: accounts.wallet('tw_1', 'USD').id,
      });
      expect(checkLedgerInvariant(h.ledger.allAccounts())).toEqual([]);
    });

    it('refunds the whole total when nobody opened the gift', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created();

      // Act
      const detail = await expireGift(gift.giftId, h.deps);

      // Assert
      expect(detail).toMatchObject({ remaining: COUNT, refundedAmount: TOTAL });
      expect(await h.availableTo(CREATOR)).toBe(FUNDS);
      expect(await h.inEscrow(gift.giftId)).toBe(0);
    });

    it('answers the same detail and refunds nothing more when run again on an expired gift', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created();
      const first = await expireGift(gift.giftId, h.deps);
      h.clock.advance(60_000);

      // Act
      const again = await expireGift(gift.giftId, h.deps);

      // Assert
      expect(again).toEqual(first);
      expect(h.gifts.expirations).toEqual(['expired']);
      expect(await h.availableTo(CREATOR)).toBe(FUNDS);
      expect(checkLedgerInvariant(h.ledger.allAccounts())).toEqual([]);
    });

    it('refunds nothing and leaves a fully opened gift as it is', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created({ count: 2, totalAmount: 10 });
      await openGift(MEMBER, gift.giftId, h.deps);
      await openGift(OTHER_MEMBER, gift.giftId, h.deps);
      h.clock.advance(24 * 3_600 * 1_000);

      // Act
      const detail = await expireGift(gift.giftId, h.deps);

      // Assert
      const expected = {
        eventId: domainEventId('gift.expired', gift.giftId),
        occurredAt: EXPIRES_AT,
        roomId: ROOM,
        giftId: gift.giftId,
        remaining: 0,
        refundedAmount: 0,
        currency: 'USD',
      };
      expect(detail).toEqual(expected);
      expect(domainEventSchemas['gift.expired'].parse(detail)).toEqual(expected);
      expect(h.stored(gift.giftId).status).toBe('fully_opened');
      expect(h.gifts.expirations).toEqual([]);
      expect([...h.gifts.fullyOpenedExpiries]).toEqual([gift.giftId]);
      expect(await h.ledger.transfer(giftTransferIds.refund(gift.giftId))).toBeUndefined();
      expect(await h.availableTo(CREATOR)).toBe(FUNDS - 10);
    });

    it('reads the gift again and refunds only what is left when an opening lands first', async () => {
      // Arrange
      const h = setup();
      const gift = await h.created();
      h.gifts.interleave(() => openGift(MEMBER, gift.giftId, h.deps));

      // Act
      const detail = await expireGift(gift.giftId, h.deps);

      // Assert
      expect(h.gifts.expirations).toEqual(['changed', 'expired']);
      expect(detail).toMatchObject({ remaining: COUNT - 1, refundedAmount: TOTAL - (SHARES[0] ?? 0) });
      expect(await h.availableTo(MEMBER)).toBe(SHARES[0]);
      expect(await h.availableTo(CREATOR)).toBe(FUNDS - (SHARES[0] ?? 0));
      expect(await h.inEscrow(gift.giftId)).toBe(0);
      expect(checkLedgerInvariant(h.ledger.allAccounts())).toEqual([]);
    });

    it('fails with NOT_FOUND for an unknown gift', async () => {
      // Arrange
      const h = setup();

      // Act
      const error = await failureOf(expireGift('gift_missing', h.deps));

      // Assert
      expect(error).toMatchObject({ code: 'NOT_FOUND' });
    });
  });
});
