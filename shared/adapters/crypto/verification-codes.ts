/**
 * Email verification codes: six random digits, kept only as an HMAC-SHA256 bound to the merchant, so a stored
 * hash neither reveals the code nor matches another merchant's. The HMAC key is derived from the app secret it
 * is given (the cursor secret) with HKDF under a label of its own, so a code hash and a cursor signature are
 * never made with the same key: neither can be passed off as the other, and a leak of one use's outputs says
 * nothing of the other's.
 */
import { createHmac, hkdfSync, randomInt } from 'node:crypto';
import type { VerificationCodes } from '../../app/merchants/ports.js';

/** The HKDF `info` of the code key; changing it invalidates every code in flight (they live minutes). */
export const VERIFICATION_CODE_KEY_LABEL = 'tween-payments/email-verification-code/v1';

export class HmacVerificationCodes implements VerificationCodes {
  readonly #key: Buffer;

  constructor(rootSecret: string) {
    this.#key = Buffer.from(hkdfSync('sha256', rootSecret, '', VERIFICATION_CODE_KEY_LABEL, 32));
  }

  generate(): string {
    return randomInt(0, 1_000_000).toString().padStart(6, '0');
  }

  hash(merchantId: string, code: string): string {
    return createHmac('sha256', this.#key)
      .update(`email-verification:${merchantId}:${code}`)
      .digest('base64url');
  }
}
