import * as z from 'zod/mini';
import type { TotpFactor } from '../../../app/mfa/ports.js';
import { defineEntity, type Entity } from '../entity.js';
import { mfaTotpKey } from '../keys.js';
import type { SameType } from './exact.js';

const schema = z.object({
  sealedSecret: z.string(),
  status: z.enum(['pending_confirmation', 'confirmed']),
  // Set by the confirming code and by every code accepted after it (`confirmTotp`, `useTotpStep`).
  lastUsedStep: z.exactOptional(z.number()),
  createdAt: z.string(),
  confirmedAt: z.exactOptional(z.string()),
});

true satisfies SameType<z.output<typeof schema>, TotpFactor>;

/** A user's TOTP factor, among the factors in the user's partition (`MFA#TOTP`); the item also names its user. */
export function mfaTotpEntity(userId: string): Entity<TotpFactor> {
  return defineEntity<TotpFactor>({
    type: 'MfaTotp',
    schema: schema satisfies z.ZodMiniType<TotpFactor>,
    key: () => mfaTotpKey(userId),
    extra: () => ({ userId }),
  });
}
