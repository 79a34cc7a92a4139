import { FaultPlan, FaultSettingsError, parseFaultSettings } from '../../../local/faults/plan.js';
import { deriveSeed, pick, randomInt, seededRandom, weighted } from '../../../local/faults/random.js';

const KINDS = ['throttle', 'conflict'] as const;

function draws<K extends string>(plan: FaultPlan<K>, n: number, eligible?: (kind: K) => boolean) {
  return Array.from({ length: n }, () => plan.draw(eligible));
}

describe('Function: seededRandom', () => {
  it('returns the same sequence for the same seed and another for another seed', () => {
    // Arrange
    const first = seededRandom(42);
    const again = seededRandom(42);
    const other = seededRandom(43);

    // Act
    const a = Array.from({ length: 5 }, first);
    const b = Array.from({ length: 5 }, again);
    const c = Array.from({ length: 5 }, other);

    // Assert
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (const value of a) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });

  it('spreads values evenly enough for rates to mean what they say', () => {
    // Arrange
    const random = seededRandom(7);

    // Act
    const below = Array.from({ length: 10_000 }, random).filter((value) => value < 0.3).length;

    // Assert
    expect(below).toBeGreaterThan(2_850);
    expect(below).toBeLessThan(3_150);
  });
});

describe('Function: deriveSeed', () => {
  it('returns a stable seed per label, different across labels', () => {
    // Act
    const one = deriveSeed(1, 'op', 3);
    const same = deriveSeed(1, 'op', 3);
    const next = deriveSeed(1, 'op', 4);

    // Assert
    expect(one).toBe(same);
    expect(one).not.toBe(next);
    expect(Number.isInteger(one) && one >= 0 && one <= 0xffffffff).toBe(true);
  });
});

describe('Functions: randomInt, pick, weighted', () => {
  it('stay within their bounds and honour zero weights', () => {
    // Arrange
    const random = seededRandom(9);

    // Act
    const ints = Array.from({ length: 500 }, () => randomInt(random, 3, 5));
    const picks = Array.from({ length: 500 }, () => pick(random, ['a', 'b']));
    const keys = Array.from({ length: 500 }, () => weighted(random, { x: 1, y: 0, z: 3 }));

    // Assert
    expect(new Set(ints)).toEqual(new Set([3, 4, 5]));
    expect(new Set(picks)).toEqual(new Set(['a', 'b']));
    expect(keys).not.toContain('y');
    expect(keys.filter((key) => key === 'z').length).toBeGreaterThan(
      keys.filter((key) => key === 'x').length,
    );
  });
});

describe('Class: FaultPlan', () => {
  describe('Method: draw', () => {
    it('injects nothing and draws nothing while every rate is zero', () => {
      // Arrange
      const plan = new FaultPlan(KINDS);

      // Act
      const drawn = draws(plan, 100);

      // Assert
      expect(drawn.every((kind) => kind === undefined)).toBe(true);
      expect(plan.enabled).toBe(false);
      expect(plan.snapshot()).toMatchObject({ decisions: 0, injected: { throttle: 0, conflict: 0 } });
    });

    it('hits about the configured fraction of requests, and the same ones again from the same seed', () => {
      // Arrange
      const plan = new FaultPlan(KINDS);
      plan.configure({ rates: { throttle: 0.2, conflict: 0.1 }, seed: 5 });

      // Act
      const first = draws(plan, 5_000);
      plan.configure({ rates: { throttle: 0.2, conflict: 0.1 }, seed: 5 });
      const replay = draws(plan, 5_000);

      // Assert
      expect(replay).toEqual(first);
      const throttled = first.filter((kind) => kind === 'throttle').length;
      const conflicted = first.filter((kind) => kind === 'conflict').length;
      expect(throttled).toBeGreaterThan(900);
      expect(throttled).toBeLessThan(1_100);
      expect(conflicted).toBeGreaterThan(420);
      expect(conflicted).toBeLessThan(580);
      expect(plan.snapshot()).toMatchObject({
        decisions: 5_000,
        injected: { throttle: throttled, conflict: conflicted },
      });
    });

    it('never returns a kind the request is not eligible for', () => {
      // Arrange
      const plan = new FaultPlan(KINDS);
      plan.configure({ rates: { conflict: 1 }, seed: 1 });

      // Act
      const drawn = draws(plan, 50, (kind) => kind === 'throttle');

      // Assert
      expect(drawn.every((kind) => kind === undefined)).toBe(true);
      expect(plan.snapshot().injected.conflict).toBe(0);
    });
  });

  describe('Method: configure', () => {
    it.each([
      [{ throttle: 1.5 }, 'in [0, 1]'],
      [{ throttle: 0.6, conflict: 0.6 }, 'at most 1'],
    ])('refuses rates %j with a FaultSettingsError', (rates, message) => {
      // Arrange
      const plan = new FaultPlan(KINDS);

      // Act
      const act = () => plan.configure({ rates, seed: 1 });

      // Assert
      expect(act).toThrow(FaultSettingsError);
      expect(act).toThrow(message);
    });
  });
});

describe('Function: parseFaultSettings', () => {
  it('reads rates and a seed, defaulting the seed to 1', () => {
    // Act
    const settings = parseFaultSettings(KINDS, { rates: { throttle: 0.1 } });

    // Assert
    expect(settings).toEqual({ rates: { throttle: 0.1 }, seed: 1 });
  });

  it.each([
    [undefined],
    [{ rates: { slow: 0.1 } }],
    [{ rates: { throttle: 'a lot' } }],
    [{ rates: {}, seed: -1 }],
    [{ rates: {}, extra: true }],
  ])('refuses %j with a FaultSettingsError naming the expected shape', (body) => {
    // Act
    const act = () => parseFaultSettings(KINDS, body);

    // Assert
    expect(act).toThrow(FaultSettingsError);
    expect(act).toThrow('"throttle"?: 0..1');
  });
});
