import { PaymentRequest } from '../../../shared/http/schemas/payments.js';

/** A valid payment request with `metadata`. */
function requestWith(metadata: Record<string, string>) {
  return {
    appId: 'app_demo',
    amount: { value: 1_000, currency: 'USD' },
    paymentMethod: { type: 'wallet' },
    description: 'Coffee',
    metadata,
  };
}

/** `count` keys `k0`, `k1`, ... with the value `v`. */
function keys(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [`k${index}`, 'v']));
}

describe('Schema: PaymentRequest', () => {
  describe('Field: metadata', () => {
    it.each([
      ['50 keys', keys(50)],
      ['a key of 40 characters', { ['k'.repeat(40)]: 'v' }],
      ['a value of 500 characters', { note: 'v'.repeat(500) }],
      ['no keys', {}],
    ])('accepts %s', (_what, metadata) => {
      // Act
      const parsed = PaymentRequest.safeParse(requestWith(metadata));

      // Assert
      expect(parsed.success).toBe(true);
    });

    it.each([
      ['51 keys', keys(51)],
      ['a key of 41 characters', { ['k'.repeat(41)]: 'v' }],
      ['a value of 501 characters', { note: 'v'.repeat(501) }],
    ])('refuses %s', (_what, metadata) => {
      // Act
      const parsed = PaymentRequest.safeParse(requestWith(metadata));

      // Assert
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path[0]).toBe('metadata');
    });
  });
});
