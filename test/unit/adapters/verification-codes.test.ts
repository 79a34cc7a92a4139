/**
 * The onboarding email code's hash is keyed apart from the list cursors, though both come from the cursor
 * secret: the code key is derived under a label of its own (#16).
 */
import { createHmac } from 'node:crypto';
import { HmacVerificationCodes } from '../../../shared/adapters/crypto/verification-codes.js';

const SECRET = 'tween-test-cursor-secret-0123456789abcdef';

describe('HmacVerificationCodes', () => {
  const codes = new HmacVerificationCodes(SECRET);

  it('hashes a code the same way every time, bound to its merchant', () => {
    expect(codes.hash('mch_a', '123456')).toBe(new HmacVerificationCodes(SECRET).hash('mch_a', '123456'));
    expect(codes.hash('mch_a', '123456')).not.toBe(codes.hash('mch_b', '123456'));
    expect(codes.hash('mch_a', '123456')).not.toBe(codes.hash('mch_a', '123457'));
  });

  it('does not key the hash with the cursor secret itself (the cursor signatures key)', () => {
    const withCursorKey = createHmac('sha256', SECRET)
      .update('email-verification:mch_a:123456')
      .digest('base64url');
    expect(codes.hash('mch_a', '123456')).not.toBe(withCursorKey);
  });

  it('generates six digits', () => {
    expect(codes.generate()).toMatch(/^\d{6}$/);
  });
});
