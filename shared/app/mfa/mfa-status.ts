import type { MfaMethod } from '../../domain/mfa.js';
import { type PaymentState, type PaymentStatus, statusOf } from '../../domain/payment.js';
import type { Clock } from '../ports.js';
import {
  type ChallengeSummary,
  challengeSummary,
  enrolledMethods,
  lockoutOf,
  payerPayment,
} from './common.js';
import type { ChallengeStore, MfaAttempts, MfaFactors, MfaPayments } from './ports.js';

export interface MfaStatusDeps {
  payments: MfaPayments;
  factors: MfaFactors;
  challenges: ChallengeStore;
  attempts: MfaAttempts;
  clock: Clock;
}

export interface MfaStatus {
  paymentId: string;
  state: PaymentState;
  status: PaymentStatus;
  mfaRequired: boolean;
  methods: MfaMethod[];
  challenge: Omit<ChallengeSummary, 'paymentId' | 'nonce'> | null;
  locked: boolean;
}

/**
 * 1. The payment must be the caller's (another user's answers 404).
 * 2. Answer where its second factor stands: the payer's enrolled methods, the active challenge (a pending one
 *    past its lifetime reads as expired) and whether the payer is locked out.
 */
export async function mfaStatus(userId: string, paymentId: string, deps: MfaStatusDeps): Promise<MfaStatus> {
  const payment = await payerPayment(paymentId, userId, deps.payments);
  const [factors, challenge, lockout] = await Promise.all([
    deps.factors.factorsOf(userId),
    payment.activeChallengeId === undefined ? undefined : deps.challenges.get(payment.activeChallengeId),
    lockoutOf(userId, deps),
  ]);
  let summary: MfaStatus['challenge'] = null;
  if (challenge !== undefined) {
    const { paymentId: _payment, nonce: _nonce, ...rest } = challengeSummary(challenge, deps.clock.now());
    summary = rest;
  }
  return {
    paymentId: payment.paymentId,
    state: payment.state,
    status: statusOf(payment.state, payment.failureCode),
    mfaRequired: payment.mfaRequired,
    methods: enrolledMethods(factors),
    challenge: summary,
    locked: lockout.locked,
  };
}
