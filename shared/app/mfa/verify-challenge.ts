import {
  ConcurrentModificationError,
  InvalidStateTransitionError,
  NotFoundError,
} from '../../domain/errors.js';
import {
  afterFailure,
  assessAttempt,
  type Challenge,
  type FailureOutcome,
  MfaChallengeExpiredError,
  MfaFailedError,
  type MfaMethod,
  MfaNotEnrolledError,
  nonceBindsPayment,
} from '../../domain/mfa.js';
import {
  AWAITING_MFA,
  type Payment,
  type PaymentEvent,
  type PaymentState,
  releaseOf,
} from '../../domain/payment.js';
import { MFA_FAILED_ERROR } from '../payments/lifecycle.js';
import type { PaymentTransition, TransitionedPayment, Workflows } from '../payments/ports.js';
import type { Clock } from '../ports.js';
import {
  assertNotLocked,
  enrolledMethods,
  guarded,
  payerPayment,
  type RecordFailure,
  totpSecretContext,
} from './common.js';
import { MfaFactorMismatchError } from './errors.js';
import type {
  ChallengeStore,
  MfaAttempts,
  MfaCrypto,
  MfaFactors,
  MfaPayments,
  SecretBox,
  UserFactors,
} from './ports.js';

export interface VerifyChallengeDeps {
  payments: MfaPayments;
  factors: MfaFactors;
  challenges: ChallengeStore;
  attempts: MfaAttempts;
  workflows: Workflows;
  crypto: MfaCrypto;
  secrets: SecretBox;
  clock: Clock;
}

/** Exactly one of these, the one the challenge's method asks for. */
export interface MfaAnswer {
  pin?: string | undefined;
  code?: string | undefined;
  signature?: string | undefined;
}

export interface VerifyChallengeCommand {
  userId: string;
  paymentId: string;
  challengeId: string;
  answer: MfaAnswer;
}

export interface VerifiedPayment {
  payment: Payment;
  /** The payer's enrolled methods (for the payment view while it still waits for MFA). */
  methods: MfaMethod[];
}

/** Which field of the body answers which method. */
const ANSWER_FIELD = { transaction_pin: 'pin', totp: 'code', biometric: 'signature' } as const;

/** The failure code of a payment failed by its third wrong attempt (the lifecycle's MfaFailed path uses it too). */
export const MFA_FAILED_REASON = 'mfa_failed';

/** Rounds of re-reading after a lost conditional write before giving up with a 409. */
const RACE_ROUNDS = 5;

type FactorCheck = { ok: true; totpStep?: number } | { ok: false };

/**
 * 1. The payment must be the caller's (404) and the challenge one of its own (404). A challenge already
 *    verified answers the payment as it is now: a retried request, or the twin of a concurrent verify.
 * 2. Refuse a locked-out payer (429) before looking at the factor; an expired, replaced or closed challenge
 *    is 409, and so is a payment no longer waiting for its second factor. The guess then holds one of the
 *    payer's attempt slots while it is checked (429 when none is free), so parallel guesses can never
 *    exceed the lockout: a wrong one keeps its slot as a failure, anything else frees it.
 * 3. After a wrong attempt the payment waits in MFA_Failed: move it back to MFA_Challenge (retry).
 * 4. Check the factor: the PIN against its hash, the TOTP code against the sealed secret (never a step
 *    already used), the signature over the challenge's nonce against the payer's device keys.
 * 5. Right: settle the challenge as verified (conditional on the attempts seen, claiming the TOTP step in
 *    the same write), then MFA_Challenge → MFA_Verified → Authorized and resume the lifecycle's task.
 * 6. Wrong: keep the slot as a failure (lockout), count the attempt on the challenge, then MFA_Challenge →
 *    MFA_Failed, or on the last attempt → Failed (mfa_failed) and fail the lifecycle's task. Answer 401 with
 *    the attempts left.
 * Of two concurrent attempts only the one whose conditional write lands moves the payment; the other
 * re-reads the challenge and decides again.
 */
export async function verifyChallenge(
  command: VerifyChallengeCommand,
  deps: VerifyChallengeDeps,
): Promise<VerifiedPayment> {
  const payment = await payerPayment(command.paymentId, command.userId, deps.payments);
  const challenge = await deps.challenges.get(command.challengeId);
  if (challenge === undefined || challenge.paymentId !== payment.paymentId)
    throw new NotFoundError('Challenge');
  if (challenge.status === 'verified') return current(payment.paymentId, command.userId, deps);

  await assertNotLocked(command.userId, deps);
  assertAnswerable(challenge, payment, deps.clock.now());
  const field = ANSWER_FIELD[challenge.method];
  const answer = command.answer[field];
  if (answer === undefined) throw new MfaFactorMismatchError(challenge.method, field);
  await backToChallenge(payment, deps);

  const factors = await deps.factors.factorsOf(command.userId);
  return guarded(command.userId, `payment:${payment.paymentId}`, deps, (recordFailure) =>
    settleAttempt(command.userId, payment, challenge, answer, factors, recordFailure, deps),
  );
}

