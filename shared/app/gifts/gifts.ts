import { NotFoundError, NotRoomMemberError } from '../../domain/errors.js';
import { domainEventId } from '../../domain/events.js';
import {
  AlreadyOpenedError,
  assertOpenable,
  type Gift,
  type GiftDistribution,
  type GiftOpening,
  giftExpiredEvent,
  giftTransferIds,
  type LeaderboardEntry,
  leaderboard,
  lifetimeSeconds,
  mayRead,
  nextShare,
  type RandomInt,
  splitGift,
  unopenedAmount,
} from '../../domain/gift.js';
import { accounts } from '../../domain/ledger.js';
import type { CurrencyPolicy } from '../../domain/money.js';
import { assertTransferApproved, type TransferStepUp } from '../mfa/step-up.js';
import type { Clock, Ids, RoomDirectory, WalletDirectory } from '../ports.js';
import type { GiftLifecycle, GiftStore, PostTransfer } from './ports.js';

export interface GiftDeps {
  gifts: GiftStore;
  wallets: WalletDirectory;
  rooms: RoomDirectory;
  lifecycle: GiftLifecycle;
  currencies: CurrencyPolicy;
  ids: Ids;
  clock: Clock;
  randomInt: RandomInt;
  /** The shortest `expires_in_seconds` accepted: 60 (a local stack may allow less, to see expiry in tests). */
  minLifetimeSeconds: number;
  /**
   * Waits before an opener who lost the race for a share tries the next one (full jitter, growing with
   * `attempt`), so a crowd opening one gift does not retry in lockstep.
   */
  backoff: (attempt: number) => Promise<void>;
  /** Above the MFA threshold a gift spends a step-up token. */
  stepUp: TransferStepUp;
}

export interface CreateGiftCommand {
  creatorId: string;
  idempotencyKey: string;
  roomId: string;
  totalAmount: unknown;
  currency: unknown;
  count: number;
  distribution: GiftDistribution;
  message?: string;
  expiresInSeconds?: number;
  /** X-Step-Up-Token: a step-up of purpose `transfer` for this total, needed above the MFA threshold. */
  stepUpToken?: string | undefined;
}

/**
 * 1. Accept the amount, the split (1–100 shares of at least one unit) and the lifetime.
 * 2. The creator must be a joined member of the room. Above the MFA threshold, spend a step-up token for
 *    exactly this total and currency (428 without); a retry of a gift already made needs none.
 * 3. Fix the shares now, then store the gift and move the total from the creator's wallet to the gift's
 *    escrow in one transaction (402 when the wallet cannot cover it). The gift id derives from the creator
 *    and the Idempotency-Key, so a retry finds the first gift and moves nothing again.
 *    The same transaction writes its gift.created event (the outbox).
 * 4. Start the lifecycle: it waits until the gift expires and refunds what nobody opened.
 */
export async function createGift(command: CreateGiftCommand, deps: GiftDeps): Promise<Gift> {
  const money = deps.currencies.money(command.totalAmount, command.currency);
  const lifetime = lifetimeSeconds(command.expiresInSeconds, deps.minLifetimeSeconds);
  const shares = splitGift(money.amount, command.count, command.distribution, deps.randomInt);
  const giftId = deps.ids.derive('gift_', command.creatorId, command.idempotencyKey);
  const existing = await deps.gifts.get(giftId);
  if (existing !== undefined) {
    // A retry: make sure the lifecycle runs (a duplicate start is harmless), then answer as the first time.
    if (existing.status === 'active') await startLifecycle(existing, deps);
    return existing;
  }

  const members = await deps.rooms.joinedMembers(command.roomId);
  if (!members.has(command.creatorId)) {
    throw new NotRoomMemberError('The creator must be a member of the room');
  }
  await assertTransferApproved(command.creatorId, money, command.stepUpToken, deps.stepUp);
  const wallet = await deps.wallets.ensure(command.creatorId);
  const now = deps.clock.now();
  const gift = await deps.gifts.create(
    {
      giftId,
      status: 'active',
      totalAmount: money.amount,
      currency: money.currency,
      count: shares.length,
      remaining: shares.length,
      claimed: [],
      distribution: command.distribution,
      shares,
      message: command.message ?? null,
      creator: { userId: command.creatorId, walletId: wallet.walletId },
      roomId: command.roomId,
      expiresAt: new Date(now.getTime() + lifetime * 1000).toISOString(),
      createdAt: now.toISOString(),
    },
    {
      type: 'post',
      id: giftTransferIds.fund(giftId),
      debit: accounts.wallet(wallet.walletId, money.currency),
      credit: accounts.giftEscrow(giftId, money.currency),
      amount: money.amount,
      code: 'gift_fund',
      metadata: { giftId },
    },
  );
  await startLifecycle(gift, deps);
  return gift;
}

function startLifecycle(gift: Gift, deps: Pick<GiftDeps, 'lifecycle'>): Promise<void> {
  return deps.lifecycle.start(gift.giftId, { giftId: gift.giftId, expiresAt: gift.expiresAt });
}

export interface OpenedGift {
  gift: Gift;
  opening: GiftOpening;
  /** Shares left after this one. */
  remaining: number;
}

