/**
 * Step-up: a fresh second factor traded for a single-use token that approves one sensitive act (changing
 * the factors, or one large transfer). See shared/domain/step-up.ts for the rules.
 */
import { DomainError } from '../../domain/errors.js';
import { lockoutWindowStart, MFA_LOCKOUT, MfaFailedError, type MfaMethod } from '../../domain/mfa.js';
import {
  type StepUpPurpose,
  StepUpRequiredError,
  type StepUpScope,
  sameScope,
  stepUpExpiry,
  stepUpNonce,
  stepUpPath,
  stepUpScope,
  transferNeedsStepUp,
} from '../../domain/step-up.js';
import { assertSelf } from '../access.js';
import type { Clock } from '../ports.js';
import { assertNotLocked, enrolledMethods, guarded, totpSecretContext } from './common.js';
import { MfaFactorMismatchError, MfaMethodNotEnrolledError } from './errors.js';
import type { MfaAttempts, MfaCrypto, MfaFactors, SecretBox, StepUpStore, UserFactors } from './ports.js';
import type { MfaAnswer } from './verify-challenge.js';

export interface StepUpDeps {
  factors: MfaFactors;
  attempts: MfaAttempts;
  stepUps: StepUpStore;
  crypto: MfaCrypto;
  secrets: SecretBox;
  clock: Clock;
}

export interface StepUpCommand {
  callerId: string;
  userId: string;
  purpose: StepUpPurpose;
  method: MfaMethod;
  answer: MfaAnswer;
  amount?: number | undefined;
  currency?: string | undefined;
}

export interface StepUpToken {
  stepUpToken: string;
  expiresAt: string;
}

export interface StepUpChallengeCommand {
  callerId: string;
  userId: string;
  purpose: StepUpPurpose;
  amount?: number | undefined;
  currency?: string | undefined;
}

/** Which field of the body answers which method (as for a payment challenge). */
const ANSWER_FIELD = { transaction_pin: 'pin', totp: 'code', biometric: 'signature' } as const;

/**
 * A biometric step-up without a pending nonce of its scope: ask for one first (409, not a guess). The HTTP
 * edge hands `challengePath` out as the absolute `details.challengeUrl`.
 */
export class StepUpNonceMissingError extends DomainError {
  override readonly name = 'StepUpNonceMissingError';
  constructor(userId: string) {
    super(
      'INVALID_STATE_TRANSITION',
      'No pending step-up challenge of this scope: get a nonce from the challengeUrl, sign it, then retry',
      { challengePath: `${stepUpPath(userId)}/challenge` },
    );
  }
}

/**
 * 1. Only the caller's own factors (403); `transfer` names amount and currency, `factors` neither (400); the
 *    method must be enrolled (400) and answered by its own field (400).
 * 2. Refuse a locked-out user (429), then hold an attempt slot for this guess (429 when none is free): the
 *    same slots as payment challenges, so parallel guesses never exceed five failures an hour.
 * 3. Check the factor: the PIN against its hash; the TOTP code against the sealed secret, claiming its step
 *    so it is never accepted twice; a biometric signature over the user's pending step-up nonce, which must
 *    be of this scope and is spent by this guess, right or wrong.
 * 4. Wrong: the slot keeps the failure, 401 MFA_FAILED. Right: the slot is freed; a random token is minted
 *    and only its SHA-256 stored, with the user, the scope and five minutes to live; the token is answered
 *    this once.
 */
export async function stepUp(command: StepUpCommand, deps: StepUpDeps): Promise<StepUpToken> {
  assertSelf(command.callerId, command.userId);
  const scope = stepUpScope(command.purpose, command.amount, command.currency);
  const factors = await deps.factors.factorsOf(command.userId);
  const methods = enrolledMethods(factors);
  if (!methods.includes(command.method)) throw new MfaMethodNotEnrolledError(command.method, methods);
  const field = ANSWER_FIELD[command.method];
  const answer = command.answer[field];
  if (answer === undefined) throw new MfaFactorMismatchError(command.method, field);
  await assertNotLocked(command.userId, deps);
  const nonce = command.method === 'biometric' ? await pendingNonce(command.userId, scope, deps) : undefined;

  await guarded(command.userId, `step-up:${scope.purpose}`, deps, async (recordFailure) => {
    if (!(await checkFactor(command, answer, factors, nonce, deps))) {
      await recordFailure();
      // No challenge to count against: what is left is the lockout's own allowance.
      const now = deps.clock.now();
      const failures = await deps.attempts.since(command.userId, lockoutWindowStart(now));
      throw new MfaFailedError(Math.max(0, MFA_LOCKOUT.failures - failures.length));
    }
  });
  const token = deps.crypto.newStepUpToken();
  const now = deps.clock.now();
  const expiresAt = stepUpExpiry(now);
  await deps.stepUps.grant({
    tokenHash: deps.crypto.hashStepUpToken(token),
    userId: command.userId,
    scope,
    expiresAt,
    createdAt: now.toISOString(),
  });
  return { stepUpToken: token, expiresAt };
}

