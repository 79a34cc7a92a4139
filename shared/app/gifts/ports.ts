/** The group gifts feature's ports: the gifts, their openings and escrow, and their lifecycle. */
import type { DomainEventDetail } from '../../domain/events.js';
import type { Gift, GiftOpening } from '../../domain/gift.js';
import type { TransferCommand } from '../../domain/ledger.js';

export type PostTransfer = Extract<TransferCommand, { type: 'post' }>;

/** Claiming the next share of a gift: the opening, its payout and its event, written together. */
export interface GiftClaim {
  /** The gift as read: the claim holds only while nobody else changed it since. */
  gift: Gift;
  opening: GiftOpening;
  /** Escrow to the opener's wallet. */
  payout: PostTransfer;
  event: DomainEventDetail<'gift.opened'>;
  now: Date;
}

export interface GiftStore {
  /**
   * Stores the new gift, funds its escrow (`funding`) and writes its `gift.created` event to the outbox, in
   * one transaction. The same gift id again (a
   * retried request) returns the stored gift and moves no money. Throws InsufficientFundsError.
   */
  create(gift: Gift, funding: PostTransfer): Promise<Gift>;
  get(giftId: string): Promise<Gift | undefined>;
  /** Every opening of the gift (at most its count), in claiming order. */
  openings(giftId: string): Promise<GiftOpening[]>;
  /** The member's opening of the gift, if they opened it. */
  openingOf(giftId: string, userId: string): Promise<GiftOpening | undefined>;
  /** The gift and the member's opening of it, in one round trip. */
  getForOpener(giftId: string, userId: string): Promise<{ gift?: Gift; opening?: GiftOpening }>;
  /**
   * In one transaction: claims the opening's share (only while the gift is active, unexpired, has shares
   * left and nobody holds that share yet), records the opening (only if this user has none), pays the
   * share out and writes the `gift.opened` event to the outbox.
   * `already_opened`: this user has opened it before; `changed`: the share was taken or the gift moved on,
   * read it again.
   */
  claim(claim: GiftClaim): Promise<'claimed' | 'already_opened' | 'changed'>;
  /**
   * In one transaction: marks the gift (still exactly as read and active) expired, recording the refund,
   * moves the refund, if any, from the escrow back to the creator and writes the `gift.expired` event to the
   * outbox. `changed`: read it again.
   */
  expire(gift: Gift, refund: PostTransfer | undefined, at: string): Promise<'expired' | 'changed'>;
  /**
   * Writes the `gift.expired` event of a gift fully opened before it expired (no state or money to change)
   * to the outbox, once: an event already written is left as it is.
   */
  announceFullyOpenedExpiry(gift: Gift): Promise<void>;
}

/** The group gift lifecycle (Step Functions): started by gift id; it waits for the expiry itself. */
export interface GiftLifecycle {
  start(giftId: string, input: Readonly<Record<string, unknown>>): Promise<void>;
}
