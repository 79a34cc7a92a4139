import { ConcurrentModificationError, InvalidStateTransitionError } from '../../domain/errors.js';
import {
  type Challenge,
  challengeNonce,
  MfaChallengeClosedError,
  type MfaMethod,
  newChallenge,
} from '../../domain/mfa.js';
import { AWAITING_MFA, type Payment } from '../../domain/payment.js';
import type { Clock, Ids } from '../ports.js';
import {
  assertNotLocked,
  type ChallengeSummary,
  challengeSummary,
  enrolledMethods,
  payerPayment,
} from './common.js';
import { MfaMethodNotEnrolledError } from './errors.js';
import type { ChallengeStore, MfaAttempts, MfaCrypto, MfaFactors, MfaPayments } from './ports.js';

export interface StartChallengeDeps {
  payments: MfaPayments;
  factors: MfaFactors;
  challenges: ChallengeStore;
  attempts: MfaAttempts;
  crypto: MfaCrypto;
  ids: Ids;
  clock: Clock;
}

export interface StartChallengeCommand {
  userId: string;
  paymentId: string;
  method: MfaMethod;
}

/** How often a request re-reads and tries again after losing a race to a concurrent one. */
const RACE_ROUNDS = 3;

/**
 * 1. The payment must be the caller's (another user's answers 404) and waiting for its second factor (409).
 * 2. Refuse a locked-out payer (429) and a method the payer has not enrolled (400, naming the enrolled ones).
 * 3. Expire the payment's active challenge, if one is pending. Its attempts carry over to the new one: asking
 *    for a fresh challenge never buys more attempts, and the payment's third failure still fails it.
 * 4. Store the new challenge (biometric: with a nonce naming the app, the payment, its amount and currency) and make
 *    it the active one: MFA_Required → MFA_Challenge (challenge_sent), MFA_Failed → MFA_Challenge (retry),
 *    MFA_Challenge stays where it is.
 * Every write is conditional; a request that loses a race to another re-reads and decides again.
 */
export async function startChallenge(
  command: StartChallengeCommand,
  deps: StartChallengeDeps,
): Promise<ChallengeSummary> {
  let payment = await awaitingPayment(command, deps);
  await assertNotLocked(command.userId, deps);
  const methods = enrolledMethods(await deps.factors.factorsOf(command.userId));
  if (!methods.includes(command.method)) throw new MfaMethodNotEnrolledError(command.method, methods);

  for (let round = 0; round < RACE_ROUNDS; round += 1) {
    const previous =
      payment.activeChallengeId === undefined
        ? undefined
        : await deps.challenges.get(payment.activeChallengeId);
    if (previous?.status === 'verified' || previous?.status === 'failed') {
      throw new MfaChallengeClosedError(previous.status);
    }
    if (previous?.status === 'pending') {
      const at = deps.clock.now().toISOString();
      const change = { status: 'expired' as const, attempts: previous.attempts, at };
      if ((await deps.challenges.settle(previous.challengeId, previous.attempts, change)) !== 'settled') {
        payment = await awaitingPayment(command, deps);
        continue;
      }
    }
    const challenge = await createChallenge(payment, command.method, previous?.attempts ?? 0, deps);
    if (await makeActive(payment, challenge.challengeId, deps)) {
      return challengeSummary(challenge, deps.clock.now());
    }
    payment = await awaitingPayment(command, deps);
  }
  throw new ConcurrentModificationError('Payment');
}

async function awaitingPayment(command: StartChallengeCommand, deps: StartChallengeDeps): Promise<Payment> {
  const payment = await payerPayment(command.paymentId, command.userId, deps.payments);
  if (!AWAITING_MFA.includes(payment.state)) {
    throw new InvalidStateTransitionError(payment.state, 'challenge_sent');
  }
  return payment;
}

async function createChallenge(
  payment: Payment,
  method: MfaMethod,
  attempts: number,
  deps: StartChallengeDeps,
): Promise<Challenge> {
  const { appId, paymentId, amount } = payment;
  const nonce =
    method === 'biometric'
      ? challengeNonce(
          { appId, paymentId, amount: amount.value, currency: amount.currency },
          deps.crypto.randomNonce(),
        )
      : undefined;
  const challenge: Challenge = {
    ...newChallenge({
      challengeId: deps.ids.next('ch_'),
      paymentId,
      userId: payment.userId,
      method,
      now: deps.clock.now(),
      ...(nonce === undefined ? {} : { nonce }),
    }),
    attempts,
  };
  await deps.challenges.create(challenge);
  return challenge;
}

/** Points the payment at its new challenge; false when the payment moved meanwhile. */
async function makeActive(payment: Payment, challengeId: string, deps: StartChallengeDeps): Promise<boolean> {
  const set = { activeChallengeId: challengeId };
  if (payment.state === 'MFA_Challenge') {
    return deps.payments.annotate(payment.paymentId, ['MFA_Challenge'], set);
  }
  try {
    await deps.payments.transition(payment.paymentId, {
      from: payment.state,
      event: payment.state === 'MFA_Required' ? 'challenge_sent' : 'retry',
      actor: payment.userId,
      at: deps.clock.now().toISOString(),
      set,
    });
    return true;
  } catch (error) {
    if (error instanceof InvalidStateTransitionError) return false;
    throw error;
  }
}