/**
 * The nonce a device signs for a biometric step-up.
 * 1. Only the caller's own (403); the scope must be whole (400); a device key must be registered (400).
 * 2. A fresh nonce naming the scope, kept five minutes, replacing any earlier one of the user.
 */
export async function startStepUpChallenge(
  command: StepUpChallengeCommand,
  deps: Pick<StepUpDeps, 'factors' | 'stepUps' | 'crypto' | 'clock'>,
): Promise<{ nonce: string; expiresAt: string }> {
  assertSelf(command.callerId, command.userId);
  const scope = stepUpScope(command.purpose, command.amount, command.currency);
  const methods = enrolledMethods(await deps.factors.factorsOf(command.userId));
  if (!methods.includes('biometric')) throw new MfaMethodNotEnrolledError('biometric', methods);
  const nonce = stepUpNonce(scope, deps.crypto.randomNonce());
  const expiresAt = stepUpExpiry(deps.clock.now());
  await deps.stepUps.putNonce({ userId: command.userId, nonce, scope, expiresAt });
  return { nonce, expiresAt };
}

/**
 * The gate of a sensitive act: spends the caller's step-up token of this scope in one conditional write,
 * or throws 428 STEP_UP_REQUIRED (no token, or one spent, expired, another user's or of another scope).
 */
export async function spendStepUp(
  userId: string,
  scope: StepUpScope,
  token: string | undefined,
  deps: { stepUps: Pick<StepUpStore, 'spend'>; crypto: Pick<MfaCrypto, 'hashStepUpToken'>; clock: Clock },
): Promise<void> {
  const spent =
    token !== undefined &&
    token !== '' &&
    (await deps.stepUps.spend(deps.crypto.hashStepUpToken(token), userId, scope, deps.clock.now()));
  if (!spent) throw new StepUpRequiredError(userId, scope);
}

/**
 * Changing factors needs a step-up of purpose `factors` once the user has any confirmed factor (a PIN is
 * confirmed once set): otherwise a stolen bearer token could replace the PIN and then approve payments.
 */
export async function assertMayChangeFactors(
  userId: string,
  token: string | undefined,
  factors: UserFactors,
  deps: { stepUps: Pick<StepUpStore, 'spend'>; crypto: Pick<MfaCrypto, 'hashStepUpToken'>; clock: Clock },
): Promise<void> {
  if (enrolledMethods(factors).length === 0) return;
  await spendStepUp(userId, { purpose: 'factors' }, token, deps);
}

async function pendingNonce(userId: string, scope: StepUpScope, deps: StepUpDeps): Promise<string> {
  const pending = await deps.stepUps.nonceOf(userId);
  const now = deps.clock.now().getTime();
  if (pending === undefined || Date.parse(pending.expiresAt) <= now || !sameScope(pending.scope, scope)) {
    throw new StepUpNonceMissingError(userId);
  }
  return pending.nonce;
}

async function checkFactor(
  command: StepUpCommand,
  answer: string,
  factors: UserFactors,
  nonce: string | undefined,
  deps: StepUpDeps,
): Promise<boolean> {
  switch (command.method) {
    case 'transaction_pin':
      if (factors.pin === undefined) return false;
      return deps.crypto.verifyPin(answer, factors.pin.hash);
    case 'totp': {
      const totp = factors.totp;
      if (totp?.status !== 'confirmed') return false;
      const secret = await deps.secrets.decrypt(totp.sealedSecret, totpSecretContext(command.userId));
      const result = deps.crypto.verifyTotp(secret, answer, deps.clock.now(), totp.lastUsedStep);
      // A code whose step another request took meanwhile is a replay: wrong.
      return result.ok && (await deps.factors.useTotpStep(command.userId, result.step));
    }
    case 'biometric': {
      // Spent by this guess whatever its outcome; a concurrent guess that took it first leaves nothing to sign.
      if (nonce === undefined || !(await deps.stepUps.takeNonce(command.userId, nonce))) {
        throw new StepUpNonceMissingError(command.userId);
      }
      return factors.devices.some((device) =>
        deps.crypto.verifyDeviceSignature(device.publicKey, nonce, answer),
      );
    }
  }
}

/** What P2P initiate and gift create need to ask for a step-up above the MFA threshold. */
export interface TransferStepUp {
  /** MFA_THRESHOLDS: per currency, the amount (minor units) above which a transfer needs a step-up. */
  thresholds: ReadonlyMap<string, number>;
  stepUps: Pick<StepUpStore, 'spend'>;
  crypto: Pick<MfaCrypto, 'hashStepUpToken'>;
  clock: Clock;
}

/**
 * Money leaving the wallet by the caller's own act (a P2P initiate, a gift create): above the threshold it
 * spends a step-up token of purpose `transfer` for exactly this amount and currency, or throws 428.
 */
export async function assertTransferApproved(
  userId: string,
  money: { amount: number; currency: string },
  token: string | undefined,
  deps: TransferStepUp,
): Promise<void> {
  if (!transferNeedsStepUp(money.amount, money.currency, deps.thresholds)) return;
  await spendStepUp(userId, { purpose: 'transfer', ...money }, token, deps);
}
