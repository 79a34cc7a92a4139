import { jest } from '@jest/globals';

// scrypt is wrapped (it still runs for real) so the tests can see that every path pays for a hash.
const realCrypto = await import('node:crypto');
const scryptSpy = jest.fn(realCrypto.scrypt);
jest.unstable_mockModule('node:crypto', () => ({
  ...realCrypto,
  default: { ...realCrypto.default, scrypt: scryptSpy },
  scrypt: scryptSpy,
}));

const { hashPin, PIN_SCRYPT_PARAMS, verifyPin } = await import('../../../shared/adapters/crypto/pin.js');
const { InvalidPinFormatError } = await import('../../../shared/domain/mfa.js');

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('Function: hashPin', () => {
  beforeEach(() => {
    scryptSpy.mockClear();
  });

  it('returns scrypt$N$r$p$salt$hash with a 16-byte salt and a 32-byte hash', async () => {
    // Act
    const encoded = await hashPin('123456');

    // Assert
    const [scheme, n, r, p, salt, hash, ...rest] = encoded.split('$');
    expect(scheme).toBe('scrypt');
    expect([Number(n), Number(r), Number(p)]).toEqual([2 ** 15, 8, 1]);
    expect(PIN_SCRYPT_PARAMS).toEqual({ N: 2 ** 15, r: 8, p: 1 });
    expect(Buffer.from(salt ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(hash ?? '', 'base64')).toHaveLength(32);
    expect(rest).toEqual([]);
    expect(encoded).not.toContain('123456');
  });

  it('returns a different hash each call for the same PIN (random salt)', async () => {
    // Act
    const [first, second] = await Promise.all([hashPin('123456'), hashPin('123456')]);

    // Assert
    expect(first).not.toBe(second);
  });

  it.each([
    ['five digits', '12345'],
    ['seven digits', '1234567'],
    ['letters', 'abcdef'],
    ['an empty string', ''],
  ])('rejects with InvalidPinFormatError for %s, without hashing', async (_name, pin) => {
    // Act
    const error = await rejectionOf(hashPin(pin));

    // Assert
    expect(error).toBeInstanceOf(InvalidPinFormatError);
    expect(error).toHaveProperty('code', 'VALIDATION_ERROR');
    expect(scryptSpy).not.toHaveBeenCalled();
  });
});

describe('Function: verifyPin', () => {
  let stored: string;

  beforeAll(async () => {
    stored = await hashPin('246810');
  });

  beforeEach(() => {
    scryptSpy.mockClear();
  });

  it('returns true for the PIN that was hashed', async () => {
    // Act
    const ok = await verifyPin('246810', stored);

    // Assert
    expect(ok).toBe(true);
  });

  it('returns false when the PIN is wrong', async () => {
    // Act
    const ok = await verifyPin('246811', stored);

    // Assert
    expect(ok).toBe(false);
  });

  it.each([
    ['too short', '24681'],
    ['too long', '2468100'],
    ['not digits', '24681a'],
    ['padded with spaces', ' 246810'],
    ['empty', ''],
  ])('returns false without throwing when the PIN is %s', async (_name, pin) => {
    // Act
    const ok = await verifyPin(pin, stored);

    // Assert
    expect(ok).toBe(false);
  });

  it('runs scrypt with the stored parameters on both the right and a malformed PIN (no short cut)', async () => {
    // Act
    await verifyPin('246810', stored);
    await verifyPin('24681', stored);

    // Assert
    expect(scryptSpy).toHaveBeenCalledTimes(2);
    const options = scryptSpy.mock.calls.map((call) => call[3]);
    expect(options).toEqual([
      expect.objectContaining({ N: 2 ** 15, r: 8, p: 1 }),
      expect.objectContaining({ N: 2 ** 15, r: 8, p: 1 }),
    ]);
  });

  it('verifies a hash made with other parameters, read from the encoding', async () => {
    // Arrange: a hash as an older deployment with N = 2^14 would have stored it
    const salt = Buffer.alloc(16, 7);
    const key = realCrypto.scryptSync('135790', salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const older = `scrypt$16384$8$1$${salt.toString('base64')}$${key.toString('base64')}`;

    // Act
    const right = await verifyPin('135790', older);
    const wrong = await verifyPin('135791', older);

    // Assert
    expect(right).toBe(true);
    expect(wrong).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['another scheme', `bcrypt$32768$8$1$${'A'.repeat(22)}==$${'A'.repeat(43)}=`],
    ['missing the hash', 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA=='],
    ['N not a power of two', `scrypt$30000$8$1$${'A'.repeat(22)}==$${'A'.repeat(43)}=`],
    ['N far too large', `scrypt$${2 ** 24}$8$1$${'A'.repeat(22)}==$${'A'.repeat(43)}=`],
    ['a salt that is not base64', `scrypt$32768$8$1$!!!!$${'A'.repeat(43)}=`],
  ])('returns false without throwing when the stored hash is %s', async (_name, encoded) => {
    // Act
    const ok = await verifyPin('246810', encoded);

    // Assert
    expect(ok).toBe(false);
    expect(scryptSpy).toHaveBeenCalledTimes(1);
  });
});
