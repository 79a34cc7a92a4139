/**
 * Full-jitter backoff (shared/domain/backoff.ts), the one copy the resilient provider, the DynamoDB conflict
 * retry and the Matrix client use: the wait stays in [0, ceiling), the ceiling doubles per retry and stops at
 * the cap, and each caller's own base and cap are what bound it.
 */
import { jest } from '@jest/globals';
import fc from 'fast-check';
import { backoffCeiling, fullJitterDelay } from '../../../shared/domain/backoff.js';

describe('Module: backoff', () => {
  describe('Function: backoffCeiling', () => {
    it('doubles from the base with each retry and stops at the cap', () => {
      // Arrange
      const backoff = { baseMs: 200, maxMs: 2_000 };

      // Act
      const ceilings = [1, 2, 3, 4, 5, 6].map((retry) => backoffCeiling(retry, backoff));

      // Assert
      expect(ceilings).toEqual([200, 400, 800, 1_600, 2_000, 2_000]);
    });

    it('treats a retry below 1 as the first', () => {
      expect(backoffCeiling(0, { baseMs: 8, maxMs: 400 })).toBe(8);
    });
  });

  describe('Function: fullJitterDelay', () => {
    it('waits a whole number of ms in [0, min(max, base · 2^(retry-1))) for any random source and policy', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 40 }),
          fc.integer({ min: 1, max: 1_000 }),
          fc.integer({ min: 1, max: 60_000 }),
          fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
          (retry, baseMs, maxMs, random) => {
            const delay = fullJitterDelay(retry, { baseMs, maxMs }, () => random);
            const ceiling = Math.min(maxMs, baseMs * 2 ** (retry - 1));
            expect(delay).toBeGreaterThanOrEqual(0);
            expect(delay).toBeLessThan(ceiling);
            expect(Number.isInteger(delay)).toBe(true);
          },
        ),
      );
    });

    it('reaches the bottom of the range at random 0 and just under the ceiling at random close to 1', () => {
      const backoff = { baseMs: 25, maxMs: 1_000 };
      expect(fullJitterDelay(3, backoff, () => 0)).toBe(0);
      expect(fullJitterDelay(3, backoff, () => 0.999_999)).toBe(99);
      expect(fullJitterDelay(10, backoff, () => 0.999_999)).toBe(999);
    });

    it('draws from Math.random when no source is given', () => {
      const spy = jest.spyOn(Math, 'random').mockReturnValue(0.5);
      try {
        expect(fullJitterDelay(2, { baseMs: 100, maxMs: 1_000 })).toBe(100);
      } finally {
        spy.mockRestore();
      }
    });
  });
});
