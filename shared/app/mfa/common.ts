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
import type { MfaFailureLog, MfaPayments, UserFactors } from './ports.js';

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

/** Five failures within the last hour, across all of the user's payments, lock MFA for the user. */
export async function lockoutOf(
  userId: string,
  deps: { failures: MfaFailureLog; clock: Clock },
): Promise<Lockout> {
  const now = deps.clock.now();
  const failures = await deps.failures.since(userId, lockoutWindowStart(now));
  if (!isLocked(failures.length)) return { locked: false };
  // Unlocked once all but (limit - 1) failures have aged out: when this one leaves the window.
  const freeing = failures[failures.length - MFA_LOCKOUT.failures] ?? failures[0] ?? now.toISOString();
  const freeAt = Date.parse(freeing) + MFA_LOCKOUT.windowSeconds * 1000;
  return { locked: true, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)) };
}

export async function assertNotLocked(
  userId: string,
  deps: { failures: MfaFailureLog; clock: Clock },
): Promise<void> {
  const lockout = await lockoutOf(userId, deps);
  if (lockout.locked) throw new MfaLockedError(lockout.retryAfterSeconds);
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
