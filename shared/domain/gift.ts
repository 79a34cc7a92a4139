/**
 * Group gifts ("red envelopes", TMCP 7.5): a room member puts an amount into escrow split into shares fixed
 * at creation; members open it once each and get the next share; what nobody opened before expiry goes back
 * to the creator.
 *
 * The rules here are pure: how a total splits into shares, who may open or read a gift, what the leaderboard
 * shows. The store applies "claim the next share, record the opener, pay them" as one transaction.
 */
import { DomainError, ValidationError } from './errors.js';
import { type DomainEventDetail, domainEventId } from './events.js';

export type GiftDistribution = 'random' | 'equal';
/** `fully_opened`: every share was claimed before expiry (nothing to refund). */
export type GiftStatus = 'active' | 'fully_opened' | 'expired';

export interface GiftOpening {
  userId: string;
  amount: number;
  openedAt: string;
  /** Which share (0-based, in claiming order). */
  share: number;
}

export interface Gift {
  giftId: string;
  status: GiftStatus;
  totalAmount: number;
  currency: string;
  count: number;
  /** Shares not yet claimed: `count` less the claimed slots. */
  remaining: number;
  /** Which shares (indexes into `shares`) are claimed. */
  claimed: readonly number[];
  distribution: GiftDistribution;
  /** Every share's amount, fixed at creation, summing to the total. Never shown before it is opened. */
  shares: readonly number[];
  message: string | null;
  creator: { userId: string; walletId: string };
  roomId: string;
  expiresAt: string;
  createdAt: string;
  /** Set when the lifecycle expires it: what went back to the creator. */
  refundedAmount?: number;
  expiredAt?: string;
}

export const MAX_SHARES = 100;
export const DEFAULT_LIFETIME_SECONDS = 86_400;
export const MAX_LIFETIME_SECONDS = 604_800;

/** Integers in [min, max], from a cryptographically secure source (the adapter passes crypto.randomInt). */
export type RandomInt = (min: number, max: number) => number;

/** Carries the member's own opening, so a client whose first answer was lost still learns its share. */
export class AlreadyOpenedError extends DomainError {
  override readonly name = 'AlreadyOpenedError';
  constructor(opening?: Pick<GiftOpening, 'amount' | 'openedAt'>) {
    super(
      'ALREADY_OPENED',
      'You have already opened this gift',
      opening === undefined ? undefined : { amount: opening.amount, opened_at: opening.openedAt },
    );
  }
}

export class GiftEmptyError extends DomainError {
  override readonly name = 'GiftEmptyError';
  constructor() {
    super('GIFT_EMPTY', 'Every share of this gift has been opened');
  }
}

/** Opening after expiry: the gift's money is (being) returned to its creator. */
export class GiftExpiredError extends DomainError {
  override readonly name = 'GiftExpiredError';
  constructor() {
    super('INVALID_STATE_TRANSITION', 'This gift has expired', { from: 'expired', event: 'open' });
  }
}

/** `count` shares of at least one minor unit each: 1–100 shares, never more shares than units. */
export function assertSplittable(totalAmount: number, count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_SHARES) {
    throw new ValidationError(`count must be an integer from 1 to ${MAX_SHARES}`, {
      issues: [{ path: 'count', message: `must be from 1 to ${MAX_SHARES}` }],
    });
  }
  if (count > totalAmount) {
    throw new ValidationError('Every share needs at least one minor unit: count cannot exceed total_amount', {
      issues: [{ path: 'count', message: 'must not exceed total_amount (in minor units)' }],
    });
  }
}

/** Equal shares; the remainder goes one unit at a time to the first shares. */
export function splitEqually(totalAmount: number, count: number): number[] {
  assertSplittable(totalAmount, count);
  const base = Math.floor(totalAmount / count);
  const extra = totalAmount - base * count;
  return Array.from({ length: count }, (_, index) => base + (index < extra ? 1 : 0));
}

/**
 * Random shares by the "double average" rule: each share is drawn uniformly from 1 to twice the mean of what
 * is left (and never so much that a later share would get less than one unit); the last share takes the
 * rest, which is then exactly the mean of what is left. Sums to the total by construction.
 */
export function splitRandomly(totalAmount: number, count: number, randomInt: RandomInt): number[] {
  assertSplittable(totalAmount, count);
  const shares: number[] = [];
  let left = totalAmount;
  for (let sharesLeft = count; sharesLeft > 1; sharesLeft--) {
    const max = Math.min(Math.floor((2 * left) / sharesLeft), left - (sharesLeft - 1));
    const share = randomInt(1, max);
    if (!Number.isInteger(share) || share < 1 || share > max) {
      throw new Error(`The random source returned ${share} outside [1, ${max}]`);
    }
    shares.push(share);
    left -= share;
  }
  shares.push(left);
  return shares;
}

export function splitGift(
  totalAmount: number,
  count: number,
  distribution: GiftDistribution,
  randomInt: RandomInt,
): number[] {
  return distribution === 'equal'
    ? splitEqually(totalAmount, count)
    : splitRandomly(totalAmount, count, randomInt);
}

