import * as z from 'zod/mini';
import { defineEntity, type Entity } from '../entity.js';
import { mfaPinKey } from '../keys.js';
import type { SameType } from './exact.js';

/** The PIN factor as stored: the scrypt hash (shared/adapters/crypto/pin.ts), never the PIN. */
export interface StoredPin {
  pinHash: string;
  updatedAt: string;
}

const schema = z.object({ pinHash: z.string(), updatedAt: z.string() });

true satisfies SameType<z.output<typeof schema>, StoredPin>;

/** A user's PIN, among the factors in the user's partition (`MFA#PIN`); the item also names its user. */
export function mfaPinEntity(userId: string): Entity<StoredPin> {
  return defineEntity<StoredPin>({
    type: 'MfaPin',
    schema: schema satisfies z.ZodMiniType<StoredPin>,
    key: () => mfaPinKey(userId),
    extra: () => ({ userId }),
  });
}
