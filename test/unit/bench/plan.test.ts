import { DEFAULT_OPS, describePlan, MAX_OPS, opsAtLevel } from '../../../bench/plan.js';

describe('Function: opsAtLevel', () => {
  it('returns the command line count at every level when one is given', () => {
    // Arrange
    const plan = { ops: 24, opsPerSlot: 2 };

    // Act
    const counts = [1, 16, 64].map((c) => opsAtLevel(plan, 5, c));

    // Assert
    expect(counts).toEqual([5, 5, 5]);
  });

  it('returns the base count until the per-slot count is larger', () => {
    // Arrange
    const plan = { ops: 24, opsPerSlot: 1 };

    // Act
    const counts = [1, 16, 24, 64].map((c) => opsAtLevel(plan, undefined, c));

    // Assert
    expect(counts).toEqual([24, 24, 24, 64]);
  });

  it('rounds a fractional per-slot count up', () => {
    expect(opsAtLevel({ ops: 1, opsPerSlot: 1.5 }, undefined, 3)).toBe(5);
  });

  it('returns the default count when the scenario has no plan', () => {
    expect(opsAtLevel(undefined, undefined, 64)).toBe(DEFAULT_OPS);
  });

  it('never plans more than the maximum', () => {
    expect(opsAtLevel({ ops: 1, opsPerSlot: MAX_OPS }, undefined, 2)).toBe(MAX_OPS);
  });

  it.each([
    [{ ops: 0 }, undefined, 1],
    [{ ops: 1.5 }, undefined, 1],
    [{ ops: 1, opsPerSlot: -1 }, undefined, 1],
    [undefined, 0, 1],
    [undefined, undefined, 0],
  ])('throws a RangeError on %j, override %s, concurrency %s', (plan, override, concurrency) => {
    expect(() => opsAtLevel(plan, override, concurrency)).toThrow(RangeError);
  });
});

describe('Function: describePlan', () => {
  it('groups consecutive levels with the same count', () => {
    // Arrange
    const counts = [
      { concurrency: 1, ops: 24 },
      { concurrency: 16, ops: 24 },
      { concurrency: 64, ops: 64 },
    ];

    // Act
    const text = describePlan(counts);

    // Assert
    expect(text).toBe('24 at 1, 16; 64 at 64');
  });
});
