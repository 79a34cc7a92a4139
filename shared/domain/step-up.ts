/**
 * Step-up: a fresh second factor, asked for right before a sensitive act, so that a stolen bearer token
 * alone can neither change the user's factors nor move a large amount out of the wallet. A step-up token is
 * single use, lives five minutes and is bound to the user, the purpose and (for `transfer`) the amount and
 * currency. Pure rules: storage, hashing and races live in the use cases and adapters.
 */
import { DomainError, ValidationError } from './errors.js';
import { mfaRequired } from './mfa.js';

export type StepUpPurpose = 'factors' | 'transfer';

/** A step-up token, and a biometric step-up nonce, are good for five minutes. */
export const STEP_UP = { lifetimeSeconds: 300 } as const;

/** What a token (or a nonce) approves: `factors`, or a `transfer` of exactly this amount and currency. */
export type StepUpScope = { purpose: 'factors' } | { purpose: 'transfer'; amount: number; currency: string };

/**
 * The route where the app gets a step-up token: `details.challengePath` of every 428 STEP_UP_REQUIRED, which
 * the HTTP edge hands out as the absolute `details.challengeUrl`.
 */
export function stepUpPath(userId: string): string {
  return `/payments/v1/user/${encodeURIComponent(userId)}/mfa/step-up`;
}

/**
 * 428: the act needs a step-up token of this scope and none came, or the one sent is spent, expired, another
 * user's, or for another purpose, amount or currency. The reasons are not told apart (nothing to probe).
 */
export class StepUpRequiredError extends DomainError {
  override readonly name = 'StepUpRequiredError';
  constructor(userId: string, scope: StepUpScope) {
    super(
      'STEP_UP_REQUIRED',
      'This needs a fresh second factor: get a step-up token and send it as X-Step-Up-Token',
      { challengePath: stepUpPath(userId), ...scope },
    );
  }
}

/** `transfer` needs the amount and currency; `factors` takes neither. */
export function stepUpScope(purpose: StepUpPurpose, amount?: number, currency?: string): StepUpScope {
  if (purpose === 'factors') {
    if (amount !== undefined || currency !== undefined) {
      throw new ValidationError('A step-up for factors takes no amount or currency');
    }
    return { purpose };
  }
  if (amount === undefined || currency === undefined) {
    throw new ValidationError('A step-up for a transfer names its amount and currency');
  }
  return { purpose, amount, currency };
}

/** True when both scopes approve the same act. */
export function sameScope(a: StepUpScope, b: StepUpScope): boolean {
  if (a.purpose === 'factors' || b.purpose === 'factors') return a.purpose === b.purpose;
  return a.amount === b.amount && a.currency === b.currency;
}

/**
 * A P2P transfer or a gift needs a step-up exactly when a payment of that amount would need MFA by amount:
 * strictly above the currency's MFA_THRESHOLDS entry, or always for a currency with no entry (fail safe).
 */
export function transferNeedsStepUp(
  amount: number,
  currency: string,
  thresholds: ReadonlyMap<string, number>,
): boolean {
  return mfaRequired({ amount, currency, thresholds, paymentsInLastHour: 0, velocityLimit: Infinity });
}

// --- Biometric step-up nonce --------------------------------------------------------------------------------

const NONCE_PREFIX = 'tween-step-up:v1';

/**
 * The exact string a device signs for a biometric step-up (UTF-8 bytes, ECDSA P-256 with SHA-256):
 *
 *     tween-step-up:v1:factors:<random>
 *     tween-step-up:v1:transfer:<amount>:<currency>:<random>
 *
 * The server issues it (POST .../mfa/step-up/challenge), keeps it for five minutes and accepts it once, so
 * a captured signature cannot be replayed; the scope is part of the signed text, so the user's device can
 * show what is approved, and a signature for one transfer cannot approve another. `random` is base64url.
 * The payment nonce's prefix (`tween-mfa:v1`) differs, so a payment signature never approves a step-up.
 */
export function stepUpNonce(scope: StepUpScope, random: string): string {
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(random)) throw new ValidationError('Not a nonce random part');
  return scope.purpose === 'factors'
    ? `${NONCE_PREFIX}:factors:${random}`
    : `${NONCE_PREFIX}:transfer:${scope.amount}:${scope.currency}:${random}`;
}

/** A stored nonce: the signed text, the scope it approves and until when. */
export interface StepUpNonce {
  userId: string;
  nonce: string;
  scope: StepUpScope;
  /** ISO 8601. */
  expiresAt: string;
}

/** A minted token as stored: only the hash of the token, never the token itself. */
export interface StepUpGrant {
  tokenHash: string;
  userId: string;
  scope: StepUpScope;
  /** ISO 8601. */
  expiresAt: string;
  createdAt: string;
}

/** The moment a token or nonce minted at `now` stops being good. */
export function stepUpExpiry(now: Date): string {
  return new Date(now.getTime() + STEP_UP.lifetimeSeconds * 1000).toISOString();
}
