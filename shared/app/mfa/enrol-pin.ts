import { assertPinFormat } from '../../domain/mfa.js';
import { assertSelf } from '../access.js';
import type { Clock } from '../ports.js';
import type { MfaCrypto, MfaFactors, StepUpStore } from './ports.js';
import { assertMayChangeFactors } from './step-up.js';

export interface EnrolPinDeps {
  factors: MfaFactors;
  stepUps: Pick<StepUpStore, 'spend'>;
  crypto: Pick<MfaCrypto, 'hashPin' | 'hashStepUpToken'>;
  clock: Clock;
}

export interface EnrolPinCommand {
  callerId: string;
  userId: string;
  pin: string;
  /** X-Step-Up-Token (purpose `factors`): required once the user has any confirmed factor. */
  stepUpToken?: string | undefined;
}

/**
 * 1. Only the caller's own PIN (another user's answers 403).
 * 2. Exactly six digits.
 * 3. A user with any confirmed factor spends a step-up token of purpose `factors` (428 otherwise).
 * 4. Store the PIN's scrypt hash (a new PIN replaces the old one). The PIN itself is neither stored nor logged.
 */
export async function enrolPin(
  command: EnrolPinCommand,
  deps: EnrolPinDeps,
): Promise<{ method: 'transaction_pin'; enrolled: true }> {
  assertSelf(command.callerId, command.userId);
  assertPinFormat(command.pin);
  // The scrypt hash (the slow part) overlaps the read of the factors: one wait, not two, as before step-up.
  const [factors, hash] = await Promise.all([
    deps.factors.factorsOf(command.userId),
    deps.crypto.hashPin(command.pin),
  ]);
  await assertMayChangeFactors(command.userId, command.stepUpToken, factors, deps);
  await deps.factors.setPin(command.userId, hash, deps.clock.now().toISOString());
  return { method: 'transaction_pin', enrolled: true };
}
