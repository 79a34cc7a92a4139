/** The GiftStore port's contract (shared/app/gifts/ports.ts), run against InMemoryGiftStore and DynamoDbGiftStore. */
import type { GiftStore, PostTransfer } from '../../shared/app/gifts/ports.js';
import type { Gift, GiftOpening } from '../../shared/domain/gift.js';
import { type AccountRef, accounts, InsufficientFundsError } from '../../shared/domain/ledger.js';
import { at, availableOf, fundedWallet, type Make, unique } from './subject.js';

function giftOf(creator: AccountRef, shares: readonly number[]): Gift {
  return {
    giftId: unique('gift_'),
    status: 'active',
    totalAmount: shares.reduce((sum, share) => sum + share, 0),
    currency: 'USD',
    count: shares.length,
    remaining: shares.length,
    claimed: [],
    distribution: 'random',
    shares,
    message: null,
    creator: { userId: `@${unique('creator')}:contract`, walletId: creator.historyOwner },
    roomId: '!room:contract',
    expiresAt: at(100),
    createdAt: at(0),
  };
}

function fundingOf(gift: Gift, creator: AccountRef): PostTransfer {
  return {
    type: 'post',
    id: `gift-fund-${gift.giftId}`,
    debit: creator,
    credit: accounts.giftEscrow(gift.giftId, gift.currency),
    amount: gift.totalAmount,
    code: 'gift_fund',
  };
}

/** What a claim of `share` by a new member carries: the opening, the payout to their wallet, the event. */
function claimOf(
  gift: Gift,
  share: number,
  opener: AccountRef,
  userId = `@${unique('opener')}:contract`,
  now = at(10),
) {
  const amount = gift.shares[share] ?? 0;
  const opening: GiftOpening = { userId, amount, openedAt: now, share };
  const payout: PostTransfer = {
    type: 'post',
    id: `gift-open-${gift.giftId}-${share}-${userId}`,
    debit: accounts.giftEscrow(gift.giftId, gift.currency),
    credit: opener,
    amount,
    code: 'gift_open',
  };
  const event = {
    eventId: `gift.opened:${gift.giftId}:${userId}`,
    occurredAt: now,
    roomId: gift.roomId,
    giftId: gift.giftId,
    userId,
    amount,
    currency: gift.currency,
    remaining: gift.remaining - 1,
  };
  return { gift, opening, payout, event, now: new Date(now) };
}

export function giftsContract(make: Make<{ gifts: GiftStore }>): void {
  describe('Port: GiftStore', () => {
    it('stores a gift with its funding once: a retried create returns it and moves no money again', async () => {
      const { gifts, ledger } = make();
      const creator = await fundedWallet(ledger, 1000);
      const gift = giftOf(creator, [300, 200]);

      expect(await gifts.create(gift, fundingOf(gift, creator))).toEqual(gift);
      expect(await gifts.create({ ...gift, message: 'again' }, fundingOf(gift, creator))).toEqual(gift);

      expect(await gifts.get(gift.giftId)).toEqual(gift);
      expect(await availableOf(ledger, creator)).toBe(500);
      expect(await availableOf(ledger, accounts.giftEscrow(gift.giftId, 'USD'))).toBe(500);
    });

    it('stores nothing when the creator cannot fund it (InsufficientFundsError)', async () => {
      const { gifts, ledger } = make();
      const creator = await fundedWallet(ledger, 100);
      const gift = giftOf(creator, [300]);

      await expect(gifts.create(gift, fundingOf(gift, creator))).rejects.toBeInstanceOf(
        InsufficientFundsError,
      );
      expect(await gifts.get(gift.giftId)).toBeUndefined();
      expect(await availableOf(ledger, creator)).toBe(100);
    });

    it('claims a share once with its payout; the same member again is already_opened, a taken share changed', async () => {
      const { gifts, ledger } = make();
      const creator = await fundedWallet(ledger, 1000);
      const opener = await fundedWallet(ledger, 0);
      const other = await fundedWallet(ledger, 0);
      const funded = giftOf(creator, [300, 200, 100]);
      await gifts.create(funded, fundingOf(funded, creator));
      const first = claimOf(funded, 0, opener);

      expect(await gifts.claim(first)).toBe('claimed');
      expect(await gifts.claim({ ...claimOf(funded, 1, opener, first.opening.userId) })).toBe(
        'already_opened',
      );
      expect(await gifts.claim(claimOf(funded, 0, other))).toBe('changed');

      expect(await availableOf(ledger, opener)).toBe(300);
      expect(await availableOf(ledger, other)).toBe(0);
      expect(await gifts.openingOf(funded.giftId, first.opening.userId)).toEqual(first.opening);
      expect(await gifts.openings(funded.giftId)).toEqual([first.opening]);
      expect(await gifts.getForOpener(funded.giftId, first.opening.userId)).toEqual({
        gift: { ...funded, remaining: 2, claimed: [0] },
        opening: first.opening,
      });
    });

    it('marks the gift fully opened when its last share is claimed', async () => {
      const { gifts, ledger } = make();
      const creator = await fundedWallet(ledger, 1000);
      const gift = giftOf(creator, [300]);
      await gifts.create(gift, fundingOf(gift, creator));

      expect(await gifts.claim(claimOf(gift, 0, await fundedWallet(ledger, 0)))).toBe('claimed');

      expect(await gifts.get(gift.giftId)).toMatchObject({
        status: 'fully_opened',
        remaining: 0,
        claimed: [0],
      });
    });

    it('refuses a claim once the gift has expired (changed), paying nothing', async () => {
      const { gifts, ledger } = make();
      const creator = await fundedWallet(ledger, 1000);
      const opener = await fundedWallet(ledger, 0);
      const gift = giftOf(creator, [300]);
      await gifts.create(gift, fundingOf(gift, creator));

      expect(await gifts.claim(claimOf(gift, 0, opener, undefined, at(100)))).toBe('changed');
      expect(await availableOf(ledger, opener)).toBe(0);
    });

    it('expires a gift as read with its refund once; an expiry of a stale read is changed and moves nothing', async () => {
      const { gifts, ledger } = make();
      const creator = await fundedWallet(ledger, 1000);
      const gift = giftOf(creator, [300, 200]);
      await gifts.create(gift, fundingOf(gift, creator));
      await gifts.claim(claimOf(gift, 0, await fundedWallet(ledger, 0)));
      const read = (await gifts.get(gift.giftId)) as Gift;
      const refund: PostTransfer = {
        type: 'post',
        id: `gift-refund-${gift.giftId}`,
        debit: accounts.giftEscrow(gift.giftId, 'USD'),
        credit: creator,
        amount: 200,
        code: 'gift_refund',
      };

      expect(await gifts.expire(gift, { ...refund, id: unique('stale-') }, at(120))).toBe('changed');
      expect(await gifts.expire(read, refund, at(120))).toBe('expired');
      expect(await gifts.expire(read, refund, at(121))).toBe('changed');

      expect(await gifts.get(gift.giftId)).toMatchObject({
        status: 'expired',
        expiredAt: at(120),
        refundedAmount: 200,
      });
      expect(await availableOf(ledger, creator)).toBe(700);
      expect(await availableOf(ledger, accounts.giftEscrow(gift.giftId, 'USD'))).toBe(0);
    });
  });
}
