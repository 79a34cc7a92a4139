import * as z from 'zod/mini';
import { MFA_LOCKOUT } from '../../../domain/mfa.js';
import { defineEntity } from '../entity.js';
import { mfaAttemptSlotKey } from '../keys.js';
import type { SameType } from './exact.js';

/**
 * One of a user's attempt slots: held (`checking`) by a guess while its factor is checked, kept (`failed`,
 * naming the subject) by a wrong guess for the lockout window, after which TTL removes it.
 */
export interface AttemptSlotRecord {
  userId: string;
  slot: number;
  attemptId: string;
  state: 'checking' | 'failed';
  takenAt: string;
  subject?: string;
}

const schema = z.object({
  userId: z.string(),
  slot: z.number(),
  attemptId: z.string(),
  state: z.enum(['checking', 'failed']),
  takenAt: z.string(),
  // Set by a failure (`fail`).
  subject: z.exactOptional(z.string()),
});

true satisfies SameType<z.output<typeof schema>, AttemptSlotRecord>;

/** `MFAATTEMPTS#<user>` / `SLOT#<n>`. */
export const MfaAttemptSlotEntity = defineEntity<AttemptSlotRecord>({
  type: 'MfaAttemptSlot',
  schema: schema satisfies z.ZodMiniType<AttemptSlotRecord>,
  key: (slot) => mfaAttemptSlotKey(slot.userId, slot.slot),
  extra: (slot) => ({ expiresAt: slotTtl(new Date(slot.takenAt)) }),
});

/** The table's TTL of a slot taken at `at` (epoch seconds): the end of the lockout window. */
export function slotTtl(at: Date): number {
  return Math.floor(at.getTime() / 1000) + MFA_LOCKOUT.windowSeconds;
}

const takenSlot = z.pick(schema, { slot: true, takenAt: true });

/** A slot read with the projection `slot, takenAt`; undefined for an item without them. */
export function takenSlotOf(item: Record<string, unknown>): { slot: number; takenAt: string } | undefined {
  const parsed = z.safeParse(takenSlot, item);
  return parsed.success ? parsed.data : undefined;
}
