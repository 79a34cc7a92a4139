import * as z from 'zod/mini';
import type { Challenge } from '../../../domain/mfa.js';
import { defineEntity } from '../entity.js';
import { challengeKey } from '../keys.js';
import type { SameType } from './exact.js';

/** Challenge items are kept a week past their lifetime (for support), then TTL removes them. */
const CHALLENGE_RETENTION_SECONDS = 7 * 24 * 3600;

/**
 * A challenge as stored: `expiresAt` is the table's TTL attribute (epoch seconds), so the challenge's own
 * expiry (ISO) is `challengeExpiresAt`; `updatedAt` is set by every settled attempt.
 */
export interface StoredChallenge extends Omit<Challenge, 'expiresAt'> {
  challengeExpiresAt: string;
  updatedAt?: string;
}

const schema = z.object({
  challengeId: z.string(),
  paymentId: z.string(),
  userId: z.string(),
  method: z.enum(['transaction_pin', 'totp', 'biometric']),
  status: z.enum(['pending', 'verified', 'failed', 'expired']),
  attempts: z.number(),
  maxAttempts: z.number(),
  challengeExpiresAt: z.string(),
  createdAt: z.string(),
  nonce: z.exactOptional(z.string()),
  updatedAt: z.exactOptional(z.string()),
});

true satisfies SameType<z.output<typeof schema>, StoredChallenge>;

/** One item per challenge: `CHALLENGE#<id>` / `CHALLENGE`. */
export const MfaChallengeEntity = defineEntity<StoredChallenge>({
  type: 'MfaChallenge',
  schema: schema satisfies z.ZodMiniType<StoredChallenge>,
  key: (challenge) => challengeKey(challenge.challengeId),
  extra: (challenge) => ({
    expiresAt: Math.floor(Date.parse(challenge.challengeExpiresAt) / 1000) + CHALLENGE_RETENTION_SECONDS,
  }),
});

export function toStoredChallenge(challenge: Challenge): StoredChallenge {
  const { expiresAt, ...rest } = challenge;
  return { ...rest, challengeExpiresAt: expiresAt };
}

export function fromStoredChallenge(stored: StoredChallenge): Challenge {
  const { challengeExpiresAt, updatedAt: _updatedAt, ...rest } = stored;
  return { ...rest, expiresAt: challengeExpiresAt };
}
