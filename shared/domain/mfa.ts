/**
 * Second-factor rules for payments: when a payment needs MFA, what a challenge is and how it ends, what the
 * biometric nonce binds, and when a user is locked out. Pure rules: the cryptography (PIN hashing, TOTP,
 * device signatures) lives in shared/adapters/crypto, storage and races in the use cases.
 */
import { DomainError, ValidationError } from './errors.js';
import { minorUnitExponent } from './money.js';

export type MfaMethod = 'transaction_pin' | 'totp' | 'biometric';

export const MFA_METHODS: readonly MfaMethod[] = ['transaction_pin', 'totp', 'biometric'];

/** A challenge allows three attempts within five minutes; the third failure fails the payment. */
export const MFA_CHALLENGE = { maxAttempts: 3, lifetimeSeconds: 300 } as const;

/** Five failed attempts within an hour, across all of a user's payments, lock MFA for that user. */
export const MFA_LOCKOUT = { failures: 5, windowSeconds: 3600 } as const;

export type ChallengeStatus = 'pending' | 'verified' | 'failed' | 'expired';

export interface Challenge {
  challengeId: string;
  paymentId: string;
  userId: string;
  method: MfaMethod;
  status: ChallengeStatus;
  attempts: number;
  maxAttempts: number;
  /** ISO 8601. */
  expiresAt: string;
  /** ISO 8601. */
  createdAt: string;
  /** Biometric challenges only: the string the device signs (see challengeNonce). */
  nonce?: string;
}

// --- Errors -----------------------------------------------------------------------------------------------

/** The factor did not match. The HTTP layer answers 401 with how many attempts the challenge has left. */
export class MfaFailedError extends DomainError {
  override readonly name = 'MfaFailedError';
  constructor(readonly attemptsRemaining: number) {
    super('MFA_FAILED', 'The second factor was not accepted', { attemptsRemaining });
  }
}

/** Too many failures across payments: 429 until the oldest failure leaves the window. */
export class MfaLockedError extends DomainError {
  override readonly name = 'MfaLockedError';
  constructor(retryAfterSeconds?: number) {
    super(
      'MFA_LOCKED',
      'Too many failed second-factor attempts; try again later',
      retryAfterSeconds === undefined ? undefined : { retryAfterSeconds },
    );
  }
}

export class MfaChallengeExpiredError extends DomainError {
  override readonly name = 'MfaChallengeExpiredError';
  constructor() {
    super('INVALID_STATE_TRANSITION', 'The challenge has expired');
  }
}

/** The challenge already ended (verified or failed); a new attempt cannot change its outcome. */
export class MfaChallengeClosedError extends DomainError {
  override readonly name = 'MfaChallengeClosedError';
  constructor(readonly status: ChallengeStatus) {
    super('INVALID_STATE_TRANSITION', `The challenge is already ${status}`, { status });
  }
}

/** The payment needs a second factor the user has not enrolled; `methods` lists the ones they have. */
export class MfaNotEnrolledError extends DomainError {
  override readonly name = 'MfaNotEnrolledError';
  constructor(methods: readonly MfaMethod[] = []) {
    super('MFA_REQUIRED', 'Enrol a second factor first', { methods: [...methods] });
  }
}

export class InvalidPinFormatError extends DomainError {
  override readonly name = 'InvalidPinFormatError';
  constructor() {
    super('VALIDATION_ERROR', 'The transaction PIN must be exactly 6 digits');
  }
}

// --- Transaction PIN --------------------------------------------------------------------------------------

const PIN_PATTERN = /^[0-9]{6}$/;

/** Exactly six ASCII digits (no spaces, signs or other scripts' digits). */
export function isValidPinFormat(pin: unknown): pin is string {
  return typeof pin === 'string' && PIN_PATTERN.test(pin);
}

export function assertPinFormat(pin: unknown): asserts pin is string {
  if (!isValidPinFormat(pin)) throw new InvalidPinFormatError();
}

// --- When MFA is required ---------------------------------------------------------------------------------

export interface MfaRequirementInput {
  /** Minor units. */
  amount: number;
  currency: string;
  /** Per-currency amounts (minor units) above which MFA is required (MFA_THRESHOLDS). */
  thresholds: ReadonlyMap<string, number>;
  /** The user's payments created in the hour before this one (this one not counted). */
  paymentsInLastHour: number;
  /** From this many payments in an hour on, every further payment needs MFA. */
  velocityLimit: number;
}

