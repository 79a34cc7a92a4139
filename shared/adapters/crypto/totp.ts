/**
 * TOTP (RFC 6238) on otplib v13 with the authenticator-app defaults: HMAC-SHA-1, 6 digits, 30 s steps,
 * T0 = 0, base32 secrets. A code is accepted one step either side of now (clock drift), and never twice:
 * the caller stores the step a code matched and passes it back, and codes from that step or earlier are
 * refused. Secrets are stored envelope-encrypted (shared/adapters/kms/envelope.ts), never in clear.
 */
import { generateSecret, verifySync } from 'otplib';

export const TOTP_PARAMS = { algorithm: 'sha1', digits: 6, periodSeconds: 30, window: 1 } as const;

/** 20 random bytes (160 bits, RFC 4226's recommended length), base32-encoded (32 characters). */
const SECRET_BYTES = 20;
const CODE_PATTERN = /^[0-9]{6}$/;

export type TotpVerification = { ok: true; step: number } | { ok: false };

export function generateTotpSecret(): string {
  return generateSecret({ length: SECRET_BYTES });
}

/**
 * The `otpauth://totp/...` key URI an authenticator app scans (as a QR code) to enrol the secret. Built
 * here rather than by otplib's generateURI, which leaves `:` in the label unescaped: a Matrix user id
 * (`@alice:tween.example`) would then read as a second issuer separator.
 */
export function otpauthUri(secret: string, accountName: string, issuer = 'Tween'): string {
  if (!/^[A-Z2-7]+=*$/.test(secret)) throw new TypeError('secret must be base32');
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`;
  const query = new URLSearchParams({
    secret: secret.replace(/=+$/, ''),
    issuer,
    algorithm: TOTP_PARAMS.algorithm.toUpperCase(),
    digits: String(TOTP_PARAMS.digits),
    period: String(TOTP_PARAMS.periodSeconds),
  });
  return `otpauth://totp/${label}?${query.toString().replace(/\+/g, '%20')}`;
}

/** The RFC 6238 time step `now` falls in: floor(unix seconds / 30). */
export function totpStep(now: Date): number {
  return Math.floor(Math.floor(now.getTime() / 1000) / TOTP_PARAMS.periodSeconds);
}

/**
 * Checks a 6-digit code against the steps before, at and after `now`'s, skipping steps at or before
 * `lastUsedStep`. On success returns the step the code belongs to: store it and pass it as `lastUsedStep`
 * next time, so the same code (or an older one) is never accepted again. A code that is not six digits is
 * refused without error; an unusable secret throws, since that is our data, not the caller's.
 */
export function verifyTotp(secret: string, code: string, now: Date, lastUsedStep?: number): TotpVerification {
  if (typeof code !== 'string' || !CODE_PATTERN.test(code)) return { ok: false };
  const epoch = Math.floor(now.getTime() / 1000);
  const latestStep = totpStep(now) + TOTP_PARAMS.window;
  if (lastUsedStep !== undefined) {
    if (!Number.isSafeInteger(lastUsedStep)) throw new TypeError('lastUsedStep must be an integer');
    // Every step in the window is already used (otplib throws rather than answer here).
    if (lastUsedStep >= latestStep) return { ok: false };
  }
  const result = verifySync({
    secret,
    token: code,
    epoch,
    algorithm: TOTP_PARAMS.algorithm,
    digits: TOTP_PARAMS.digits,
    period: TOTP_PARAMS.periodSeconds,
    // One period of tolerance either way is exactly the steps now-1, now and now+1.
    epochTolerance: TOTP_PARAMS.periodSeconds * TOTP_PARAMS.window,
    ...(lastUsedStep !== undefined && lastUsedStep >= 0 ? { afterTimeStep: lastUsedStep } : {}),
  });
  if (!result.valid || !('timeStep' in result)) return { ok: false };
  // Belt and braces: otplib already skipped these steps.
  if (lastUsedStep !== undefined && result.timeStep <= lastUsedStep) return { ok: false };
  return { ok: true, step: result.timeStep };
}
