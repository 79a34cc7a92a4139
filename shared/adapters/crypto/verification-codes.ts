/**
 * Email verification codes: six random digits, kept only as an HMAC-SHA256 keyed by the cursor secret and
 * bound to the merchant, so a stored hash neither reveals the code nor matches another merchant's.
 */
import { createHmac, randomInt } from 'node:crypto';
import type { VerificationCodes } from '../../app/merchants/ports.js';

export class HmacVerificationCodes implements VerificationCodes {
  constructor(private readonly secret: string) {}

  generate(): string {
    return randomInt(0, 1_000_000).toString().padStart(6, '0');
  }

  hash(merchantId: string, code: string): string {
    return createHmac('sha256', this.secret)
      .update(`email-verification:${merchantId}:${code}`)
      .digest('base64url');
  }
}
