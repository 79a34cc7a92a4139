import * as z from 'zod/mini';
import { defineEntity } from '../entity.js';
import { stepUpNonceKey } from '../keys.js';
import type { SameType } from './exact.js';
import { type StoredScope, stepUpTtl, storedScopeShape } from './step-up-scope.js';

/** The user's pending biometric step-up nonce as stored (`expiresAt` is the table's TTL, so `nonceExpiresAt`). */
export interface StoredStepUpNonce extends StoredScope {
  userId: string;
  nonce: string;
  nonceExpiresAt: string;
}

const schema = z.object({
  userId: z.string(),
  nonce: z.string(),
  ...storedScopeShape,
  nonceExpiresAt: z.string(),
});

true satisfies SameType<z.output<typeof schema>, StoredStepUpNonce>;

/** `USER#<user>` / `STEPUP#NONCE`, next to the factors. */
export const StepUpNonceEntity = defineEntity<StoredStepUpNonce>({
  type: 'MfaStepUpNonce',
  schema: schema satisfies z.ZodMiniType<StoredStepUpNonce>,
  key: (nonce) => stepUpNonceKey(nonce.userId),
  extra: (nonce) => ({ expiresAt: stepUpTtl(nonce.nonceExpiresAt) }),
});
