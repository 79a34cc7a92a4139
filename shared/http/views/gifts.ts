import type { OpenedGift } from '../../app/gifts/gifts.js';
import type { Gift, GiftOpening, LeaderboardEntry } from '../../domain/gift.js';

/**
 * A gift as API.md shapes it (snake_case). The shares fixed at creation stay inside: showing them would
 * tell members what the next opening pays.
 */
export function giftView(gift: Gift, openings: readonly GiftOpening[], board?: readonly LeaderboardEntry[]) {
  return {
    gift_id: gift.giftId,
    type: 'group' as const,
    status: gift.status,
    total_amount: gift.totalAmount,
    currency: gift.currency,
    count: gift.count,
    remaining: gift.remaining,
    distribution: gift.distribution,
    message: gift.message,
    creator: { user_id: gift.creator.userId, wallet_id: gift.creator.walletId },
    opened_by: openings.map((opening) => ({
      user_id: opening.userId,
      amount: opening.amount,
      opened_at: opening.openedAt,
    })),
    ...(board === undefined
      ? {}
      : {
          leaderboard: board.map((entry) => ({
            rank: entry.rank,
            user_id: entry.userId,
            amount: entry.amount,
            opened_at: entry.openedAt,
            luckiest: entry.luckiest,
          })),
        }),
    expires_at: gift.expiresAt,
    created_at: gift.createdAt,
    room_id: gift.roomId,
    ...(gift.refundedAmount === undefined ? {} : { refunded_amount: gift.refundedAmount }),
  };
}

export function openedView({ gift, opening, remaining }: OpenedGift) {
  return { gift_id: gift.giftId, amount: opening.amount, currency: gift.currency, remaining };
}
