import * as z from 'zod/mini';
import { defineEntity, type Entity } from '../entity.js';
import { stepUpTokenKey } from '../keys.js';
import type { SameType } from './exact.js';
import { type StoredScope, stepUpTtl, storedScopeShape } from './step-up-scope.js';

/** A step-up token's grant as stored; the token's hash is only in the key (`STEPUP#<hash>`). */
export interface StoredStepUpGrant extends StoredScope {
  userId: string;
  tokenExpiresAt: string;
  createdAt: string;
  /** Set when the token is spent (`spend`): single use. */
  spentAt?: string;
}

const schema = z.object({
  userId: z.string(),
  ...storedScopeShape,
  tokenExpiresAt: z.string(),
  createdAt: z.string(),
  spentAt: z.exactOptional(z.string()),
});

true satisfies SameType<z.output<typeof schema>, StoredStepUpGrant>;

/** The grant of the token with this hash: `STEPUP#<hash>` / `STEPUP`. */
export function stepUpGrantEntity(tokenHash: string): Entity<StoredStepUpGrant> {
  return defineEntity<StoredStepUpGrant>({
    type: 'MfaStepUp',
    schema: schema satisfies z.ZodMiniType<StoredStepUpGrant>,
    key: () => stepUpTokenKey(tokenHash),
    extra: (grant) => ({ expiresAt: stepUpTtl(grant.tokenExpiresAt) }),
  });
}