/**
 * MFA is required when the amount is strictly above the currency's threshold, or when the user has already
 * made `velocityLimit` payments in the last hour. A currency with no configured threshold always requires
 * MFA: a missing entry must fail safe rather than let any amount through unchallenged.
 */
export function mfaRequired(input: MfaRequirementInput): boolean {
  if (input.paymentsInLastHour >= input.velocityLimit) return true;
  const threshold = input.thresholds.get(input.currency);
  if (threshold === undefined) return true;
  return input.amount > threshold;
}

/**
 * Parses MFA_THRESHOLDS, `CUR:amount` pairs separated by commas (`USD:5000,EUR:4500`), amounts in minor
 * units. Whitespace around entries is ignored; an empty string is an empty map (every payment requires
 * MFA). A malformed entry, an unknown currency or a repeated currency throws, so a bad setting fails at
 * cold start instead of silently weakening MFA.
 */
export function parseThresholds(value: string): Map<string, number> {
  const thresholds = new Map<string, number>();
  if (value.trim() === '') return thresholds;
  for (const raw of value.split(',')) {
    const entry = raw.trim();
    const match = /^([A-Z]{3}):(0|[1-9][0-9]{0,15})$/.exec(entry);
    const currency = match?.[1];
    const amount = match?.[2] === undefined ? Number.NaN : Number(match[2]);
    if (currency === undefined || !Number.isSafeInteger(amount)) {
      throw new ValidationError(`MFA threshold '${entry}' must look like USD:5000 (minor units)`);
    }
    minorUnitExponent(currency);
    if (thresholds.has(currency)) {
      throw new ValidationError(`MFA threshold for ${currency} is given twice`);
    }
    thresholds.set(currency, amount);
  }
  return thresholds;
}

// --- Biometric nonce (transaction signing) -----------------------------------------------------------------

/** Format version 2: `tween-mfa:v2:<appId>:<paymentId>:<amount>:<currency>:<random>`. */
const NONCE_PREFIX = 'tween-mfa:v2';
const NONCE_PATTERN =
  /^tween-mfa:v2:([A-Za-z0-9_.-]{1,128}):([A-Za-z0-9_-]{1,128}):([1-9][0-9]{0,15}):([A-Z]{3}):([A-Za-z0-9_-]{16,128})$/;

/** What a biometric nonce binds: the payment, the app it pays, its amount and currency. */
export interface NoncePayment {
  appId: string;
  paymentId: string;
  amount: number;
  currency: string;
}

export interface ChallengeNonce extends NoncePayment {
  random: string;
}

/**
 * The exact string the device signs with its registered P-256 key (UTF-8 bytes, ECDSA with SHA-256):
 *
 *     tween-mfa:v2:<appId>:<paymentId>:<amount>:<currency>:<random>
 *
 * e.g. `tween-mfa:v2:app_demo:pay_01HX...:5000:USD:q3V...`. The app id names who is paid, the amount is
 * the integer in minor units and the currency the ISO 4217 code, so a signature approves this payment of
 * this amount to this app and nothing else (transaction signing, as PSD2 dynamic linking asks): a
 * signature made for one app's payment is refused for another's. `random` (base64url, at least 16
 * characters: 96+ bits) makes each challenge's nonce unique, so an old signature cannot be replayed on a
 * new challenge. Ids and the random part exclude `:`, so `:` only ever separates fields. (v1 had no app id.)
 */
export function challengeNonce(payment: NoncePayment, random: string): string {
  const { appId, paymentId, amount, currency } = payment;
  const nonce = `${NONCE_PREFIX}:${appId}:${paymentId}:${amount}:${currency}:${random}`;
  const parsed = matchNonce(nonce);
  if (
    parsed === undefined ||
    parsed.appId !== appId ||
    parsed.paymentId !== paymentId ||
    parsed.amount !== amount ||
    parsed.currency !== currency ||
    parsed.random !== random
  ) {
    throw new ValidationError('Cannot build a challenge nonce from these values');
  }
  return nonce;
}

