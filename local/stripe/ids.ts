/**
 * Object ids shaped like Stripe's: a type prefix and base62 characters drawn from crypto random bytes
 * (`pi_3MtwBwLkdIwHu7ix28a3tqPa`). Nothing may parse them; only the prefix carries meaning.
 */
import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 248 = 4 × 62: bytes at or above it are dropped so every character is equally likely. */
const UNBIASED_BYTE_LIMIT = 248;
const ID_LENGTH = 24;

export type IdPrefix =
  | 'pi'
  | 'ch'
  | 're'
  | 'evt'
  | 'pm'
  | 'txn'
  | 'req'
  | 'cus'
  | 'dp'
  | 'acct'
  | 'tr'
  | 'trr'
  | 'po';

export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= UNBIASED_BYTE_LIMIT) continue;
      out += BASE62.charAt(byte % 62);
      if (out.length === length) break;
    }
  }
  return out;
}

export function newId(prefix: IdPrefix): string {
  // Stripe's request ids are shorter than its object ids.
  return `${prefix}_${randomBase62(prefix === 'req' ? 14 : ID_LENGTH)}`;
}
