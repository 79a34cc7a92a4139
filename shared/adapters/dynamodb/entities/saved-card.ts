import * as z from 'zod/mini';
import type { SavedCard } from '../../../app/wallets/ports.js';
import { defineEntity, type Entity } from '../entity.js';
import { savedCardKey } from '../keys.js';
import { exactSchemaOf } from './exact.js';

const schema = exactSchemaOf<SavedCard>()(
  z.object({
    id: z.string(),
    brand: z.string(),
    last4: z.string(),
    expMonth: z.number(),
    expYear: z.number(),
    fingerprint: z.exactOptional(z.string()),
    customerId: z.exactOptional(z.string()),
    lastUsedAt: z.string(),
  }),
);

/** The same card comes back under new payment method ids; its fingerprint (or its face) identifies it. */
function identityOf(card: SavedCard): string {
  return card.fingerprint ?? `${card.brand}-${card.last4}-${card.expMonth}-${card.expYear}`;
}

/** A card a user paid with, in the user's partition: one item per physical card. */
export function savedCardEntity(userId: string): Entity<SavedCard> {
  return defineEntity<SavedCard>({
    type: 'SavedCard',
    schema,
    key: (card) => savedCardKey(userId, identityOf(card)),
  });
}
