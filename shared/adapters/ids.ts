import { randomBytes } from 'node:crypto';
import type { Ids } from '../app/ports.js';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Opaque ids: a prefix and 22 base62 characters (about 131 random bits). */
export const randomIds: Ids = {
  next(prefix: string): string {
    const bytes = randomBytes(22);
    let id = '';
    // 62 does not divide 256; the 8 leftover values bias the first characters by < 4 %, harmless for ids.
    for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
    return `${prefix}${id}`;
  },
};
