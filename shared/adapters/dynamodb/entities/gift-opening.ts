import * as z from 'zod/mini';
import type { GiftOpening } from '../../../domain/gift.js';
import { defineEntity, type Entity } from '../entity.js';
import { giftOpeningKey } from '../keys.js';
import type { SameType } from './exact.js';

const schema = z.object({
  userId: z.string(),
  amount: z.number(),
  openedAt: z.string(),
  share: z.number(),
});

true satisfies SameType<z.output<typeof schema>, GiftOpening>;

/**
 * One opener's opening of a gift, in the gift's partition: `GIFT#<gift id>` / `OPENING#<user>`. The gift id
 * is in the key only (the item does not repeat it), so the definition is made for the gift it belongs to.
 */
export function giftOpeningEntity(giftId: string): Entity<GiftOpening> {
  return defineEntity<GiftOpening>({
    type: 'GiftOpening',
    schema: schema satisfies z.ZodMiniType<GiftOpening>,
    key: (opening) => giftOpeningKey(giftId, opening.userId),
  });
}
