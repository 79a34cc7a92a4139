/**
 * Step-up tokens: 32 random bytes (256 bits), base64url, shown once to their user. Only the SHA-256 of a
 * token is stored, so a read of the table does not yield a usable token; a plain hash suffices because the
 * token is random, not a guessable secret like a PIN.
 */
import { createHash, randomBytes } from 'node:crypto';

const TOKEN_BYTES = 32;

export function newStepUpToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

export function hashStepUpToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
