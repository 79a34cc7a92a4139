/**
 * The ports the MFA use cases need beyond shared/app/ports.ts: where factors, challenges and failures are
 * stored, the cryptography of each factor, and the envelope that keeps TOTP secrets. Adapters:
 * shared/adapters/dynamodb/mfa.ts, shared/adapters/crypto/*, shared/adapters/kms/envelope.ts.
 */
import type { Challenge, ChallengeStatus, MfaMethod } from '../../domain/mfa.js';
import type { StepUpGrant, StepUpNonce, StepUpScope } from '../../domain/step-up.js';
import type { PaymentRepository } from '../payments/ports.js';

/** What MFA needs of the payments: read one, move it on, point it at its challenge. */
export type MfaPayments = Pick<PaymentRepository, 'get' | 'transition' | 'annotate'>;

export interface PinFactor {
  /** The scrypt hash (shared/adapters/crypto/pin.ts); the PIN itself is never stored. */
  hash: string;
  updatedAt: string;
}

export type TotpStatus = 'pending_confirmation' | 'confirmed';

export interface TotpFactor {
  /** The base32 secret, envelope-encrypted with the context `{userId, purpose: 'totp'}`. */
  sealedSecret: string;
  status: TotpStatus;
  /** The time step of the last accepted code: codes of this step or earlier are refused. */
  lastUsedStep?: number;
  createdAt: string;
  confirmedAt?: string;
}

export interface DeviceKey {
  deviceId: string;
  /** P-256 SPKI, base64, as the device sent it. */
  publicKey: string;
  createdAt: string;
}

/** Which second factors a user has enrolled (the MFA feature owns the details). */
export interface MfaEnrolment {
  methodsOf(userId: string): Promise<MfaMethod[]>;
}

export interface UserFactors {
  pin?: PinFactor;
  totp?: TotpFactor;
  devices: DeviceKey[];
}

export interface MfaFactors extends MfaEnrolment {
  /** Every factor of the user, read at once (strongly consistent). */
  factorsOf(userId: string): Promise<UserFactors>;
  /** Sets or replaces the PIN hash. */
  setPin(userId: string, hash: string, at: string): Promise<void>;
  /** Starts (or restarts) TOTP enrolment: the new secret waits for its first code. */
  startTotp(userId: string, sealedSecret: string, at: string): Promise<void>;
  /**
   * pending_confirmation → confirmed, with the step of the confirming code as the last used step, only while
   * the stored secret is still `sealedSecret` (a restarted enrolment is not confirmed by an old code).
   * False when that no longer holds.
   */
  confirmTotp(userId: string, sealedSecret: string, step: number, at: string): Promise<boolean>;
  /** Registers a device key; false when the device id is already registered with another key. */
  addDevice(userId: string, device: DeviceKey): Promise<boolean>;
  /**
   * Claims a TOTP step for a step-up (as ChallengeStore.settle does for a challenge): only if it is later
   * than the last used one and TOTP is confirmed. False when it was taken (a replayed code).
   */
  useTotpStep(userId: string, step: number): Promise<boolean>;
}

/** `settled`: written. `challenge_changed`: not pending with those attempts any more. `code_reused`: the TOTP step was taken. */
export type SettleOutcome = 'settled' | 'challenge_changed' | 'code_reused';

export interface ChallengeChange {
  status: ChallengeStatus;
  attempts: number;
  at: string;
}

export interface ChallengeStore {
  create(challenge: Challenge): Promise<void>;
  get(challengeId: string): Promise<Challenge | undefined>;
  /**
   * Records the outcome of one attempt (or expires the challenge), only while it is still pending with
   * `seenAttempts` attempts: of two concurrent attempts that started from the same state, one wins and the
   * other learns `challenge_changed`. With `totpStep`, the same atomic write claims that TOTP step for the
   * user (only if it is later than the last used one), so a code is never accepted twice.
   */
  settle(
    challengeId: string,
    seenAttempts: number,
    change: ChallengeChange,
    totpStep?: { userId: string; step: number },
  ): Promise<SettleOutcome>;
}

