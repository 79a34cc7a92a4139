/**
 * API key secrets: `sk_<mode>_` and 40 random base62 characters (238 bits), and the keyed hash they are
 * stored and looked up by. A pepper that lives in the app secrets (not in the table) keys the hash, so a
 * copy of the table alone cannot be used to test guesses.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Mode } from '../../domain/merchant.js';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const SECRET_RANDOM_LENGTH = 40;
/** What a secret looks like; anything else is refused before any lookup. */
export const SECRET_PATTERN = /^sk_(test|live)_[0-9A-Za-z_]{32,128}$/;

/** A fresh secret for `mode`. Unbiased: bytes of 248 and above (62 × 4) are drawn again. */
export function newSecret(mode: Mode): string {
  let random = '';
  while (random.length < SECRET_RANDOM_LENGTH) {
    for (const byte of randomBytes(SECRET_RANDOM_LENGTH)) {
      if (byte < 248 && random.length < SECRET_RANDOM_LENGTH) random += ALPHABET[byte % 62];
    }
  }
  return `sk_${mode}_${random}`;
}

export class ApiKeyHasher {
  readonly #pepper: Buffer;

  constructor(pepper: string) {
    if (pepper.length < 32) throw new Error('The API key pepper must be at least 32 characters');
    this.#pepper = Buffer.from(pepper, 'utf8');
  }

  /** HMAC-SHA256(pepper, secret), hex. */
  hash(secret: string): string {
    return createHmac('sha256', this.#pepper).update(secret, 'utf8').digest('hex');
  }
}

/** The secret of an `Authorization: Bearer sk_...` header, or undefined when it is not one. */
export function bearerSecret(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  const secret = match?.[1];
  return secret !== undefined && SECRET_PATTERN.test(secret) ? secret : undefined;
}
