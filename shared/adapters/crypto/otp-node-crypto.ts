/**
 * What `@otplib/plugin-crypto-noble` becomes in a Lambda bundle (an esbuild alias, shared/infra/bundling.ts):
 * otplib's crypto plugin on node:crypto. otplib imports its pure-JavaScript default (@noble/hashes) whatever
 * plugin it is given, so the MFA functions carried 13 KiB of hash code, and built its SHA-512 tables at every
 * cold start, to compute one HMAC-SHA-1 that Node.js computes natively. Same interface, same bytes:
 * test/unit/mfa/otp-node-crypto.test.ts holds it equal to the noble plugin (RFC 6238 vectors included).
 * Never used outside a bundle: the local stack and the tests run otplib's own default.
 */
import { createHmac, randomBytes as nodeRandomBytes, timingSafeEqual } from 'node:crypto';

const ALGORITHMS = Object.freeze(['sha1', 'sha256', 'sha512'] as const);
type Algorithm = (typeof ALGORITHMS)[number];

/** `sha1`, `SHA-1`, `Sha_256` … as otplib names them; anything else throws. */
function algorithmOf(name: string): Algorithm {
  const canonical = name.toLowerCase().replace(/^sha[-_]/, 'sha');
  const found = ALGORITHMS.find((algorithm) => algorithm === canonical);
  if (found === undefined) throw new Error(`Unsupported HMAC algorithm: ${name}`);
  return found;
}

function bytesOf(value: string | Uint8Array): Uint8Array {
  return typeof value === 'string' ? new TextEncoder().encode(value) : value;
}

export class NobleCryptoPlugin {
  readonly name = 'node';
  readonly algorithms: readonly Algorithm[] = ALGORITHMS;

  hmac(algorithm: string, key: Uint8Array, data: Uint8Array): Uint8Array {
    return new Uint8Array(createHmac(algorithmOf(algorithm), key).update(data).digest());
  }

  randomBytes(length: number): Uint8Array {
    return new Uint8Array(nodeRandomBytes(length));
  }

  constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
    const [left, right] = [bytesOf(a), bytesOf(b)];
    return left.length === right.length && timingSafeEqual(left, right);
  }
}

export const crypto: NobleCryptoPlugin = Object.freeze(new NobleCryptoPlugin());
export default NobleCryptoPlugin;
