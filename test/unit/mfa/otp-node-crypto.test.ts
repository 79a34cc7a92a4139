/**
 * otplib's crypto plugin in the Lambda bundles (shared/adapters/crypto/otp-node-crypto.ts, an esbuild alias of
 * @otplib/plugin-crypto-noble): the same answers as the noble plugin otplib uses everywhere else, so a code
 * an authenticator app shows is accepted on AWS exactly when it is accepted here.
 */
import { randomBytes } from 'node:crypto';
import { crypto as noble } from '@otplib/plugin-crypto-noble';
import { generateSync, verifySync } from 'otplib';
import { crypto as node } from '../../../shared/adapters/crypto/otp-node-crypto.js';
import { LAMBDA_ALIASES } from '../../../shared/infra/bundling.js';

/** RFC 6238, appendix B: the 8-digit codes of the SHA-1 seed at these times. */
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];
const BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // RFC_SEED's bytes ("12345678901234567890") in base32

describe('otplib on node:crypto (the Lambda bundles)', () => {
  it('is the alias of the noble plugin', () => {
    expect(LAMBDA_ALIASES['@otplib/plugin-crypto-noble']).toBe('./shared/adapters/crypto/otp-node-crypto.ts');
  });

  it.each(['sha1', 'sha256', 'sha512', 'SHA-1', 'Sha256'])(
    'computes the HMAC (%s) the noble plugin computes',
    (algorithm) => {
      for (const length of [0, 1, 20, 64, 65, 200]) {
        const key = randomBytes(length);
        const data = randomBytes(8);
        expect(Buffer.from(node.hmac(algorithm as never, key, data))).toEqual(
          Buffer.from(noble.hmac(algorithm as never, key, data) as Uint8Array),
        );
      }
    },
  );

  it('refuses an algorithm neither knows', () => {
    expect(() => node.hmac('md5' as never, randomBytes(20), randomBytes(8))).toThrow(/Unsupported HMAC/);
  });

  it('gives the RFC 6238 codes, and verifies them, as otplib does with noble', () => {
    for (const [epoch, code] of RFC_VECTORS) {
      const options = { secret: BASE32, epoch, digits: 8, algorithm: 'sha1', period: 30 } as const;
      expect(generateSync({ ...options, crypto: node })).toBe(code);
      expect(generateSync({ ...options, crypto: noble })).toBe(code);
      expect(verifySync({ ...options, token: code, crypto: node })).toEqual(
        verifySync({ ...options, token: code, crypto: noble }),
      );
      const wrong = code.replace(/.$/, (digit) => String((Number(digit) + 1) % 10));
      expect(verifySync({ ...options, token: wrong, crypto: node }).valid).toBe(false);
    }
  });

  it('compares in constant time as the noble plugin does, lengths and strings included', () => {
    const cases: [string | Uint8Array, string | Uint8Array][] = [
      ['123456', '123456'],
      ['123456', '123457'],
      ['123456', '1234567'],
      ['', ''],
      [new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3])],
      [new Uint8Array([1, 2, 3]), new Uint8Array([1, 2])],
    ];
    for (const [a, b] of cases) expect(node.constantTimeEqual(a, b)).toBe(noble.constantTimeEqual(a, b));
  });

  it('gives random bytes of the length asked for', () => {
    expect(node.randomBytes(20)).toHaveLength(20);
    expect(node.randomBytes(20)).not.toEqual(node.randomBytes(20));
  });
});
