import type { RawBaseline } from '../../../bench/baseline.js';
import type { BundleReport, FunctionBundle } from '../../../bench/bundles.js';
import { goalRows, goalTable, walletPaymentFloor } from '../../../bench/goals.js';
import { prices } from '../../../bench/prices.js';
import type { ScenarioResult } from '../../../bench/scenario.js';
import { runFixture } from '../../support/bench-run.js';

function scenario(name: string, runs: ScenarioResult['runs']): ScenarioResult {
  return { scenario: name, description: name, runs };
}

function baselineAt16(perSecond: number): RawBaseline {
  const run = {
    concurrency: 16,
    ops: perSecond,
    errors: 0,
    elapsedMs: 1_000,
    p50Ms: 1,
    p99Ms: 2,
    conflicts: 0,
  };
  return { passes: [{ when: 'before', runs: [run] }] };
}

function bundle(name: string, kib: number, values: Partial<FunctionBundle> = {}): FunctionBundle {
  return {
    name: name as FunctionBundle['name'],
    entry: `functions/${name}.ts`,
    bytes: kib * 1024,
    importMs: [],
    ...values,
  };
}

const row = (rows: ReturnType<typeof goalRows>, start: string) =>
  rows.find((r) => r.figure.startsWith(start));

describe('Function: walletPaymentFloor', () => {
  it('adds 1 API request, 1 Lambda request, 14 ledger write units and 1 event at list prices', () => {
    // Act
    const floor = walletPaymentFloor();

    // Assert: $1 + $0.20 + 14 × $0.625 + $1 per million
    expect(floor.usdPerMillion).toBeCloseTo(1 + 0.2 + 14 * 0.625 + 1, 6);
    expect(floor.parts.map((part) => part.label)).toEqual([
      '1 API request',
      '1 Lambda request',
      '14 write units',
      '1 event',
    ]);
  });

  it('follows the price table it is given', () => {
    const doubled = { ...prices, httpApiRequests: { ...prices.httpApiRequests, usd: 2 } };
    expect(walletPaymentFloor(doubled).usdPerMillion - walletPaymentFloor().usdPerMillion).toBeCloseTo(1, 6);
  });
});

describe('Function: goalRows', () => {
  it('reads each flow figure from its scenario and says whether the goal is met', () => {
    // Arrange: 10 payments that cost 2 API requests and 4 DynamoDB requests each; at c=16, 50 payments/s
    const noMfa = scenario('payments-no-mfa', [
      runFixture({ ops: 10, counters: { apiRequests: 20, dynamoRequests: 40 } }),
      runFixture({ concurrency: 16, ops: 100, elapsedMs: 2_000 }),
    ]);
    const mfa = scenario('payments-mfa', [runFixture({ ops: 10, counters: { dynamoRequests: 200 } })]);
    // 2 transitions per transfer at $0.025 per 1,000: $50 per million
    const p2p = scenario('p2p', [runFixture({ ops: 10, counters: { stateTransitions: 20 } })]);

    // Act
    const rows = goalRows({ scenarios: [noMfa, mfa, p2p], baseline: baselineAt16(100) });

    // Assert
    const floor = walletPaymentFloor().usdPerMillion;
    expect(row(rows, 'wallet payment below MFA')).toMatchObject({
      measured: `$2.00 = ${Number((2 / floor).toPrecision(3))}× floor $${floor.toFixed(2)}`,
      met: true,
    });
    expect(row(rows, 'P2P')).toMatchObject({ measured: '$50.00', met: false });
    expect(row(rows, 'DynamoDB requests per wallet payment')).toMatchObject({ measured: '4', met: true });
    expect(row(rows, 'DynamoDB requests per wallet payment with MFA')).toMatchObject({
      measured: '20',
      met: false,
    });
    expect(row(rows, 'wallet payments/s')).toMatchObject({ measured: '0.5', met: true });
  });

  it('compares the largest bundle with and without Stripe, health, and the import median and max', () => {
    // Arrange
    const stripe = [{ name: 'stripe', bytes: 241 * 1024 }];
    const bundles: BundleReport = {
      functions: [
        bundle('paymentRequest', 640, { contributors: stripe, importMs: [90, 110, 100] }),
        bundle('walletTopup', 600, { contributors: stripe, importMs: [80] }),
        bundle('walletBalance', 420, { importMs: [60] }),
        bundle('health', 90, { importMs: [20] }),
        { name: 'gifts', entry: 'functions/gifts.ts', importMs: [], error: 'bundling failed' },
      ],
      importRuns: 3,
      nodeVersion: 'v22.0.0',
      elapsedMs: 1,
    };

    // Act
    const rows = goalRows({ scenarios: [], bundles });

    // Assert
    expect(row(rows, 'largest bundle with Stripe')).toMatchObject({
      measured: '640 KiB (paymentRequest)',
      met: true,
    });
    expect(row(rows, 'largest bundle without Stripe')).toMatchObject({
      measured: '420 KiB (walletBalance)',
      met: false,
    });
    expect(row(rows, 'health bundle')).toMatchObject({ measured: '90 KiB (health)', met: true });
    // medians 100, 80, 60, 20: the nearest-rank median is 60, the max 100
    expect(row(rows, 'module import')).toMatchObject({ measured: '60 / 100 ms', met: true });
  });

  it('marks what the run did not measure as not measured, neither met nor missed', () => {
    // Act
    const rows = goalRows({ scenarios: [] });

    // Assert
    expect(rows).toHaveLength(9);
    for (const each of rows) {
      expect(each.measured).toBe('–');
      expect(each.met).toBeUndefined();
    }
    expect(goalTable(rows).rows.every((cells) => cells[3] === 'not measured')).toBe(true);
  });
});
