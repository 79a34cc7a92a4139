import {
  billedResources,
  costPerMillionOperations,
  InvalidOperationCountError,
  perOperation,
  unpricedCounters,
} from '../../../bench/cost.js';
import { runLoad } from '../../../bench/load.js';
import { type PriceKey, type PriceTable, prices, unitPrice } from '../../../bench/prices.js';
import { formatNumber, formatUsd } from '../../../bench/report.js';
import { percentile, summarizeLatencies } from '../../../bench/stats.js';
import { type CounterName, type ResourceCounters, zeroCounters } from '../../../local/metrics.js';

function counters(values: Partial<ResourceCounters> = {}): ResourceCounters {
  return { ...zeroCounters(), ...values };
}

function lineFor(breakdown: ReturnType<typeof costPerMillionOperations>, price: PriceKey) {
  const line = breakdown.lines.find((candidate) => candidate.price === price);
  if (line === undefined) throw new Error(`no line for ${price}`);
  return line;
}

describe('Constant: prices', () => {
  it.each(Object.entries(prices))(
    '%s names an official AWS pricing page, a date and a positive price',
    (_, price) => {
      // Assert
      expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\/[a-z0-9-]+\/pricing\//);
      expect(price.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(price.usd).toBeGreaterThan(0);
      expect(price.per).toBeGreaterThan(0);
    },
  );

  it('holds the us-east-1 list prices the cost model is built on', () => {
    // Assert
    expect(unitPrice(prices.lambdaRequests) * 1_000_000).toBeCloseTo(0.2, 10);
    expect(unitPrice(prices.httpApiRequests) * 1_000_000).toBeCloseTo(1, 10);
    expect(unitPrice(prices.stepFunctionsStandardTransitions) * 1_000_000).toBeCloseTo(25, 10);
    expect(unitPrice(prices.dynamoDbWriteRequestUnits) * 1_000_000).toBeCloseTo(0.625, 10);
    expect(unitPrice(prices.dynamoDbReadRequestUnits) * 1_000_000).toBeCloseTo(0.125, 10);
    expect(unitPrice(prices.eventBridgeCustomEvents) * 1_000_000).toBeCloseTo(1, 10);
    expect(unitPrice(prices.sqsFifoRequests) * 1_000_000).toBeCloseTo(0.5, 10);
    expect(unitPrice(prices.kmsRequests) * 1_000_000).toBeCloseTo(3, 10);
  });
});

describe('Function: costPerMillionOperations', () => {
  it('prices one million Lambda invocations at $0.20', () => {
    // Arrange
    const run = counters({ lambdaInvocations: 1_000_000 });

    // Act
    const breakdown = costPerMillionOperations(run, 1_000_000);

    // Assert
    expect(lineFor(breakdown, 'lambdaRequests').usdPerMillionOps).toBeCloseTo(0.2, 10);
    expect(breakdown.totalUsdPerMillionOps).toBeCloseTo(0.2, 10);
  });

  it('scales a small run to one million operations', () => {
    // Arrange: 500 operations, 2 state transitions and 3 write units each
    const run = counters({ stateTransitions: 1_000, dynamoWriteUnits: 1_500 });

    // Act
    const breakdown = costPerMillionOperations(run, 500);

    // Assert
    expect(lineFor(breakdown, 'stepFunctionsStandardTransitions').perOperation).toBe(2);
    expect(lineFor(breakdown, 'stepFunctionsStandardTransitions').usdPerMillionOps).toBeCloseTo(50, 8);
    expect(lineFor(breakdown, 'dynamoDbWriteRequestUnits').usdPerMillionOps).toBeCloseTo(1.875, 8);
  });

  it('prices Lambda duration in arm64 GB-seconds', () => {
    // Arrange: 0.25 GB for 100 ms per operation
    const run = counters({ lambdaGbSeconds: 0.025 * 1_000 });

    // Act
    const line = lineFor(costPerMillionOperations(run, 1_000), 'lambdaArmGbSeconds');

    // Assert
    expect(line.usdPerMillionOps).toBeCloseTo(0.025 * 1_000_000 * 0.0000133334, 8);
    expect(line.estimate).toMatch(/estimate/);
  });

  it('makes the total the sum of the parts', () => {
    // Arrange
    const run = counters({
      apiRequests: 100,
      lambdaInvocations: 300,
      lambdaGbSeconds: 7.5,
      stateTransitions: 400,
      dynamoReadUnits: 250,
      dynamoWriteUnits: 600,
      eventsPut: 200,
      sqsRequests: 300,
      kmsCalls: 100,
    });

    // Act
    const breakdown = costPerMillionOperations(run, 100);

    // Assert
    const sum = breakdown.lines.reduce((total, line) => total + line.usdPerMillionOps, 0);
    expect(breakdown.totalUsdPerMillionOps).toBeCloseTo(sum, 10);
    expect(breakdown.lines.every((line) => line.usdPerMillionOps > 0)).toBe(true);
  });

  it('gives one line per billed resource, in order, and prices nothing that AWS does not bill', () => {
    // Arrange
    const run = counters({
      stripeRequests: 10,
      matrixRequests: 10,
      executionsStarted: 10,
      dynamoRequests: 10,
    });

    // Act
    const breakdown = costPerMillionOperations(run, 10);

    // Assert
    expect(breakdown.lines.map((line) => line.price)).toEqual(
      billedResources.map((resource) => resource.price),
    );
    expect(breakdown.totalUsdPerMillionOps).toBe(0);
  });

  it('accounts for every counter: each is either priced or says why not', () => {
    // Arrange
    const priced = new Set<CounterName>(billedResources.map((resource) => resource.counter));

    // Act
    const missing = (Object.keys(counters()) as CounterName[]).filter(
      (name) => !priced.has(name) && unpricedCounters[name] === undefined,
    );

    // Assert
    expect(missing).toEqual([]);
  });

  it('uses the price table it is given', () => {
    // Arrange
    const doubled = Object.fromEntries(
      Object.entries(prices).map(([key, price]) => [key, { ...price, usd: price.usd * 2 }]),
    ) as PriceTable;

    // Act
    const breakdown = costPerMillionOperations(counters({ lambdaInvocations: 10 }), 10, doubled);

    // Assert
    expect(breakdown.totalUsdPerMillionOps).toBeCloseTo(0.4, 10);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects %p operations with a clear error', (operations) => {
    // Act & Assert
    expect(() => costPerMillionOperations(counters({ lambdaInvocations: 1 }), operations)).toThrow(
      InvalidOperationCountError,
    );
    expect(() => costPerMillionOperations(counters(), operations)).toThrow(
      /operations must be a positive integer/,
    );
  });

  it('rejects a negative counter', () => {
    // Act & Assert
    expect(() => costPerMillionOperations(counters({ kmsCalls: -1 }), 1)).toThrow(/kmsCalls/);
  });
});

describe('Function: perOperation', () => {
  it('divides every counter by the number of operations', () => {
    // Act
    const each = perOperation(counters({ apiRequests: 50, lambdaDurationMs: 125 }), 50);

    // Assert
    expect(each.apiRequests).toBe(1);
    expect(each.lambdaDurationMs).toBe(2.5);
    expect(each.kmsCalls).toBe(0);
  });

  it('rejects zero operations', () => {
    // Act & Assert
    expect(() => perOperation(counters(), 0)).toThrow(InvalidOperationCountError);
  });
});

describe('Function: percentile', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, index) => index + 1);

  it.each([
    [50, 50],
    [99, 99],
    [100, 100],
    [0, 1],
    [1, 1],
  ])('gives the nearest-rank p%p of 1..100 as %p', (p, expected) => {
    // Act & Assert
    expect(percentile(oneToHundred, p)).toBe(expected);
  });

  it('sorts numerically without changing its input', () => {
    // Arrange
    const values = [10, 9, 100, 2];

    // Act
    const median = percentile(values, 50);

    // Assert
    expect(median).toBe(9);
    expect(values).toEqual([10, 9, 100, 2]);
  });

  it('returns the only value of a one-element list for every p', () => {
    // Act & Assert
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
  });

  it('throws on an empty list or a p outside 0 to 100', () => {
    // Act & Assert
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('Function: summarizeLatencies', () => {
  it('gives p50, p99, max and mean', () => {
    // Act
    const summary = summarizeLatencies([4, 1, 3, 2]);

    // Assert
    expect(summary).toEqual({ p50: 2, p99: 4, max: 4, mean: 2.5 });
  });
});

describe('Function: runLoad', () => {
  it('runs each index once, never more than `concurrency` at a time', async () => {
    // Arrange
    const seen: number[] = [];
    let inFlight = 0;
    let peak = 0;
    const operation = async (index: number) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(index);
      inFlight -= 1;
    };

    // Act
    const result = await runLoad(operation, 20, 4);

    // Assert
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index));
    expect(peak).toBe(4);
    expect(result.latenciesMs).toHaveLength(20);
    expect(result.errors).toBe(0);
  });

  it('counts failures and keeps the first message', async () => {
    // Arrange
    const operation = async (index: number) => {
      if (index % 5 === 0) throw new Error(`boom ${index}`);
    };

    // Act
    const result = await runLoad(operation, 10, 1);

    // Assert
    expect(result.errors).toBe(2);
    expect(result.firstError).toBe('boom 0');
    expect(result.latenciesMs).toHaveLength(8);
  });

  it('rejects zero operations or zero concurrency', async () => {
    // Act & Assert
    await expect(runLoad(async () => undefined, 0, 1)).rejects.toThrow(RangeError);
    await expect(runLoad(async () => undefined, 1, 0)).rejects.toThrow(RangeError);
  });
});

describe('Function: formatNumber and formatUsd', () => {
  it('keeps small figures readable', () => {
    // Act & Assert
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(1)).toBe('1.000');
    expect(formatNumber(0.00953)).toBe('0.00953');
    expect(formatNumber(217.24)).toBe('217.2');
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(0.2)).toBe('$0.2000');
    expect(formatUsd(0.0000123)).toBe('$0.000012');
  });
});