/** Steps 4–6, while the guess holds its attempt slot. */
async function settleAttempt(
  userId: string,
  payment: Payment,
  seen: Challenge,
  answer: string,
  factors: UserFactors,
  recordFailure: RecordFailure,
  deps: VerifyChallengeDeps,
): Promise<VerifiedPayment> {
  let challenge = seen;
  let check = await checkFactor(challenge, answer, payment, factors, deps);
  for (let round = 0; round < RACE_ROUNDS; round += 1) {
    const at = deps.clock.now();
    if (check.ok) {
      const outcome = await deps.challenges.settle(
        challenge.challengeId,
        challenge.attempts,
        { status: 'verified', attempts: challenge.attempts + 1, at: at.toISOString() },
        check.totpStep === undefined ? undefined : { userId, step: check.totpStep },
      );
      if (outcome === 'settled') {
        return {
          payment: await authorize(payment, challenge.method, deps),
          methods: enrolledMethods(factors),
        };
      }
      // The code's step was taken by another request since we read the factor: a replay, hence wrong.
      if (outcome === 'code_reused') {
        check = { ok: false };
        continue;
      }
    } else {
      await recordFailure();
      const failure = afterFailure(challenge);
      const change = {
        status: failure.exhausted ? ('failed' as const) : ('pending' as const),
        attempts: failure.attempts,
        at: at.toISOString(),
      };
      if ((await deps.challenges.settle(challenge.challengeId, challenge.attempts, change)) === 'settled') {
        await afterWrongAttempt(payment, failure, deps);
        throw new MfaFailedError(failure.attemptsRemaining);
      }
    }
    // A concurrent attempt settled first: see where the challenge stands now.
    const now = await deps.challenges.get(challenge.challengeId);
    if (now === undefined) throw new NotFoundError('Challenge');
    if (now.status === 'verified') return current(payment.paymentId, userId, deps);
    assessAttempt(now, deps.clock.now());
    challenge = now;
  }
  throw new ConcurrentModificationError('Challenge');
}

function assertAnswerable(challenge: Challenge, payment: Payment, now: Date): void {
  assessAttempt(challenge, now);
  // A challenge replaced by a newer one is over, even if nothing has marked it yet.
  if (payment.activeChallengeId !== challenge.challengeId) throw new MfaChallengeExpiredError();
  if (payment.state !== 'MFA_Challenge' && payment.state !== 'MFA_Failed') {
    throw new InvalidStateTransitionError(payment.state, 'mfa_verified');
  }
}

/** MFA_Failed → MFA_Challenge before the next attempt is checked; a concurrent attempt may have done it. */
async function backToChallenge(payment: Payment, deps: VerifyChallengeDeps): Promise<void> {
  if (payment.state !== 'MFA_Failed') return;
  await tryTransition(payment, 'MFA_Failed', 'retry', deps);
}

async function checkFactor(
  challenge: Challenge,
  answer: string,
  payment: Payment,
  factors: UserFactors,
  deps: VerifyChallengeDeps,
): Promise<FactorCheck> {
  switch (challenge.method) {
    case 'transaction_pin': {
      if (factors.pin === undefined) throw new MfaNotEnrolledError(enrolledMethods(factors));
      return { ok: await deps.crypto.verifyPin(answer, factors.pin.hash) };
    }
    case 'totp': {
      const totp = factors.totp;
      if (totp?.status !== 'confirmed') throw new MfaNotEnrolledError(enrolledMethods(factors));
      const secret = await deps.secrets.decrypt(totp.sealedSecret, totpSecretContext(payment.userId));
      const result = deps.crypto.verifyTotp(secret, answer, deps.clock.now(), totp.lastUsedStep);
      return result.ok ? { ok: true, totpStep: result.step } : { ok: false };
    }
    case 'biometric': {
      if (factors.devices.length === 0) throw new MfaNotEnrolledError(enrolledMethods(factors));
      const nonce = challenge.nonce;
      const bound =
        nonce !== undefined &&
        nonceBindsPayment(nonce, {
          appId: payment.appId,
          paymentId: payment.paymentId,
          amount: payment.amount.value,
          currency: payment.amount.currency,
        });
      return {
        ok:
          bound &&
          factors.devices.some((device) =>
            deps.crypto.verifyDeviceSignature(device.publicKey, nonce, answer),
          ),
      };
    }
  }
}

