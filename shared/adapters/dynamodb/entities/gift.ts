import * as z from 'zod/mini';
import type { Gift } from '../../../domain/gift.js';
import { defineEntity } from '../entity.js';
import { giftKey } from '../keys.js';
import type { SameType } from './exact.js';

/**
 * A gift as the table holds it: `claimed` is a number set that claims ADD to (absent until the first claim:
 * an empty set cannot be stored), and the status is the stored one (an active gift with nothing left is
 * read as `fully_opened` by the adapter).
 */
export interface StoredGift extends Omit<Gift, 'claimed'> {
  claimed?: Set<number>;
}

const schema = z.object({
  giftId: z.string(),
  status: z.enum(['active', 'fully_opened', 'expired']),
  totalAmount: z.number(),
  currency: z.string(),
  count: z.number(),
  remaining: z.number(),
  claimed: z.exactOptional(z.set(z.number())),
  distribution: z.enum(['random', 'equal']),
  shares: z.readonly(z.array(z.number())),
  message: z.nullable(z.string()),
  creator: z.object({ userId: z.string(), walletId: z.string() }),
  roomId: z.string(),
  expiresAt: z.string(),
  createdAt: z.string(),
  // Set when the lifecycle expires the gift (`expire`).
  refundedAmount: z.exactOptional(z.number()),
  expiredAt: z.exactOptional(z.string()),
});

true satisfies SameType<z.output<typeof schema>, StoredGift>;

/** A group gift: `GIFT#<gift id>` / `GIFT`, its openings beside it in the same partition. */
export const GiftEntity = defineEntity<StoredGift>({
  type: 'Gift',
  schema: schema satisfies z.ZodMiniType<StoredGift>,
  key: (gift) => giftKey(gift.giftId),
});