/**
 * 1. Only joined members of the gift's room open it (403); the creator may open their own; once
 *    (409 ALREADY_OPENED, with the member's share, so a client whose first answer was lost learns it).
 * 2. While it is active, unexpired and has shares left, claim a free share: the claim, the opening record
 *    (once per member), the payout to the opener's wallet and the `gift.opened` event are one
 *    transaction. When another opener took that share first, read the gift again and try another.
 */
export async function openGift(userId: string, giftId: string, deps: GiftDeps): Promise<OpenedGift> {
  let { gift, mine } = await loadForOpener(giftId, userId, deps);
  const members = await deps.rooms.joinedMembers(gift.roomId);
  if (!members.has(userId)) throw new NotRoomMemberError("Only members of the gift's room may open it");
  if (mine !== undefined) throw new AlreadyOpenedError(mine);
  const wallet = await deps.wallets.ensure(userId);
  // Each lost race means another member claimed a share, so this ends within `count` rounds.
  for (let attempt = 0; ; attempt += 1) {
    const now = deps.clock.now();
    assertOpenable(gift, now);
    const { share, amount } = nextShare(gift, deps.randomInt);
    // As this opener saw it: two openings landing at the same moment may both report the same count.
    const remaining = gift.remaining - 1;
    const opening: GiftOpening = { userId, amount, openedAt: now.toISOString(), share };
    const outcome = await deps.gifts.claim({
      gift,
      opening,
      payout: payoutOf(gift, share, amount, wallet.walletId),
      event: {
        eventId: domainEventId('gift.opened', giftId, userId),
        occurredAt: opening.openedAt,
        roomId: gift.roomId,
        giftId,
        userId,
        amount,
        currency: gift.currency,
        remaining,
      },
      now,
    });
    if (outcome === 'claimed') return { gift, opening, remaining };
    if (outcome === 'already_opened')
      throw new AlreadyOpenedError(await deps.gifts.openingOf(giftId, userId));
    await deps.backoff(attempt);
    ({ gift, mine } = await loadForOpener(giftId, userId, deps));
    // A twin request of this member got a share meanwhile: that is the answer, not GIFT_EMPTY.
    if (mine !== undefined) throw new AlreadyOpenedError(mine);
  }
}

/** The gift and the member's own opening of it, if any, in one read. */
async function loadForOpener(
  giftId: string,
  userId: string,
  deps: Pick<GiftDeps, 'gifts'>,
): Promise<{ gift: Gift; mine: GiftOpening | undefined }> {
  const { gift, opening } = await deps.gifts.getForOpener(giftId, userId);
  if (gift === undefined) throw new NotFoundError('Gift');
  return { gift, mine: opening };
}

function payoutOf(gift: Gift, share: number, amount: number, walletId: string): PostTransfer {
  return {
    type: 'post',
    id: giftTransferIds.share(gift.giftId, share),
    debit: accounts.giftEscrow(gift.giftId, gift.currency),
    credit: accounts.wallet(walletId, gift.currency),
    amount,
    code: 'gift_open',
    metadata: { giftId: gift.giftId, share: String(share) },
  };
}

export interface GiftReport {
  gift: Gift;
  openings: GiftOpening[];
  leaderboard: LeaderboardEntry[];
}

/** Room members (and the creator) read a gift with who opened what and the leaderboard. */
export async function giftOf(
  userId: string,
  giftId: string,
  deps: Pick<GiftDeps, 'gifts' | 'rooms'>,
): Promise<GiftReport> {
  const gift = await load(giftId, deps);
  const members = await deps.rooms.joinedMembers(gift.roomId);
  if (!mayRead(gift, userId, members)) {
    throw new NotRoomMemberError("Only members of the gift's room may read it");
  }
  const openings = await deps.gifts.openings(giftId);
  return { gift, openings, leaderboard: leaderboard(gift, openings) };
}

/**
 * Lifecycle, at `expires_at`: an active gift becomes expired and what nobody opened goes from the escrow
 * back to the creator, with its gift.expired event, in one transaction (a concurrent opening either lands
 * first or finds it expired). A gift fully opened before then gets its gift.expired event alone.
 * Idempotent: an expired or fully opened gift is left as it is.
 */
export async function expireGift(giftId: string, deps: Pick<GiftDeps, 'gifts' | 'clock'>) {
  let gift = await load(giftId, deps);
  while (gift.status === 'active') {
    const refundAmount = unopenedAmount(gift);
    const refund: PostTransfer | undefined =
      refundAmount === 0
        ? undefined
        : {
            type: 'post',
            id: giftTransferIds.refund(giftId),
            debit: accounts.giftEscrow(giftId, gift.currency),
            credit: accounts.wallet(gift.creator.walletId, gift.currency),
            amount: refundAmount,
            code: 'gift_refund',
            metadata: { giftId },
          };
    await deps.gifts.expire(gift, refund, deps.clock.now().toISOString());
    gift = await load(giftId, deps);
  }
  // An expiry wrote gift.expired with its change; a gift opened in full announces it here.
  if (gift.status === 'fully_opened') await deps.gifts.announceFullyOpenedExpiry(gift);
  // The event as written (the expiry's time and refund, as stored).
  return giftExpiredEvent(gift, {
    at: gift.expiredAt ?? gift.expiresAt,
    refundedAmount: gift.refundedAmount ?? 0,
  });
}

async function load(giftId: string, deps: Pick<GiftDeps, 'gifts'>): Promise<Gift> {
  const gift = await deps.gifts.get(giftId);
  if (gift === undefined) throw new NotFoundError('Gift');
  return gift;
}