/**
 * Only the request that verified the challenge gets here, so the payment moves on exactly once. A wrong
 * attempt that raced it may have left the payment in MFA_Failed; that is undone first.
 */
async function authorize(payment: Payment, method: MfaMethod, deps: VerifyChallengeDeps): Promise<Payment> {
  for (let round = 0; round < RACE_ROUNDS; round += 1) {
    const now = await load(payment.paymentId, deps);
    const step = nextOnSuccess(now.state);
    if (step === undefined) {
      if (now.state === 'Failed') throw new InvalidStateTransitionError(now.state, 'mfa_verified');
      return now;
    }
    const moved = await tryTransition(
      now,
      now.state,
      step,
      deps,
      step === 'mfa_verified' ? { mfaMethod: method } : {},
      { takeTaskToken: step === 'authorized' },
    );
    if (moved?.state === 'Authorized') {
      // Taken by the change itself: a token stored before it is here; one stored later finds the payment
      // Authorized and the lifecycle resumes itself (awaitOutcome).
      const { takenTaskToken, ...authorized } = moved;
      if (takenTaskToken !== undefined)
        await deps.workflows.resume(takenTaskToken, { state: authorized.state });
      return authorized;
    }
  }
  throw new ConcurrentModificationError('Payment');
}

function nextOnSuccess(state: PaymentState): PaymentEvent | undefined {
  if (state === 'MFA_Failed') return 'retry';
  if (state === 'MFA_Challenge') return 'mfa_verified';
  if (state === 'MFA_Verified') return 'authorized';
  return undefined;
}

/** MFA_Challenge → MFA_Failed, or on the last attempt → Failed (mfa_failed) and the lifecycle's task failed. */
async function afterWrongAttempt(
  payment: Payment,
  failure: FailureOutcome,
  deps: VerifyChallengeDeps,
): Promise<void> {
  if (!failure.exhausted) {
    // A concurrent attempt may already have moved it (to MFA_Failed, or on): nothing to do then.
    await tryTransition(payment, 'MFA_Challenge', 'mfa_failed', deps);
    return;
  }
  for (let round = 0; round < RACE_ROUNDS; round += 1) {
    const now = await load(payment.paymentId, deps);
    if (!AWAITING_MFA.includes(now.state)) return;
    // Failed and the hold released in one transaction: the payment never reads Failed with its money held.
    const release = releaseOf(now);
    const failed = await tryTransition(
      now,
      now.state,
      'max_retries',
      deps,
      { failureCode: MFA_FAILED_REASON },
      { takeTaskToken: true, ...(release === undefined ? {} : { ledger: release }) },
    );
    if (failed !== undefined) {
      if (failed.takenTaskToken !== undefined) {
        await deps.workflows.fail(failed.takenTaskToken, MFA_FAILED_ERROR, MFA_FAILED_REASON);
      }
      return;
    }
  }
  throw new ConcurrentModificationError('Payment');
}

/** The transition, or undefined when the payment was no longer in `from` (a concurrent request moved it). */
async function tryTransition(
  payment: Payment,
  from: PaymentState,
  event: PaymentEvent,
  deps: VerifyChallengeDeps,
  set: { mfaMethod?: string; failureCode?: string } = {},
  options: Pick<PaymentTransition, 'ledger' | 'takeTaskToken'> = {},
): Promise<TransitionedPayment | undefined> {
  try {
    return await deps.payments.transition(payment.paymentId, {
      from,
      event,
      actor: payment.userId,
      at: deps.clock.now().toISOString(),
      set,
      ...options,
    });
  } catch (error) {
    if (error instanceof InvalidStateTransitionError) return undefined;
    throw error;
  }
}

async function load(paymentId: string, deps: VerifyChallengeDeps): Promise<Payment> {
  const payment = await deps.payments.get(paymentId);
  if (payment === undefined) throw new NotFoundError('Payment');
  return payment;
}

/** The payment as it is now, for an attempt on a challenge that is already verified. */
async function current(
  paymentId: string,
  userId: string,
  deps: VerifyChallengeDeps,
): Promise<VerifiedPayment> {
  const payment = await load(paymentId, deps);
  const methods = AWAITING_MFA.includes(payment.state)
    ? enrolledMethods(await deps.factors.factorsOf(userId))
    : [];
  return { payment, methods };
}
