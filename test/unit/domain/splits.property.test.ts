/**
 * The arithmetic of PaymentIntent splits (shared/domain/splits.ts), over many intents (amounts 2 to 10^9,
 * 1 to 10 splits adding up to less than the amount), captures (full or any part) and sequences of refunds:
 * Expected proportions are computed here on BigInt and rounded half-even by a second, independent rule.
 * - the shares are never negative, never more than asked, sum exactly to the half-even proportion of the
 *   splits' total, and a full capture pays each split its amount;
 * - the reversals are never negative, each split's over all refunds never exceeds its share, and a refund
 *   of everything captured reverses every share exactly, however it was cut into refunds.
 */
import fc from 'fast-check';
import { MAX_AMOUNT } from '../../../shared/domain/money.js';
import { splitReversalOf, splitSharesOf } from '../../../shared/domain/splits.js';

const NUM_RUNS = 500;

/** An intent's amount and its splits (Σ < amount), the small amounts as often as the large ones. */
const intent = fc
  .oneof(
    { weight: 2, arbitrary: fc.integer({ min: 2, max: 300 }) },
    { weight: 1, arbitrary: fc.integer({ min: 2, max: MAX_AMOUNT }) },
  )
  .chain((amount) =>
    fc
      .array(fc.integer({ min: 1, max: amount - 1 }), { minLength: 1, maxLength: 10 })
      .filter((amounts) => amounts.reduce((sum, a) => sum + a, 0) < amount)
      .map((amounts) => ({
        amount,
        splits: amounts.map((a, index) => ({ merchantId: `mch_${index}`, amount: a })),
      })),
  );

const captured = (amount: number) =>
  fc.oneof(fc.constant(amount), fc.integer({ min: 1, max: amount }), fc.constantFrom(1, amount - 1));

/** Refunds of a capture: cuts of `total` into positive parts (at most 5), in order. */
const refunds = (total: number) =>
  fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, total - 1) }), { maxLength: 4 }).map((cuts) => {
    const points = [0, ...cuts.filter((cut) => cut < total).sort((a, b) => a - b), total];
    return points.slice(1).map((point, index) => point - (points[index] ?? 0));
  });

/** `a × b / c`, half-even, the schoolbook way: round half up, then back down on an exact half to an odd. */
function expected(a: number, b: number, c: number): number {
  const twice = 2n * BigInt(a) * BigInt(b);
  const whole = BigInt(c);
  const up = (twice + whole) / (2n * whole);
  const exactHalf = twice % whole === 0n && (twice / whole) % 2n === 1n;
  return Number(exactHalf && up % 2n === 1n ? up - 1n : up);
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

describe('Function: splitSharesOf', () => {
  it('pays each split its amount on a full capture', () => {
    fc.assert(
      fc.property(intent, ({ amount, splits }) => {
        expect(splitSharesOf(splits, amount, amount).map((s) => s.share)).toEqual(
          splits.map((s) => s.amount),
        );
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('scales a partial capture: never negative, never more than asked, summing to the proportion exactly', () => {
    fc.assert(
      fc.property(
        intent.chain((i) => captured(i.amount).map((c) => ({ ...i, captured: c }))),
        ({ amount, splits, captured: capturedAmount }) => {
          const shares = splitSharesOf(splits, amount, capturedAmount);
          expect(shares.map((s) => s.merchantId)).toEqual(splits.map((s) => s.merchantId));
          shares.forEach((s, index) => {
            expect(Number.isInteger(s.share)).toBe(true);
            expect(s.share).toBeGreaterThanOrEqual(0);
            expect(s.share).toBeLessThanOrEqual(splits[index]?.amount ?? 0);
          });
          const asked = sum(splits.map((s) => s.amount));
          expect(sum(shares.map((s) => s.share))).toBe(expected(asked, capturedAmount, amount));
          expect(sum(shares.map((s) => s.share))).toBeLessThan(capturedAmount + 1);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('rounds half to even on the running total: two splits of 1 captured at half', () => {
    // 1 × 5/10 = 0.5 → 0; the running total 2 × 5/10 = 1 → the second split takes it.
    expect(
      splitSharesOf(
        [
          { merchantId: 'mch_a', amount: 1 },
          { merchantId: 'mch_b', amount: 1 },
        ],
        10,
        5,
      ),
    ).toEqual([
      { merchantId: 'mch_a', share: 0 },
      { merchantId: 'mch_b', share: 1 },
    ]);
  });
});

describe('Function: splitReversalOf', () => {
  it('reverses in proportion over several refunds: never negative, never more than paid, all of it in full', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000_000 }).chain((total) =>
          fc.record({
            captured: fc.constant(total),
            share: fc.integer({ min: 0, max: total - 1 }),
            parts: refunds(total),
          }),
        ),
        ({ captured: capturedAmount, share, parts }) => {
          let refunded = 0;
          let reversed = 0;
          for (const part of parts) {
            const back = splitReversalOf(share, capturedAmount, refunded, part);
            expect(back).toBeGreaterThanOrEqual(0);
            refunded += part;
            reversed += back;
            expect(reversed).toBeLessThanOrEqual(share);
            expect(reversed).toBe(expected(share, refunded, capturedAmount));
          }
          expect(refunded).toBe(capturedAmount);
          expect(reversed).toBe(share);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('never reverses more than was paid, even when more is refunded than was captured', () => {
    expect(splitReversalOf(300, 1_000, 900, 500)).toBe(30);
    expect(splitReversalOf(300, 1_000, 1_000, 500)).toBe(0);
  });
});