/** One attempt slot held by a guess being checked: the slot, and the id that proves it is still this guess's. */
export interface AttemptSlot {
  userId: string;
  slot: number;
  attemptId: string;
}

export type AttemptReservation = { held: true; slot: AttemptSlot } | { held: false; taken: string[] };

/**
 * The lockout, enforced before a factor is checked rather than counted after: a user has
 * MFA_LOCKOUT.failures attempt slots. A guess must hold one while its factor is checked; a right guess frees
 * it, a wrong one keeps it as a failure for the window. So however many guesses arrive at once, no more than
 * MFA_LOCKOUT.failures can be checked (or have failed) within the window: payment challenges and step-ups
 * draw on the same slots.
 */
export interface MfaAttempts {
  /**
   * Takes a free slot for `attemptId`: one never used, freed, or last taken before `windowStart`. Each slot
   * is taken by a conditional write, so of concurrent guesses at most one holds a slot. When none is free,
   * `taken` lists when each slot was taken (ISO, oldest first): the lockout and when it ends.
   */
  reserve(userId: string, attemptId: string, now: Date, windowStart: Date): Promise<AttemptReservation>;
  /** A right guess (or one never checked): frees the slot, if this attempt still holds it. */
  release(slot: AttemptSlot): Promise<void>;
  /** A wrong guess: the slot keeps it as a failure at `at` (the window counts from then), naming its subject. */
  fail(slot: AttemptSlot, at: Date, subject: string): Promise<void>;
  /** When the slots still held since `since` were taken (ISO), oldest first: one Query, never a Scan. */
  since(userId: string, since: Date): Promise<string[]>;
}

/** Step-up tokens (stored as hashes only) and the pending biometric step-up nonce of each user. */
export interface StepUpStore {
  /** Stores a newly minted token's grant; never overwrites one. */
  grant(grant: StepUpGrant): Promise<void>;
  /**
   * Spends the token with this hash in one conditional write, only while it is unspent, unexpired at `now`,
   * the user's and of this scope: of concurrent spends exactly one succeeds. False otherwise.
   */
  spend(tokenHash: string, userId: string, scope: StepUpScope, now: Date): Promise<boolean>;
  /** Stores the user's pending nonce, replacing any earlier one. */
  putNonce(nonce: StepUpNonce): Promise<void>;
  nonceOf(userId: string): Promise<StepUpNonce | undefined>;
  /** Takes (removes) the user's pending nonce if it is still `nonce`: single use. False when already taken. */
  takeNonce(userId: string, nonce: string): Promise<boolean>;
}

export type TotpCheck = { ok: true; step: number } | { ok: false };

/** The factors' cryptography (shared/adapters/crypto), behind one port so use cases stay testable. */
export interface MfaCrypto {
  hashPin(pin: string): Promise<string>;
  verifyPin(pin: string, hash: string): Promise<boolean>;
  newTotpSecret(): string;
  totpUri(secret: string, accountName: string): string;
  verifyTotp(secret: string, code: string, now: Date, lastUsedStep?: number): TotpCheck;
  /** Throws VALIDATION_ERROR unless the key is a P-256 SPKI in base64. */
  assertDeviceKey(publicKey: string): void;
  verifyDeviceSignature(publicKey: string, nonce: string, signature: string): boolean;
  /** At least 16 random bytes, base64url: the random part of a biometric nonce. */
  randomNonce(): string;
  /** 32 random bytes, base64url: a step-up token, shown to its user once. */
  newStepUpToken(): string;
  /** SHA-256 of a step-up token, hex: what is stored and looked up. */
  hashStepUpToken(token: string): string;
}

/** Envelope encryption bound to a context (KmsEnvelope satisfies it). */
export interface SecretBox {
  encrypt(plaintext: string, context: Readonly<Record<string, string>>): Promise<string>;
  decrypt(envelope: string, context: Readonly<Record<string, string>>): Promise<string>;
}
