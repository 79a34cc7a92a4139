import { assertSelf } from '../access.js';
import type { Clock } from '../ports.js';
import { totpSecretContext } from './common.js';
import { TotpCodeRejectedError, TotpEnrolmentStateError } from './errors.js';
import type { MfaCrypto, MfaFactors, SecretBox, StepUpStore } from './ports.js';
import { assertMayChangeFactors } from './step-up.js';

export interface EnrolTotpDeps {
  factors: MfaFactors;
  stepUps: Pick<StepUpStore, 'spend'>;
  crypto: Pick<MfaCrypto, 'newTotpSecret' | 'totpUri' | 'verifyTotp' | 'hashStepUpToken'>;
  secrets: SecretBox;
  clock: Clock;
}

export interface StartTotpCommand {
  callerId: string;
  userId: string;
  /** X-Step-Up-Token (purpose `factors`): required once the user has any confirmed factor. */
  stepUpToken?: string | undefined;
}

export interface ConfirmTotpCommand {
  callerId: string;
  userId: string;
  code: string;
}

/**
 * 1. Only the caller's own factors (another user's answers 403); a user with any confirmed factor spends a
 *    step-up token of purpose `factors` (428 otherwise).
 * 2. A fresh secret, sealed with KMS under the context `{userId, purpose: 'totp'}`, stored as
 *    pending_confirmation (replacing any earlier TOTP enrolment: TOTP is not an enrolled method again until
 *    the new secret is confirmed).
 * 3. Answer the secret and its otpauth URI, once: they are never shown again.
 */
export async function startTotpEnrolment(
  command: StartTotpCommand,
  deps: EnrolTotpDeps,
): Promise<{ secret: string; otpauthUri: string }> {
  assertSelf(command.callerId, command.userId);
  const factors = await deps.factors.factorsOf(command.userId);
  await assertMayChangeFactors(command.userId, command.stepUpToken, factors, deps);
  const secret = deps.crypto.newTotpSecret();
  const sealed = await deps.secrets.encrypt(secret, totpSecretContext(command.userId));
  await deps.factors.startTotp(command.userId, sealed, deps.clock.now().toISOString());
  return { secret, otpauthUri: deps.crypto.totpUri(secret, command.userId) };
}

/**
 * 1. Only the caller's own factors (403); a pending enrolment must exist (409).
 * 2. The first code must verify against the pending secret (401 MFA_FAILED otherwise).
 * 3. Confirm, remembering the code's step so that it is never accepted again, only while the pending
 *    secret is still the one checked (a restarted enrolment is not confirmed by a code of the old one).
 */
export async function confirmTotpEnrolment(
  command: ConfirmTotpCommand,
  deps: EnrolTotpDeps,
): Promise<{ method: 'totp'; enrolled: true }> {
  assertSelf(command.callerId, command.userId);
  const { totp } = await deps.factors.factorsOf(command.userId);
  if (totp === undefined) throw new TotpEnrolmentStateError('Start TOTP enrolment first');
  if (totp.status === 'confirmed') throw new TotpEnrolmentStateError('TOTP is already confirmed');
  const secret = await deps.secrets.decrypt(totp.sealedSecret, totpSecretContext(command.userId));
  const check = deps.crypto.verifyTotp(secret, command.code, deps.clock.now());
  if (!check.ok) throw new TotpCodeRejectedError();
  const at = deps.clock.now().toISOString();
  if (!(await deps.factors.confirmTotp(command.userId, totp.sealedSecret, check.step, at))) {
    const now = (await deps.factors.factorsOf(command.userId)).totp;
    // The twin of this request confirmed the same secret first: the enrolment is done either way.
    if (now?.status === 'confirmed' && now.sealedSecret === totp.sealedSecret) {
      return { method: 'totp', enrolled: true };
    }
    throw new TotpEnrolmentStateError('TOTP enrolment was restarted; confirm the newest secret');
  }
  return { method: 'totp', enrolled: true };
}
