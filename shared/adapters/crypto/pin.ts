/**
 * Transaction PINs, stored as scrypt hashes. A six-digit PIN has only 10^6 values, so the hash must be slow
 * and salted: an attacker holding the table pays the full scrypt cost per guess per user.
 *
 * Encoding: `scrypt$<N>$<r>$<p>$<salt, base64>$<hash, base64>`. The parameters travel with each hash, so
 * they can be raised later and old hashes still verify (rehash on the next successful verify if wanted).
 */
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { assertPinFormat, isValidPinFormat } from '../../domain/mfa.js';

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
}

/**
 * N = 2^15, r = 8, p = 1: 32 MiB and, measured on the development machine, about 0.2 s per hash (a Lambda
 * vCPU is in the same range). Slow enough to make an offline sweep of all 10^6 PINs cost days per user.
 */
export const PIN_SCRYPT_PARAMS: Readonly<ScryptParams> = { N: 2 ** 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const SCHEME = 'scrypt';
/** Bounds on parameters read back from storage, so a corrupt record cannot ask for gigabytes. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;
const MAX_MEMORY_BYTES = 256 * 1024 * 1024;

/** Hashes a PIN of exactly six digits; anything else throws InvalidPinFormatError (VALIDATION_ERROR). */
export async function hashPin(pin: string): Promise<string> {
  assertPinFormat(pin);
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(pin, salt, KEY_BYTES, PIN_SCRYPT_PARAMS);
  const { N, r, p } = PIN_SCRYPT_PARAMS;
  return [SCHEME, N, r, p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/**
 * True when the PIN matches the stored hash. Compares in constant time, and does the same scrypt work
 * whether the PIN is well-formed or not, so a malformed PIN neither throws nor answers faster. A stored
 * value that cannot be parsed verifies nothing (it costs a hash with the current parameters, too).
 */
export async function verifyPin(pin: string, encoded: string): Promise<boolean> {
  const stored = parseEncoded(encoded);
  const wellFormed = isValidPinFormat(pin);
  const params = stored?.params ?? PIN_SCRYPT_PARAMS;
  const salt = stored?.salt ?? randomBytes(SALT_BYTES);
  const expected = stored?.hash ?? Buffer.alloc(KEY_BYTES);
  // A malformed PIN is hashed anyway (as a string of the right length), then refused.
  const candidate = await derive(wellFormed ? pin : '000000', salt, expected.length, params);
  const equal = timingSafeEqual(candidate, expected);
  return wellFormed && stored !== undefined && equal;
}

interface StoredHash {
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

function parseEncoded(encoded: string): StoredHash | undefined {
  if (typeof encoded !== 'string') return undefined;
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== SCHEME) return undefined;
  const [, n, r, p, salt, hash] = parts;
  const params = { N: toInt(n), r: toInt(r), p: toInt(p) };
  if (!validParams(params) || salt === undefined || hash === undefined) return undefined;
  const saltBytes = fromBase64(salt);
  const hashBytes = fromBase64(hash);
  if (saltBytes === undefined || hashBytes === undefined) return undefined;
  if (saltBytes.length < SALT_BYTES || hashBytes.length < 16 || hashBytes.length > 64) return undefined;
  return { params, salt: saltBytes, hash: hashBytes };
}

function validParams({ N, r, p }: ScryptParams): boolean {
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  const inBounds = N <= MAX_N && r >= 1 && r <= MAX_R && p >= 1 && p <= MAX_P;
  return powerOfTwo && inBounds && 128 * N * r <= MAX_MEMORY_BYTES;
}

function toInt(value: string | undefined): number {
  return value !== undefined && /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : Number.NaN;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function fromBase64(value: string): Buffer | undefined {
  return value.length > 0 && BASE64.test(value) ? Buffer.from(value, 'base64') : undefined;
}

function derive(pin: string, salt: Buffer, keyLength: number, { N, r, p }: ScryptParams): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; Node's default ceiling (32 MiB) is exactly what N = 2^15, r = 8 uses.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, keyLength, options, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}
