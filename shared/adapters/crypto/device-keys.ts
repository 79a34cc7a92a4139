/**
 * Biometric approval: the device holds a P-256 key in its secure hardware (Secure Enclave, Android
 * Keystore, a WebAuthn authenticator); unlocking it needs the user's biometric. At enrolment the app sends
 * the public key (SPKI DER, base64); at payment time the device signs the challenge nonce, which names the
 * app, the payment and its amount (see challengeNonce in shared/domain/mfa.ts), with ECDSA P-256 / SHA-256.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { ValidationError } from '../../domain/errors.js';

/** An uncompressed P-256 SPKI is 91 bytes (124 base64 characters); allow some slack, refuse anything huge. */
const MAX_KEY_BASE64_LENGTH = 256;
/** A DER ECDSA P-256 signature is at most 72 bytes; the raw r||s form is exactly 64. */
const MAX_SIGNATURE_BASE64_LENGTH = 128;
const RAW_SIGNATURE_BYTES = 64;
const P256 = 'prime256v1';
const BAD_KEY = 'publicKey must be a P-256 SPKI key, base64';

/**
 * The device's public key from its SPKI DER encoding in base64 (standard or URL-safe alphabet). Anything
 * that is not an EC public key on P-256 throws VALIDATION_ERROR.
 */
export function parseDevicePublicKey(spkiBase64: string): KeyObject {
  const der = typeof spkiBase64 === 'string' ? decodeBase64(spkiBase64, MAX_KEY_BASE64_LENGTH) : undefined;
  if (der === undefined) throw new ValidationError(BAD_KEY);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    throw new ValidationError(BAD_KEY);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== P256) {
    throw new ValidationError(BAD_KEY);
  }
  return key;
}

/**
 * True when `signatureB64` is the device key's ECDSA P-256 / SHA-256 signature over the UTF-8 bytes of
 * `nonce`. Accepts the DER form (WebAuthn, Android Keystore, iOS SecKey) and the raw 64-byte r||s form
 * (IEEE P1363, WebCrypto). Never throws: a malformed signature or key is simply not a valid signature.
 */
export function verifyDeviceSignature(
  publicKeySpkiB64: string,
  nonce: string,
  signatureB64: string,
): boolean {
  let key: KeyObject;
  try {
    key = parseDevicePublicKey(publicKeySpkiB64);
  } catch {
    return false;
  }
  const signature =
    typeof signatureB64 === 'string' ? decodeBase64(signatureB64, MAX_SIGNATURE_BASE64_LENGTH) : undefined;
  if (signature === undefined || typeof nonce !== 'string') return false;
  const message = Buffer.from(nonce, 'utf8');
  if (looksLikeDer(signature) && verifyWith(key, message, signature, 'der')) return true;
  // A raw r||s whose first bytes happen to look like a DER header still gets its turn.
  return signature.length === RAW_SIGNATURE_BYTES && verifyWith(key, message, signature, 'ieee-p1363');
}

function verifyWith(
  key: KeyObject,
  message: Buffer,
  signature: Buffer,
  dsaEncoding: 'der' | 'ieee-p1363',
): boolean {
  try {
    return verify('sha256', message, { key, dsaEncoding }, signature);
  } catch {
    return false;
  }
}

/** A DER SEQUENCE whose one-byte length covers exactly the rest of the buffer. */
function looksLikeDer(signature: Buffer): boolean {
  return signature.length >= 8 && signature[0] === 0x30 && signature[1] === signature.length - 2;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Strict base64 (padded) or base64url (unpadded); undefined for anything else, empty or too long. */
function decodeBase64(value: string, maxLength: number): Buffer | undefined {
  if (value.length === 0 || value.length > maxLength) return undefined;
  if (BASE64.test(value)) return Buffer.from(value, 'base64');
  if (BASE64URL.test(value) && value.length % 4 !== 1) return Buffer.from(value, 'base64url');
  return undefined;
}
