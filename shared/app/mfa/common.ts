/**
 * What the MFA use cases share: the payer's own payment, the enrolled methods, the lockout, the challenge
 * as the payer sees it.
 */
import { NotFoundError } from '../../domain/errors.js';
import {
  type Challenge,
  type ChallengeStatus,
  isChallengeExpired,
  isLocked,
  lockoutWindowStart,
  MFA_LOCKOUT,
  MfaLockedError,
  type MfaMethod,
} from '../../domain/mfa.js';
import type { Payment } from '../../domain/payment.js';
import type { Clock } from '../ports.js';
import type { MfaAttempts, MfaCrypto, MfaPayments, UserFactors } from './ports.js';

/** The context every TOTP secret is sealed with: it opens for this user and this purpose only. */
export function totpSecretContext(userId: string): Readonly<Record<string, string>> {
  return { userId, purpose: 'totp' };
}

/** transaction_pin if a PIN is set, totp once confirmed, biometric with at least one device key. */
export function enrolledMethods(factors: UserFactors): MfaMethod[] {
  const methods: MfaMethod[] = [];
  if (factors.pin !== undefined) methods.push('transaction_pin');
  if (factors.totp?.status === 'confirmed') methods.push('totp');
  if (factors.devices.length > 0) methods.push('biometric');
  return methods;
}

/** The payment, if the caller is its payer; another user's payment is as unknown as a missing one (404). */
export async function payerPayment(
  paymentId: string,
  userId: string,
  payments: Pick<MfaPayments, 'get'>,
): Promise<Payment> {
  const payment = await payments.get(paymentId);
  if (payment === undefined || payment.userId !== userId) throw new NotFoundError('Payment');
  return payment;
}

export interface Lockout {
  locked: boolean;
  /** While locked: seconds until enough failures have left the window. */
  retryAfterSeconds?: number;
}

type LockoutDeps = { attempts: MfaAttempts; clock: Clock };

/** Five failures within the last hour, across all of the user's payments and step-ups, lock MFA for the user. */
export async function lockoutOf(userId: string, deps: LockoutDeps): Promise<Lockout> {
  const now = deps.clock.now();
  return lockoutFrom(await deps.attempts.since(userId, lockoutWindowStart(now)), now);
}

function lockoutFrom(taken: readonly string[], now: Date): Lockout {
  if (!isLocked(taken.length)) return { locked: false };
  // Unlocked once all but (limit - 1) failures have aged out: when this one leaves the window.
  const freeing = taken[taken.length - MFA_LOCKOUT.failures] ?? taken[0] ?? now.toISOString();
  const freeAt = Date.parse(freeing) + MFA_LOCKOUT.windowSeconds * 1000;
  return { locked: true, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)) };
}

/** A cheap early refusal (429) before any work; the guess itself is bounded by `guarded`. */
export async function assertNotLocked(userId: string, deps: LockoutDeps): Promise<void> {
  const lockout = await lockoutOf(userId, deps);
  if (lockout.locked) throw new MfaLockedError(lockout.retryAfterSeconds);
}

/** What a guarded guess may call when its factor turned out wrong: the slot keeps the failure. */
export type RecordFailure = () => Promise<void>;

/**
 * Runs one guess at a factor while it holds one of the user's attempt slots (429 MFA_LOCKED when all are
 * held). `guess` calls `recordFailure` when the factor was wrong: the slot then stays taken for the window.
 * Any other outcome, an error included, frees the slot again. A failure whose recording fails leaves the
 * slot held: the lockout errs on the side of counting.
 */
export async function guarded<T>(
  userId: string,
  subject: string,
  deps: LockoutDeps & { crypto: Pick<MfaCrypto, 'randomNonce'> },
  guess: (recordFailure: RecordFailure) => Promise<T>,
): Promise<T> {
  const now = deps.clock.now();
  const reservation = await deps.attempts.reserve(
    userId,
    deps.crypto.randomNonce(),
    now,
    lockoutWindowStart(now),
  );
  if (!reservation.held) {
    throw new MfaLockedError(lockoutFrom(reservation.taken, now).retryAfterSeconds);
  }
  const { slot } = reservation;
  let failed = false;
  const recordFailure: RecordFailure = async () => {
    if (failed) return;
    failed = true;
    await deps.attempts.fail(slot, deps.clock.now(), subject);
  };
  let result: T;
  try {
    result = await guess(recordFailure);
  } catch (error) {
    if (!failed) await deps.attempts.release(slot);
    throw error;
  }
  if (!failed) await deps.attempts.release(slot);
  return result;
}

export interface ChallengeSummary {
  challengeId: string;
  paymentId: string;
  method: MfaMethod;
  status: ChallengeStatus;
  attempts: number;
  maxAttempts: number;
  expiresAt: string;
  nonce?: string;
}

/** The challenge as the payer sees it; a pending challenge past its lifetime reads as expired. */
export function challengeSummary(challenge: Challenge, now: Date): ChallengeSummary {
  const status =
    challenge.status === 'pending' && isChallengeExpired(challenge, now) ? 'expired' : challenge.status;
  return {
    challengeId: challenge.challengeId,
    paymentId: challenge.paymentId,
    method: challenge.method,
    status,
    attempts: challenge.attempts,
    maxAttempts: challenge.maxAttempts,
    expiresAt: challenge.expiresAt,
    ...(challenge.nonce === undefined ? {} : { nonce: challenge.nonce }),
  };
}
