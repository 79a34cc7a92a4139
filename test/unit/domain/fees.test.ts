/** The merchant platform's fees: the documented rates, half-even rounding, and parts summing to the whole. */
import fc from 'fast-check';
import {
  DEFAULT_FEE_TIERS,
  DEFAULT_PROCESSING_FEE,
  divideHalfEven,
  type FeeSchedule,
  feesOf,
  parseFeeTiers,
  parseProcessingFee,
  platformFeeReturned,
  reserveOf,
} from '../../../shared/domain/fees.js';

const schedule: FeeSchedule = {
  tiers: parseFeeTiers(DEFAULT_FEE_TIERS),
  processing: parseProcessingFee(DEFAULT_PROCESSING_FEE),
};
const methods = fc.constantFrom('wallet' as const, 'card' as const, 'paypal' as const);

describe('fees', () => {
  it('rounds half to even', () => {
    expect([5, 15, 25, 35, 14, 16].map((n) => divideHalfEven(n, 10))).toEqual([0, 2, 2, 4, 1, 2]);
  });

  it('charges the tier of the month volume and the processing fee on cards and PayPal only', () => {
    expect(feesOf(10_000, 'wallet', 0, schedule)).toEqual({ platform: 820, processing: 0, net: 9_180 });
    expect(feesOf(10_000, 'card', 0, schedule)).toEqual({ platform: 820, processing: 320, net: 8_860 });
    expect(feesOf(10_000, 'paypal', 1_000_000, schedule).platform).toBe(790);
    expect(feesOf(10_000, 'wallet', 10_000_000, schedule).platform).toBe(750);
    // 0.82 × 1050 = 86.1 → 86; 2.9% of 1050 = 30.45 → 30, + 30.
    expect(feesOf(1_050, 'card', 0, schedule)).toEqual({ platform: 86, processing: 60, net: 904 });
  });

  it('never takes more than the amount: parts always sum to the whole, none negative', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 ** 11 }),
        methods,
        fc.nat(10 ** 9),
        (amount, method, volume) => {
          const fees = feesOf(amount, method, volume, schedule);
          expect(fees.platform + fees.processing + fees.net).toBe(amount);
          expect(Math.min(fees.platform, fees.processing, fees.net)).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('returns the platform fee in proportion, and all of it over refunds that add up to the amount', () => {
    expect(platformFeeReturned({ amount: 10_000, platformFee: 820 }, 0, 2_500)).toBe(205);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 ** 9 }),
        fc.array(fc.integer({ min: 1, max: 1_000 }), { minLength: 1, maxLength: 10 }),
        (amount, weights) => {
          const platformFee = feesOf(amount, 'card', 0, schedule).platform;
          const total = weights.reduce((a, b) => a + b, 0);
          const parts = weights.map((w) => Math.floor((amount * w) / total));
          parts[parts.length - 1] = amount - parts.slice(0, -1).reduce((a, b) => a + b, 0);
          let refunded = 0;
          let returned = 0;
          for (const part of parts) {
            const back = platformFeeReturned({ amount, platformFee }, refunded, part);
            expect(back).toBeGreaterThanOrEqual(0);
            refunded += part;
            returned += back;
          }
          expect(returned).toBe(platformFee);
        },
      ),
    );
  });

  it('reserves a share of the positive available only', () => {
    expect(reserveOf(10_000, 1_000)).toBe(1_000);
    expect(reserveOf(-500, 1_000)).toBe(0);
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 9), max: 10 ** 9 }), fc.nat(10_000), (available, bps) => {
        const reserved = reserveOf(available, bps);
        expect(reserved).toBeGreaterThanOrEqual(0);
        expect(reserved).toBeLessThanOrEqual(Math.max(available, 0));
      }),
    );
  });

  it('refuses malformed settings', () => {
    expect(() => parseFeeTiers('100:820')).toThrow();
    expect(() => parseFeeTiers('0:820,0:700')).toThrow();
    expect(() => parseProcessingFee('290')).toThrow();
    expect(() => parseFeeTiers('0:x')).toThrow();
  });
});