/** A gift's lifetime: `expires_in_seconds` from `minSeconds` (60 on AWS) to a week; 24 h when omitted. */
export function lifetimeSeconds(requested: number | undefined, minSeconds: number): number {
  if (requested === undefined) return DEFAULT_LIFETIME_SECONDS;
  if (!Number.isInteger(requested) || requested < minSeconds || requested > MAX_LIFETIME_SECONDS) {
    throw new ValidationError(
      `expires_in_seconds must be an integer from ${minSeconds} to ${MAX_LIFETIME_SECONDS}`,
      {
        issues: [
          { path: 'expires_in_seconds', message: `must be from ${minSeconds} to ${MAX_LIFETIME_SECONDS}` },
        ],
      },
    );
  }
  return requested;
}

/**
 * Checks what can be told before trying to claim: still active and not past its expiry, and shares left.
 * (The claim itself re-checks all of it, and "once per member", atomically.)
 */
export function assertOpenable(gift: Gift, now: Date): void {
  // Empty first: a fully opened gift stays fully opened at expiry (nothing is refunded).
  if (gift.status === 'fully_opened' || gift.remaining <= 0) throw new GiftEmptyError();
  if (gift.status === 'expired' || new Date(gift.expiresAt) <= now) throw new GiftExpiredError();
}

/**
 * The share an opener tries to claim: one of the unclaimed slots, at random. Openers racing for one gift
 * mostly pick different slots, so most of them win their first try instead of all fighting over the same
 * next slot (the shares are fixed and shuffled by nobody: which slot a member lands on is the luck).
 */
export function nextShare(gift: Gift, randomInt: RandomInt): { share: number; amount: number } {
  const taken = new Set(gift.claimed);
  const free = gift.shares.map((_, index) => index).filter((index) => !taken.has(index));
  if (free.length === 0) throw new GiftEmptyError();
  const share = free[free.length === 1 ? 0 : randomInt(0, free.length - 1)];
  const amount = share === undefined ? undefined : gift.shares[share];
  if (share === undefined || amount === undefined) throw new Error('The random source chose no free share');
  return { share, amount };
}

/** What nobody opened: the amount the creator gets back at expiry. */
export function unopenedAmount(gift: Gift): number {
  const taken = new Set(gift.claimed);
  return gift.shares.reduce((sum, share, index) => (taken.has(index) ? sum : sum + share), 0);
}

/** Room members read a gift; so does its creator, whose money it is, even after leaving the room. */
export function mayRead(gift: Gift, userId: string, members: ReadonlySet<string>): boolean {
  return gift.creator.userId === userId || members.has(userId);
}

export interface LeaderboardEntry {
  rank: number;
  userId: string;
  amount: number;
  openedAt: string;
  luckiest: boolean;
}

/**
 * Largest share first (ties: who opened first). The luckiest is marked only once the gift is settled —
 * fully opened or expired — since until then a later share could still be larger.
 */
export function leaderboard(gift: Gift, openings: readonly GiftOpening[]): LeaderboardEntry[] {
  const settled = gift.status !== 'active' || gift.remaining === 0;
  return [...openings]
    .sort((a, b) => b.amount - a.amount || a.openedAt.localeCompare(b.openedAt) || a.share - b.share)
    .map((opening, index) => ({
      rank: index + 1,
      userId: opening.userId,
      amount: opening.amount,
      openedAt: opening.openedAt,
      luckiest: settled && index === 0,
    }));
}

export const giftTransferIds = {
  fund: (giftId: string) => `gift:${giftId}:fund`,
  share: (giftId: string, share: number) => `gift:${giftId}:share:${share}`,
  refund: (giftId: string) => `gift:${giftId}:refund`,
};

/** `gift.created`: written with the gift and its funding, in the same transaction. */
export function giftCreatedEvent(gift: Gift): DomainEventDetail<'gift.created'> {
  return {
    eventId: domainEventId('gift.created', gift.giftId),
    occurredAt: gift.createdAt,
    roomId: gift.roomId,
    giftId: gift.giftId,
    creator: gift.creator.userId,
    totalAmount: gift.totalAmount,
    currency: gift.currency,
    count: gift.count,
    distribution: gift.distribution,
    message: gift.message,
    expiresAt: gift.expiresAt,
  };
}

/**
 * `gift.expired`: written with the expiry and its refund (`at`, `refundedAmount`); a gift fully opened
 * before it expired announces it at `expiresAt` with nothing refunded.
 */
export function giftExpiredEvent(
  gift: Gift,
  expiry: { at: string; refundedAmount: number } = { at: gift.expiresAt, refundedAmount: 0 },
): DomainEventDetail<'gift.expired'> {
  return {
    eventId: domainEventId('gift.expired', gift.giftId),
    occurredAt: expiry.at,
    roomId: gift.roomId,
    giftId: gift.giftId,
    remaining: gift.remaining,
    refundedAmount: expiry.refundedAmount,
    currency: gift.currency,
  };
}
