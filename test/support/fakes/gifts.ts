import type { GiftClaim, GiftStore, PostTransfer } from '../../../shared/app/gifts/ports.js';
import type { Ledger } from '../../../shared/app/ports.js';
import { NotFoundError } from '../../../shared/domain/errors.js';
import type { DomainEventDetail } from '../../../shared/domain/events.js';
import type { Gift, GiftOpening } from '../../../shared/domain/gift.js';
import { roundTrip } from './round-trip.js';

export type GiftClaimOutcome = Awaited<ReturnType<GiftStore['claim']>>;
export type GiftExpireOutcome = Awaited<ReturnType<GiftStore['expire']>>;

/**
 * Like DynamoDbGiftStore over a ledger: the gift and its funding are one write (create once per gift id,
 * a retried or twin create returns the stored gift and moves no money again); a claim is one write of the
 * opening (once per user), the claimed share (only while nobody holds it and the gift is active, unexpired
 * and not empty; `fully_opened` at zero), the payout and the `gift.opened` event (kept in `outbox`); an expiry is one write
 * of the status (only while exactly as read and active) and the refund. `already_opened` wins over
 * `changed`, as the adapter's opening condition does.
 *
 * For the retry loops: `answerChanged(n)` makes the next n claims answer `changed` without writing (a
 * concurrent change of the gift), and `interleave(write)` runs another request's write inside the next
 * claim or expiry, between its read and its condition check.
 */
export class InMemoryGiftStore implements GiftStore {
  readonly #gifts = new Map<string, Gift>();
  /** giftId -> userId -> opening. */
  readonly #openings = new Map<string, Map<string, GiftOpening>>();
  readonly #interleaved: (() => Promise<unknown>)[] = [];
  #changedAnswers = 0;
  /** The `gift.opened` events written with the claims, in order (the adapter's outbox). */
  readonly outbox: DomainEventDetail<'gift.opened'>[] = [];
  /** The gifts whose gift.expired was announced after they were opened in full (once each). */
  readonly fullyOpenedExpiries = new Set<string>();
  /** What every claim answered, in order. */
  readonly claims: GiftClaimOutcome[] = [];
  /** What every expiry answered, in order. */
  readonly expirations: GiftExpireOutcome[] = [];
  /** How many times a gift was read with `get`. */
  reads = 0;

  constructor(private readonly ledger: Ledger) {}

  /** The next `times` claims answer `changed` and write nothing. */
  answerChanged(times: number): this {
    this.#changedAnswers += times;
    return this;
  }

  /** Runs `write` inside the next claim or expiry, after its round trip and before its condition check. */
  interleave(write: () => Promise<unknown>): this {
    this.#interleaved.push(write);
    return this;
  }

  async create(gift: Gift, funding: PostTransfer): Promise<Gift> {
    await roundTrip();
    const stored = this.#gifts.get(gift.giftId);
    if (stored !== undefined) return structuredClone(stored);
    // Throws (INSUFFICIENT_FUNDS) before anything is stored; a twin's funding under the same id replays.
    await this.ledger.execute(funding);
    const raced = this.#gifts.get(gift.giftId);
    if (raced !== undefined) return structuredClone(raced);
    this.#gifts.set(gift.giftId, structuredClone(gift));
    this.#openings.set(gift.giftId, new Map());
    return structuredClone(gift);
  }

  async get(giftId: string): Promise<Gift | undefined> {
    await roundTrip();
    this.reads++;
    return this.peek(giftId);
  }

  async openings(giftId: string): Promise<GiftOpening[]> {
    await roundTrip();
    return [...(this.#openings.get(giftId)?.values() ?? [])]
      .sort((a, b) => a.share - b.share)
      .map((opening) => ({ ...opening }));
  }

  async getForOpener(giftId: string, userId: string): Promise<{ gift?: Gift; opening?: GiftOpening }> {
    await roundTrip();
    this.reads += 1;
    const gift = this.#gifts.get(giftId);
    const opening = this.#openings.get(giftId)?.get(userId);
    return {
      ...(gift === undefined ? {} : { gift: structuredClone(gift) }),
      ...(opening === undefined ? {} : { opening: { ...opening } }),
    };
  }

  async openingOf(giftId: string, userId: string): Promise<GiftOpening | undefined> {
    await roundTrip();
    const opening = this.#openings.get(giftId)?.get(userId);
    return opening === undefined ? undefined : { ...opening };
  }

  async claim({ gift, opening, payout, event, now }: GiftClaim): Promise<GiftClaimOutcome> {
    await roundTrip();
    await this.#interleavedWrite();
    const outcome = await this.#claim(gift, opening, payout, event, now);
    this.claims.push(outcome);
    return outcome;
  }

  async expire(gift: Gift, refund: PostTransfer | undefined, at: string): Promise<GiftExpireOutcome> {
    await roundTrip();
    await this.#interleavedWrite();
    const current = this.#gifts.get(gift.giftId);
    let outcome: GiftExpireOutcome = 'changed';
    if (current?.status === 'active' && current.remaining === gift.remaining) {
      if (refund !== undefined) await this.ledger.execute(refund);
      this.#gifts.set(gift.giftId, {
        ...current,
        status: 'expired',
        expiredAt: at,
        refundedAmount: refund?.amount ?? 0,
      });
      outcome = 'expired';
    }
    this.expirations.push(outcome);
    return outcome;
  }

  async announceFullyOpenedExpiry(gift: Gift): Promise<void> {
    await roundTrip();
    this.fullyOpenedExpiries.add(gift.giftId);
  }

  /** The stored gift, read without a round trip. */
  peek(giftId: string): Gift | undefined {
    const gift = this.#gifts.get(giftId);
    return gift === undefined ? undefined : structuredClone(gift);
  }

  /** Every stored gift, for tests that prove nothing was stored. */
  all(): Gift[] {
    return [...this.#gifts.values()].map((gift) => structuredClone(gift));
  }

  async #claim(
    gift: Gift,
    opening: GiftOpening,
    payout: PostTransfer,
    event: DomainEventDetail<'gift.opened'>,
    now: Date,
  ): Promise<GiftClaimOutcome> {
    const openings = this.#openings.get(gift.giftId);
    const current = this.#gifts.get(gift.giftId);
    if (openings === undefined || current === undefined) throw new NotFoundError('Gift');
    if (openings.has(opening.userId)) return 'already_opened';
    if (this.#changedAnswers > 0) {
      this.#changedAnswers--;
      return 'changed';
    }
    const claimable =
      current.status === 'active' &&
      current.remaining > 0 &&
      !current.claimed.includes(opening.share) &&
      new Date(current.expiresAt).getTime() > now.getTime();
    if (!claimable) return 'changed';
    await this.ledger.execute(payout);
    const remaining = current.remaining - 1;
    this.#gifts.set(gift.giftId, {
      ...current,
      remaining,
      claimed: [...current.claimed, opening.share].sort((a, b) => a - b),
      status: remaining === 0 ? 'fully_opened' : 'active',
    });
    openings.set(opening.userId, { ...opening });
    this.outbox.push(structuredClone(event));
    return 'claimed';
  }

  async #interleavedWrite(): Promise<void> {
    const write = this.#interleaved.shift();
    if (write !== undefined) await write();
  }
}
