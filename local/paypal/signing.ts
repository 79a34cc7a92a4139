/**
 * Webhook signing as PayPal documents it: the signed message is
 * `<transmission id>|<transmission time>|<webhook id>|<CRC32 of the body, decimal>`, signed SHA256withRSA with
 * the key behind `paypal-cert-url`. PayPal's key sits in an X.509 certificate; the local server holds its own
 * RSA key pair and serves the public key at its cert url instead (nothing but this server reads it).
 */
import { createSign, createVerify, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const AUTH_ALGO = 'SHA256withRSA';

export interface TransmissionSignature {
  transmissionId: string;
  transmissionTime: string;
  webhookId: string;
  body: string;
}

export function signedMessage(input: TransmissionSignature): string {
  return `${input.transmissionId}|${input.transmissionTime}|${input.webhookId}|${crc32(input.body)}`;
}

export class SigningKey {
  readonly #privateKey: KeyObject;
  readonly publicKey: KeyObject;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.#privateKey = privateKey;
    this.publicKey = publicKey;
  }

  sign(input: TransmissionSignature): string {
    return createSign('sha256').update(signedMessage(input)).sign(this.#privateKey, 'base64');
  }

  verify(input: TransmissionSignature, signature: string): boolean {
    try {
      return createVerify('sha256').update(signedMessage(input)).verify(this.publicKey, signature, 'base64');
    } catch {
      // A signature that is not even base64 of the right length: simply not ours.
      return false;
    }
  }
}