/** The parts of a nonce built by challengeNonce; anything else throws VALIDATION_ERROR. */
export function parseChallengeNonce(nonce: string): ChallengeNonce {
  const parsed = matchNonce(nonce);
  if (parsed === undefined) throw new ValidationError('Not a Tween MFA challenge nonce');
  return parsed;
}

/** True when the nonce names exactly this app, payment, amount and currency. */
export function nonceBindsPayment(nonce: string, payment: NoncePayment): boolean {
  const parsed = matchNonce(nonce);
  return (
    parsed !== undefined &&
    parsed.appId === payment.appId &&
    parsed.paymentId === payment.paymentId &&
    parsed.amount === payment.amount &&
    parsed.currency === payment.currency
  );
}

function matchNonce(nonce: string): ChallengeNonce | undefined {
  const match = NONCE_PATTERN.exec(nonce);
  if (match === null) return undefined;
  const [, appId, paymentId, amount, currency, random] = match;
  if (
    appId === undefined ||
    paymentId === undefined ||
    amount === undefined ||
    currency === undefined ||
    random === undefined
  ) {
    return undefined;
  }
  const value = Number(amount);
  if (!Number.isSafeInteger(value)) return undefined;
  return { appId, paymentId, amount: value, currency, random };
}

// --- Challenges -------------------------------------------------------------------------------------------

export interface NewChallengeInput {
  challengeId: string;
  paymentId: string;
  userId: string;
  method: MfaMethod;
  now: Date;
  /** Biometric only. */
  nonce?: string;
}

/** A fresh pending challenge: no attempts yet, expiring MFA_CHALLENGE.lifetimeSeconds from now. */
export function newChallenge(input: NewChallengeInput): Challenge {
  const challenge: Challenge = {
    challengeId: input.challengeId,
    paymentId: input.paymentId,
    userId: input.userId,
    method: input.method,
    status: 'pending',
    attempts: 0,
    maxAttempts: MFA_CHALLENGE.maxAttempts,
    expiresAt: new Date(input.now.getTime() + MFA_CHALLENGE.lifetimeSeconds * 1000).toISOString(),
    createdAt: input.now.toISOString(),
  };
  if (input.nonce !== undefined) challenge.nonce = input.nonce;
  return challenge;
}

/** True once the challenge's lifetime has run out (at `expiresAt` exactly, it has). */
export function isChallengeExpired(challenge: Pick<Challenge, 'expiresAt'>, now: Date): boolean {
  const expiresAt = Date.parse(challenge.expiresAt);
  // An unreadable expiry is treated as expired: never accept a factor against a challenge we cannot date.
  return Number.isNaN(expiresAt) || now.getTime() >= expiresAt;
}

/**
 * Checks that an attempt may be made on the challenge now: it is pending, in date and has attempts left.
 * Throws MfaChallengeExpiredError (409) or MfaChallengeClosedError (409) otherwise.
 */
export function assessAttempt(challenge: Challenge, now: Date): void {
  if (challenge.status === 'expired') throw new MfaChallengeExpiredError();
  if (challenge.status !== 'pending') throw new MfaChallengeClosedError(challenge.status);
  if (challenge.attempts >= challenge.maxAttempts) throw new MfaChallengeClosedError('failed');
  if (isChallengeExpired(challenge, now)) throw new MfaChallengeExpiredError();
}

export interface FailureOutcome {
  /** Attempts used, this failure included. */
  attempts: number;
  attemptsRemaining: number;
  /** No attempts left: the challenge fails, and with it the payment. */
  exhausted: boolean;
}

/** What one more failed attempt does to the challenge. */
export function afterFailure(challenge: Pick<Challenge, 'attempts' | 'maxAttempts'>): FailureOutcome {
  const attempts = challenge.attempts + 1;
  const attemptsRemaining = Math.max(0, challenge.maxAttempts - attempts);
  return { attempts, attemptsRemaining, exhausted: attemptsRemaining === 0 };
}

/** True when the user's failures in the last MFA_LOCKOUT.windowSeconds reach the lockout count. */
export function isLocked(failuresInWindow: number): boolean {
  return failuresInWindow >= MFA_LOCKOUT.failures;
}

/** The start of the lockout window that ends at `now`. */
export function lockoutWindowStart(now: Date): Date {
  return new Date(now.getTime() - MFA_LOCKOUT.windowSeconds * 1000);
}
