import { createHash, randomBytes } from 'node:crypto';
import type { Ids } from '../app/ports.js';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LENGTH = 22;

/**
 * Opaque ids: a prefix and 22 base62 characters, from random bytes (`next`) or from a SHA-256 of the parts
 * (`derive`). 62 does not divide 256, so some characters are a little likelier: harmless for ids.
 */
export const randomIds: Ids = {
  next: (prefix) => `${prefix}${encode(randomBytes(LENGTH))}`,
  derive: (prefix, ...parts) =>
    `${prefix}${encode(
      createHash('sha256')
        .update(JSON.stringify([prefix, ...parts]))
        .digest(),
    )}`,
};

function encode(bytes: Uint8Array): string {
  let id = '';
  for (const byte of bytes.subarray(0, LENGTH)) id += ALPHABET[byte % ALPHABET.length];
  return id;
}
