/**
 * How a gift's total splits into shares (shared/domain/gift.ts), over many totals (1 to 10^9, with the small
 * edge cases weighted in) and counts (1 to 100, never more than the total):
 * - both splits sum exactly to the total, with `count` shares of at least one unit each;
 * - equal: the shares differ by at most one unit, the larger ones first;
 * - random ("double average"): each share is at most twice the mean of what was left before it, and the
 *   splitter asks its random source for exactly [1, min(floor(2·left/sharesLeft), left − (sharesLeft − 1))].
 *   Checked with a fast-check-driven source, the real secureRandomInt and adversarial sources (always the
 *   maximum, always the minimum); a source answering outside its range makes the split throw.
 * - assertSplittable refuses counts of 0, above 100, non-integers and more shares than units.
 */
import fc from 'fast-check';
import { secureRandomInt } from '../../../shared/adapters/crypto/random.js';
import { ValidationError } from '../../../shared/domain/errors.js';
import {
  assertSplittable,
  MAX_SHARES,
  type RandomInt,
  splitEqually,
  splitGift,
  splitRandomly,
} from '../../../shared/domain/gift.js';

const NUM_RUNS = 500;

/** Totals in minor units: small ones (where the per-share limits bite) as often as large ones. */
const total = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(1, 2, 3, 99, 100, 101, 199, 200, 1_000_000_000) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 300 }) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 1_000_000_000 }) },
);

/** A total with a valid count: 1 to 100 shares, at most one share per unit; the extremes weighted in. */
const split = total.chain((totalAmount) => {
  const most = Math.min(MAX_SHARES, totalAmount);
  return fc
    .oneof(fc.constantFrom(1, most), fc.integer({ min: 1, max: most }))
    .map((count) => ({ totalAmount, count }));
});

interface Draw {
  min: number;
  max: number;
  value: number;
}

/** Wraps a random source to record what the splitter asked for and what it got. */
function recording(source: RandomInt): { randomInt: RandomInt; draws: Draw[] } {
  const draws: Draw[] = [];
  return {
    draws,
    randomInt: (min, max) => {
      const value = source(min, max);
      draws.push({ min, max, value });
      return value;
    },
  };
}

/** A source that picks within [min, max] by the numbers fast-check generates (shrinkable, replayable). */
function streamSource(numbers: Iterator<number>): RandomInt {
  return (min, max) => {
    const next = numbers.next();
    if (next.done === true) throw new Error('the infinite stream ended');
    return min + (next.value % (max - min + 1));
  };
}

const alwaysMax: RandomInt = (_min, max) => max;
const alwaysMin: RandomInt = (min) => min;

/** What breaks "count shares of at least one unit, summing exactly to the total" (nothing, for a valid split). */
function splitViolations(shares: readonly number[], totalAmount: number, count: number): string[] {
  const violations: string[] = [];
  if (shares.length !== count) violations.push(`${shares.length} shares, not ${count}`);
  shares.forEach((share, index) => {
    if (!Number.isSafeInteger(share) || share < 1) violations.push(`share ${index} is ${share}`);
  });
  const sum = shares.reduce((total, share) => total + share, 0);
  if (sum !== totalAmount) violations.push(`the shares sum to ${sum}, not ${totalAmount}`);
  return violations;
}

/**
 * What breaks the double-average rule: share i is at most floor(2 · leftBefore_i / sharesLeft_i), and every
 * draw was asked for exactly [1, min(that bound, leftBefore_i − (sharesLeft_i − 1))], once per share but the
 * last.
 */
function boundViolations(shares: readonly number[], totalAmount: number, draws: readonly Draw[]): string[] {
  const violations: string[] = [];
  const count = shares.length;
  if (draws.length !== count - 1) violations.push(`${draws.length} draws for ${count} shares`);
  let left = totalAmount;
  shares.forEach((share, index) => {
    const sharesLeft = count - index;
    const bound = Math.floor((2 * left) / sharesLeft);
    if (share > bound) violations.push(`share ${index} is ${share}, above floor(2·${left}/${sharesLeft})`);
    const draw = draws[index];
    const max = Math.min(bound, left - (sharesLeft - 1));
    if (index < count - 1 && (draw?.min !== 1 || draw.max !== max || draw.value !== share)) {
      violations.push(`draw ${index} was ${JSON.stringify(draw)}, expected [1, ${max}] giving ${share}`);
    }
    left -= share;
  });
  return violations;
}

/** Both at once: a valid split within the double-average bound. */
function randomSplitViolations(
  shares: readonly number[],
  totalAmount: number,
  count: number,
  draws: readonly Draw[],
): string[] {
  return [...splitViolations(shares, totalAmount, count), ...boundViolations(shares, totalAmount, draws)];
}

function failureOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('Function: splitEqually', () => {
  it('returns count shares of at least one unit summing exactly to the total', () => {
    // Act & Assert
    fc.assert(
      fc.property(split, ({ totalAmount, count }) => {
        expect(splitViolations(splitEqually(totalAmount, count), totalAmount, count)).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('returns shares that differ by at most one unit, the larger ones first', () => {
    // Act & Assert
    fc.assert(
      fc.property(split, ({ totalAmount, count }) => {
        const shares = splitEqually(totalAmount, count);
        const larger = Math.ceil(totalAmount / count);
        const smaller = Math.floor(totalAmount / count);
        // At most one unit apart, and never a larger share after a smaller one: [larger…, smaller…].
        const firstSmaller = shares.indexOf(smaller);
        const ordered = firstSmaller === -1 || shares.slice(firstSmaller).every((share) => share === smaller);
        expect({
          differenceOfAtMostOne: Math.max(...shares) - Math.min(...shares) <= 1,
          onlyTheTwoSizes: shares.every((share) => share === larger || share === smaller),
          largerFirst: ordered,
        }).toEqual({ differenceOfAtMostOne: true, onlyTheTwoSizes: true, largerFirst: true });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('returns 34, 33, 33 for 100 units in 3 shares', () => {
    // Act
    const shares = splitEqually(100, 3);

    // Assert
    expect(shares).toEqual([34, 33, 33]);
  });
});

describe('Function: splitRandomly', () => {
  it('returns a valid split within the double-average bound for a fast-check-driven random source', () => {
    // Act & Assert
    fc.assert(
      fc.property(split, fc.infiniteStream(fc.maxSafeNat()), ({ totalAmount, count }, numbers) => {
        const { randomInt, draws } = recording(streamSource(numbers));
        const shares = splitRandomly(totalAmount, count, randomInt);
        expect(randomSplitViolations(shares, totalAmount, count, draws)).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('returns a valid split within the double-average bound for the real secureRandomInt', () => {
    // Act & Assert
    fc.assert(
      fc.property(split, ({ totalAmount, count }) => {
        const { randomInt, draws } = recording(secureRandomInt);
        const shares = splitRandomly(totalAmount, count, randomInt);
        expect(randomSplitViolations(shares, totalAmount, count, draws)).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it.each([
    ['always the maximum', alwaysMax],
    ['always the minimum', alwaysMin],
  ])('returns a valid split within the bound when the source answers %s', (_name, source) => {
    // Act & Assert
    fc.assert(
      fc.property(split, ({ totalAmount, count }) => {
        const { randomInt, draws } = recording(source);
        const shares = splitRandomly(totalAmount, count, randomInt);
        expect(randomSplitViolations(shares, totalAmount, count, draws)).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('gives every share but the last one unit, and the last the rest, when the source answers the minimum', () => {
    // Act
    const shares = splitRandomly(1_000, 4, alwaysMin);

    // Assert
    expect(shares).toEqual([1, 1, 1, 997]);
  });

  it('never draws more than what leaves one unit per later share when the source answers the maximum', () => {
    // Act
    const shares = splitRandomly(5, 4, alwaysMax);

    // Assert: 2·5/4 = 2.5 would allow 2, but then 3 units for 3 shares: [2, 1, 1, 1]
    expect(shares).toEqual([2, 1, 1, 1]);
  });

  it('asks nothing of the random source for a single share', () => {
    // Arrange
    const { randomInt, draws } = recording(alwaysMax);

    // Act
    const shares = splitRandomly(1_000, 1, randomInt);

    // Assert
    expect(shares).toEqual([1_000]);
    expect(draws).toEqual([]);
  });

  it('throws when the random source answers outside [1, max] or not an integer', () => {
    // Arrange
    const badAnswers = fc.constantFrom<(max: number) => number>(
      (max) => max + 1,
      () => 0,
      () => -1,
      () => 1.5,
      () => Number.NaN,
      () => Number.POSITIVE_INFINITY,
    );
    const splitOfAtLeastTwo = split.filter(({ count }) => count >= 2);

    // Act & Assert
    fc.assert(
      fc.property(
        splitOfAtLeastTwo,
        badAnswers,
        fc.nat({ max: MAX_SHARES }),
        ({ totalAmount, count }, bad, at) => {
          // Sound answers (the minimum) until draw `at`, then a bad one.
          const badDraw = at % (count - 1);
          let draw = 0;
          const source: RandomInt = (min, max) => (draw++ === badDraw ? bad(max) : min);
          expect(() => splitRandomly(totalAmount, count, source)).toThrow(/outside \[1, \d+\]/);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('Function: splitGift', () => {
  it('splits equally or randomly by the distribution', () => {
    // Act
    const equal = splitGift(10, 3, 'equal', alwaysMax);
    const random = splitGift(10, 3, 'random', alwaysMin);

    // Assert
    expect(equal).toEqual([4, 3, 3]);
    expect(random).toEqual([1, 1, 8]);
  });
});

describe('Function: assertSplittable', () => {
  it('accepts every count from 1 to 100 that does not exceed the total', () => {
    // Act & Assert
    fc.assert(
      fc.property(split, ({ totalAmount, count }) => {
        expect(() => assertSplittable(totalAmount, count)).not.toThrow();
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it.each([
    ['0', 0],
    ['101', MAX_SHARES + 1],
    ['-1', -1],
    ['1.5', 1.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('throws VALIDATION_ERROR on count for a count of %s', (_label, count) => {
    // Act
    const error = failureOf(() => assertSplittable(1_000, count));

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { issues: [{ path: 'count', message: 'must be from 1 to 100' }] },
    });
  });

  it('throws VALIDATION_ERROR for every count above the total', () => {
    // Arrange
    const tooMany = fc
      .integer({ min: 1, max: MAX_SHARES - 1 })
      .chain((totalAmount) =>
        fc.integer({ min: totalAmount + 1, max: MAX_SHARES }).map((count) => ({ totalAmount, count })),
      );

    // Act & Assert
    fc.assert(
      fc.property(tooMany, ({ totalAmount, count }) => {
        const error = failureOf(() => assertSplittable(totalAmount, count));
        expect(error).toMatchObject({
          code: 'VALIDATION_ERROR',
          details: { issues: [{ path: 'count', message: 'must not exceed total_amount (in minor units)' }] },
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('is applied by both splits before any share is drawn', () => {
    // Arrange
    const { randomInt, draws } = recording(alwaysMax);

    // Act
    const equal = failureOf(() => splitEqually(5, 6));
    const random = failureOf(() => splitRandomly(1_000, 0, randomInt));

    // Assert
    expect(equal).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(random).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(draws).toEqual([]);
  });
});
