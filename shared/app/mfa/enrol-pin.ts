import { assertPinFormat } from '../../domain/mfa.js';
import { assertSelf } from '../access.js';
import type { Clock } from '../ports.js';
import type { MfaCrypto, MfaFactors } from './ports.js';

export interface EnrolPinDeps {
  factors: MfaFactors;
  crypto: Pick<MfaCrypto, 'hashPin'>;
  clock: Clock;
}

export interface EnrolPinCommand {
  callerId: string;
  userId: string;
  pin: string;
}

/**
 * 1. Only the caller's own PIN (another user's answers 403).
 * 2. Exactly six digits; store its scrypt hash (a new PIN replaces the old one). The PIN itself is neither
 *    stored nor logged.
 */
export async function enrolPin(
  command: EnrolPinCommand,
  deps: EnrolPinDeps,
): Promise<{ method: 'transaction_pin'; enrolled: true }> {
  assertSelf(command.callerId, command.userId);
  assertPinFormat(command.pin);
  const hash = await deps.crypto.hashPin(command.pin);
  await deps.factors.setPin(command.userId, hash, deps.clock.now().toISOString());
  return { method: 'transaction_pin', enrolled: true };
}
