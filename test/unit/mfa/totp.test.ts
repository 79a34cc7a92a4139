import { createHmac } from 'node:crypto';
import { generateSync } from 'otplib';
import {
  generateTotpSecret,
  otpauthUri,
  totpStep,
  verifyTotp,
} from '../../../shared/adapters/crypto/totp.js';

/** RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890". */
const RFC_SEED = Buffer.from('12345678901234567890', 'ascii');
const RFC_SECRET = base32(RFC_SEED);
const OTHER_SECRET = base32(Buffer.from('09876543210987654321', 'ascii'));

/** RFC 6238 Appendix B, SHA-1 rows: Unix time and the 8-digit TOTP. */
const RFC_VECTORS: readonly [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
];

function base32(bytes: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i < bits.length; i += 5)
    out += alphabet[Number.parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
  return out;
}

/** An independent RFC 4226 HOTP (dynamic truncation) to produce codes for chosen steps. */
function referenceCode(seed: Buffer, step: number, digits = 6): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', seed).update(counter).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

const at = (seconds: number): Date => new Date(seconds * 1000);
/** Mid-step, so ±1 step is not confused with ±1 second at a boundary. */
const NOW_SECONDS = 1_750_000_015;
const NOW = at(NOW_SECONDS);
const STEP = Math.floor(NOW_SECONDS / 30);

describe('Function: verifyTotp', () => {
  describe('RFC 6238 Appendix B vectors (SHA-1)', () => {
    it.each(RFC_VECTORS)('at T=%i the 8-digit code is %s (library and reference agree)', (time, code) => {
      // Act
      const fromLibrary = generateSync({ secret: RFC_SECRET, epoch: time, digits: 8 });
      const fromReference = referenceCode(RFC_SEED, Math.floor(time / 30), 8);

      // Assert
      expect(fromLibrary).toBe(code);
      expect(fromReference).toBe(code);
    });

    it.each(RFC_VECTORS)('at T=%i accepts the 6-digit truncation of %s', (time, code) => {
      // Act
      const result = verifyTotp(RFC_SECRET, code.slice(-6), at(time));

      // Assert
      expect(result).toEqual({ ok: true, step: Math.floor(time / 30) });
    });
  });

  it('returns ok with the current step for the current code', () => {
    // Arrange
    const code = referenceCode(RFC_SEED, STEP);

    // Act
    const result = verifyTotp(RFC_SECRET, code, NOW);

    // Assert
    expect(result).toEqual({ ok: true, step: STEP });
  });

  it.each([
    ['one step behind', -1],
    ['one step ahead', 1],
  ])('returns ok with the matched step for a code %s', (_name, offset) => {
    // Arrange
    const code = referenceCode(RFC_SEED, STEP + offset);

    // Act
    const result = verifyTotp(RFC_SECRET, code, NOW);

    // Assert
    expect(result).toEqual({ ok: true, step: STEP + offset });
  });

  it.each([
    ['two steps behind', -2],
    ['two steps ahead', 2],
  ])('returns not ok for a code %s', (_name, offset) => {
    // Arrange
    const code = referenceCode(RFC_SEED, STEP + offset);

    // Act
    const result = verifyTotp(RFC_SECRET, code, NOW);

    // Assert
    expect(result).toEqual({ ok: false });
  });

  it('returns not ok when the same code is replayed with the step it matched', () => {
    // Arrange
    const code = referenceCode(RFC_SEED, STEP);
    const first = verifyTotp(RFC_SECRET, code, NOW);
    const lastUsedStep = first.ok ? first.step : Number.NaN;

    // Act
    const replay = verifyTotp(RFC_SECRET, code, at(NOW_SECONDS + 5), lastUsedStep);

    // Assert
    expect(first).toEqual({ ok: true, step: STEP });
    expect(replay).toEqual({ ok: false });
  });

  it('returns not ok for an older, still in-window code after a newer step was used', () => {
    // Arrange
    const previous = referenceCode(RFC_SEED, STEP - 1);

    // Act
    const result = verifyTotp(RFC_SECRET, previous, NOW, STEP);

    // Assert
    expect(result).toEqual({ ok: false });
  });

  it('returns ok for the next step after the current one was used', () => {
    // Arrange
    const next = referenceCode(RFC_SEED, STEP + 1);

    // Act
    const result = verifyTotp(RFC_SECRET, next, NOW, STEP);

    // Assert
    expect(result).toEqual({ ok: true, step: STEP + 1 });
  });

  it('returns not ok without throwing when every step in the window was already used', () => {
    // Arrange
    const code = referenceCode(RFC_SEED, STEP + 1);

    // Act
    const result = verifyTotp(RFC_SECRET, code, NOW, STEP + 5);

    // Assert
    expect(result).toEqual({ ok: false });
  });

  it('returns not ok for a code made with another secret', () => {
    // Arrange
    const code = referenceCode(RFC_SEED, STEP);

    // Act
    const result = verifyTotp(OTHER_SECRET, code, NOW);

    // Assert
    expect(result).toEqual({ ok: false });
  });

  it.each([
    ['five digits', '12345'],
    ['seven digits', '1234567'],
    ['letters', 'abcdef'],
    ['spaces', '123 456'],
    ['empty', ''],
  ])('returns not ok without throwing for a code of %s', (_name, code) => {
    // Act
    const result = verifyTotp(RFC_SECRET, code, NOW);

    // Assert
    expect(result).toEqual({ ok: false });
  });
});

describe('Function: totpStep', () => {
  it('returns floor(unix seconds / 30)', () => {
    // Assert
    expect(totpStep(at(59))).toBe(1);
    expect(totpStep(at(60))).toBe(2);
    expect(totpStep(NOW)).toBe(STEP);
  });
});

describe('Function: generateTotpSecret', () => {
  it('returns a base32 secret of 160 bits that differs each call', () => {
    // Act
    const first = generateTotpSecret();
    const second = generateTotpSecret();

    // Assert
    expect(first).toMatch(/^[A-Z2-7]{32}$/);
    expect(second).not.toBe(first);
  });

  it('returns a secret whose codes verify', () => {
    // Arrange
    const secret = generateTotpSecret();
    const code = generateSync({ secret, epoch: NOW_SECONDS });

    // Act
    const result = verifyTotp(secret, code, NOW);

    // Assert
    expect(result).toEqual({ ok: true, step: STEP });
  });
});

describe('Function: otpauthUri', () => {
  it('returns a key URI with an escaped label and the RFC 6238 parameters', () => {
    // Arrange
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

    // Act
    const uri = otpauthUri(secret, '@alice:tween.example');

    // Assert
    expect(uri).toBe(
      'otpauth://totp/Tween:%40alice%3Atween.example?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' +
        '&issuer=Tween&algorithm=SHA1&digits=6&period=30',
    );
  });

  it('escapes spaces in the issuer as %20', () => {
    // Act
    const uri = otpauthUri('JBSWY3DPEHPK3PXP', 'alice', 'Tween Pay');

    // Assert
    expect(uri).toMatch(/^otpauth:\/\/totp\/Tween%20Pay:alice\?secret=JBSWY3DPEHPK3PXP&issuer=Tween%20Pay&/);
  });

  it('throws when the secret is not base32', () => {
    // Act
    const act = () => otpauthUri('not-base32!', 'alice');

    // Assert
    expect(act).toThrow(TypeError);
  });
});
