import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { parseDevicePublicKey, verifyDeviceSignature } from '../../../shared/adapters/crypto/device-keys.js';
import { ValidationError } from '../../../shared/domain/errors.js';
import { challengeNonce } from '../../../shared/domain/mfa.js';

const RANDOM = 'cmFuZG9tLXBhcnQtb2YtdGhlLW5vbmNl';
const NONCE = challengeNonce(
  { appId: 'app_shop', paymentId: 'pay_7Hq2', amount: 125000, currency: 'USD' },
  RANDOM,
);

function spkiBase64(key: KeyObject): string {
  return key.export({ format: 'der', type: 'spki' }).toString('base64');
}

function p256(): { publicKey: string; privateKey: KeyObject } {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { publicKey: spkiBase64(pair.publicKey), privateKey: pair.privateKey };
}

function signNonce(privateKey: KeyObject, nonce: string, dsaEncoding: 'der' | 'ieee-p1363'): string {
  return sign('sha256', Buffer.from(nonce, 'utf8'), { key: privateKey, dsaEncoding }).toString('base64');
}

function errorOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

const device = p256();

describe('Function: parseDevicePublicKey', () => {
  it('returns an EC P-256 public key for a P-256 SPKI in base64', () => {
    // Act
    const key = parseDevicePublicKey(device.publicKey);

    // Assert
    expect(key.type).toBe('public');
    expect(key.asymmetricKeyType).toBe('ec');
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it('accepts the SPKI in unpadded base64url', () => {
    // Arrange
    const base64url = Buffer.from(device.publicKey, 'base64').toString('base64url');

    // Act
    const key = parseDevicePublicKey(base64url);

    // Assert
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it.each([
    ['a P-384 key', () => spkiBase64(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey)],
    ['a secp256k1 key', () => spkiBase64(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey)],
    ['an RSA key', () => spkiBase64(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey)],
    ['an Ed25519 key', () => spkiBase64(generateKeyPairSync('ed25519').publicKey)],
    [
      'a P-256 private key (PKCS#8)',
      () => device.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    ],
    [
      'a PEM instead of base64 DER',
      () => parseDevicePublicKey(device.publicKey).export({ format: 'pem', type: 'spki' }).toString(),
    ],
    ['a truncated SPKI', () => device.publicKey.slice(0, 60)],
    ['garbage', () => 'bm90IGEga2V5'],
    ['text that is not base64', () => 'not base64 at all!'],
    ['an empty string', () => ''],
    ['a huge string', () => 'A'.repeat(10_000)],
  ])('throws ValidationError for %s', (_name, input) => {
    // Arrange
    const value = input();

    // Act
    const error = errorOf(() => parseDevicePublicKey(value));

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toHaveProperty('message', 'publicKey must be a P-256 SPKI key, base64');
  });
});

describe('Function: verifyDeviceSignature', () => {
  it('returns true for a DER signature over the nonce by the registered key', () => {
    // Arrange
    const signature = signNonce(device.privateKey, NONCE, 'der');

    // Act
    const ok = verifyDeviceSignature(device.publicKey, NONCE, signature);

    // Assert
    expect(ok).toBe(true);
  });

  it('returns true for a raw r||s (IEEE P1363) signature over the nonce', () => {
    // Arrange
    const signature = signNonce(device.privateKey, NONCE, 'ieee-p1363');

    // Act
    const ok = verifyDeviceSignature(device.publicKey, NONCE, signature);

    // Assert
    expect(Buffer.from(signature, 'base64')).toHaveLength(64);
    expect(ok).toBe(true);
  });

  it('returns true for a base64url signature, as WebAuthn clients send it', () => {
    // Arrange
    const signature = Buffer.from(signNonce(device.privateKey, NONCE, 'der'), 'base64').toString('base64url');

    // Act
    const ok = verifyDeviceSignature(device.publicKey, NONCE, signature);

    // Assert
    expect(ok).toBe(true);
  });

  it('returns true for many signatures in both encodings (DER lengths vary)', () => {
    // Arrange
    const signatures = Array.from({ length: 40 }, (_, i) =>
      signNonce(device.privateKey, NONCE, i % 2 === 0 ? 'der' : 'ieee-p1363'),
    );

    // Act
    const results = signatures.map((signature) => verifyDeviceSignature(device.publicKey, NONCE, signature));

    // Assert
    expect(results.every((ok) => ok)).toBe(true);
  });

  it('returns false for a signature made by another device key', () => {
    // Arrange
    const other = p256();
    const signature = signNonce(other.privateKey, NONCE, 'der');

    // Act
    const ok = verifyDeviceSignature(device.publicKey, NONCE, signature);

    // Assert
    expect(ok).toBe(false);
  });

  it('returns false for a signature over the nonce of another amount', () => {
    // Arrange
    const otherAmount = challengeNonce(
      { appId: 'app_shop', paymentId: 'pay_7Hq2', amount: 100, currency: 'USD' },
      RANDOM,
    );
    const signature = signNonce(device.privateKey, otherAmount, 'der');

    // Act
    const ok = verifyDeviceSignature(device.publicKey, NONCE, signature);

    // Assert
    expect(otherAmount).not.toBe(NONCE);
    expect(ok).toBe(false);
  });

  it('returns false for a signature over the nonce of another payment', () => {
    // Arrange
    const otherPayment = challengeNonce(
      { appId: 'app_shop', paymentId: 'pay_other', amount: 125000, currency: 'USD' },
      RANDOM,
    );
    const signature = signNonce(device.privateKey, otherPayment, 'ieee-p1363');

    // Act
    const ok = verifyDeviceSignature(device.publicKey, NONCE, signature);

    // Assert
    expect(ok).toBe(false);
  });

  it('returns false when one bit of the signature is flipped', () => {
    // Arrange
    const bytes = Buffer.from(signNonce(device.privateKey, NONCE, 'ieee-p1363'), 'base64');
    bytes[40] = (bytes[40] ?? 0) ^ 0x01;

    // Act
    const ok = verifyDeviceSignature(device.publicKey, NONCE, bytes.toString('base64'));

    // Assert
    expect(ok).toBe(false);
  });

  it.each([
    ['a P-384 key', () => generateKeyPairSync('ec', { namedCurve: 'P-384' })],
    ['an RSA key', () => generateKeyPairSync('rsa', { modulusLength: 2048 })],
  ])('returns false without throwing when the registered key is %s', (_name, pair) => {
    // Arrange
    const { publicKey, privateKey } = pair();
    const signature = sign('sha256', Buffer.from(NONCE), privateKey).toString('base64');

    // Act
    const ok = verifyDeviceSignature(spkiBase64(publicKey), NONCE, signature);

    // Assert
    expect(ok).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['not base64', 'not a signature!'],
    ['random bytes of DER length', Buffer.alloc(70, 0x41).toString('base64')],
    [
      'a DER header with garbage inside',
      Buffer.concat([Buffer.from([0x30, 0x44]), Buffer.alloc(68, 1)]).toString('base64'),
    ],
    ['64 zero bytes', Buffer.alloc(64).toString('base64')],
    ['too long', 'A'.repeat(4096)],
  ])('returns false without throwing for a signature that is %s', (_name, signature) => {
    // Act
    const ok = verifyDeviceSignature(device.publicKey, NONCE, signature);

    // Assert
    expect(ok).toBe(false);
  });

  it('returns false without throwing when the stored key is garbage', () => {
    // Arrange
    const signature = signNonce(device.privateKey, NONCE, 'der');

    // Act
    const ok = verifyDeviceSignature('garbage', NONCE, signature);

    // Assert
    expect(ok).toBe(false);
  });
});
