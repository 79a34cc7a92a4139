import fc from 'fast-check';
import { costPerMillionOperations } from '../../../bench/cost.js';
import type { RunResult } from '../../../bench/harness.js';
import type { Table } from '../../../bench/scenario.js';
import {
  FIRST_POLL_FRACTION,
  headlineTable,
  MAX_POLL_MS,
  MIN_POLL_MS,
  msUntilCompleted,
  nextPollDelayMs,
  type PaymentRun,
  POLL_STEP_FRACTION,
  payerPoolSize,
  paymentsPerPayer,
  perGetCounters,
  pollingTable,
  updateTypical,
  withoutPolls,
} from '../../../bench/scenarios/payments-figures.js';
import { type ResourceCounters, zeroCounters } from '../../../local/metrics.js';

function counters(values: Partial<ResourceCounters> = {}): ResourceCounters {
  return { ...zeroCounters(), ...values };
}

function runResult(ops: number, counted: ResourceCounters, elapsedMs = 10_000): RunResult {
  return {
    scenario: 'payments-no-mfa',
    description: 'test',
    ops,
    concurrency: 1,
    errors: 0,
    elapsedMs,
    opsPerSecond: ops / (elapsedMs / 1000),
    latency: { p50: 1, p99: 2, max: 2, mean: 1 },
    counters: counted,
    backgroundEstimate: counters(),
    cost: costPerMillionOperations(counted, ops),
  };
}

function paymentRun(values: Partial<PaymentRun> = {}): PaymentRun {
  const counted = counters({ stateTransitions: 40, apiRequests: 10, lambdaInvocations: 30 });
  return {
    concurrency: 1,
    steps: { total: [100, 200, 300], request: [50, 60, 70], lifecycle: [40, 50, 60] },
    polls: 15,
    run: runResult(10, counted),
    perGet: counters({ apiRequests: 1, lambdaInvocations: 1 }),
    withPolls: counters({ stateTransitions: 40, apiRequests: 25, lambdaInvocations: 45 }),
    ...values,
  };
}

function cell(table: Table, label: string, column = 1): string | undefined {
  return table.rows.find((row) => row[0] === label)?.[column];
}

describe('Function: nextPollDelayMs', () => {
  it('backs off by half the time waited when there is no typical wait yet, within the bounds', () => {
    // Act & Assert
    expect(nextPollDelayMs(0, undefined)).toBe(MIN_POLL_MS);
    expect(nextPollDelayMs(100, undefined)).toBe(50);
    expect(nextPollDelayMs(10_000, undefined)).toBe(MAX_POLL_MS);
  });

  it('waits for the first poll until a fraction of the typical wait', () => {
    // Arrange
    const typical = 1_000;

    // Act & Assert
    expect(nextPollDelayMs(0, typical)).toBeCloseTo(FIRST_POLL_FRACTION * typical, 10);
    expect(nextPollDelayMs(300, typical)).toBeCloseTo(FIRST_POLL_FRACTION * typical - 300, 10);
  });

  it('then polls every step fraction of the typical wait, clamped', () => {
    // Act & Assert
    expect(nextPollDelayMs(900, 1_000)).toBeCloseTo(POLL_STEP_FRACTION * 1_000, 10);
    expect(nextPollDelayMs(50_000, 60_000)).toBe(MAX_POLL_MS);
    expect(nextPollDelayMs(30, 20)).toBe(MIN_POLL_MS);
  });

  it('treats a typical wait that is not a positive number as none', () => {
    // Act & Assert
    expect(nextPollDelayMs(100, 0)).toBe(nextPollDelayMs(100, undefined));
    expect(nextPollDelayMs(100, Number.NaN)).toBe(nextPollDelayMs(100, undefined));
  });

  it('never polls more often than MIN_POLL_MS, nor less often than MAX_POLL_MS after the first poll', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.option(fc.double({ min: 0.001, max: 1e6, noNaN: true }), { nil: undefined }),
        (elapsed, typical) => {
          // Act
          const delay = nextPollDelayMs(elapsed, typical);

          // Assert
          expect(delay).toBeGreaterThanOrEqual(MIN_POLL_MS);
          const beforeFirstPoll = typical !== undefined && elapsed < FIRST_POLL_FRACTION * typical;
          if (!beforeFirstPoll) expect(delay).toBeLessThanOrEqual(MAX_POLL_MS);
        },
      ),
    );
  });
});

describe('Function: updateTypical', () => {
  it('starts at the first sample, then moves a fifth of the way to each new one', () => {
    // Act
    const first = updateTypical(undefined, 100);
    const second = updateTypical(first, 200);

    // Assert
    expect(first).toBe(100);
    expect(second).toBeCloseTo(120, 10);
  });
});

describe('Function: payerPoolSize', () => {
  it('gives each payer at most perPayer payments, and one payer per payment in flight', () => {
    // Act & Assert
    expect(payerPoolSize(28, 1, 8)).toBe(4);
    expect(payerPoolSize(32, 1, 8)).toBe(4);
    expect(payerPoolSize(33, 1, 8)).toBe(5);
    expect(payerPoolSize(28, 16, 8)).toBe(16);
  });

  it('refuses counts that are not positive integers', () => {
    // Act & Assert
    expect(() => payerPoolSize(0, 1, 8)).toThrow(RangeError);
    expect(() => payerPoolSize(10, 1.5, 8)).toThrow(RangeError);
    expect(() => payerPoolSize(10, 1, 0)).toThrow(RangeError);
  });
});

describe('Function: paymentsPerPayer', () => {
  it('stays under the velocity limit, at most 8', () => {
    // Act & Assert
    expect(paymentsPerPayer(10)).toBe(8);
    expect(paymentsPerPayer(100)).toBe(8);
    expect(paymentsPerPayer(3)).toBe(3);
    expect(paymentsPerPayer(1)).toBe(1);
  });
});

describe('Function: msUntilCompleted', () => {
  it('measures from the moment the request was sent to completedAt', () => {
    // Arrange
    const sentAt = Date.parse('2026-11-21T23:05:23.300Z');

    // Act & Assert
    expect(msUntilCompleted(sentAt, '2026-11-21T23:05:25.637Z')).toBe(2_337);
  });

  it('throws when the payment has no valid completedAt', () => {
    // Act & Assert
    expect(() => msUntilCompleted(0, undefined)).toThrow(/completedAt/);
    expect(() => msUntilCompleted(0, 'yesterday')).toThrow(/completedAt/);
  });
});

describe('Function: perGetCounters', () => {
  it('takes the idle background out of the batch, never below zero, and divides by the GETs', () => {
    // Arrange
    const batch = counters({ apiRequests: 40, lambdaInvocations: 40, dynamoReadUnits: 40, sqsRequests: 3 });
    const idle = counters({ sqsRequests: 2 });

    // Act
    const perGet = perGetCounters(batch, idle, 2, 40);

    // Assert
    expect(perGet).toEqual(counters({ apiRequests: 1, lambdaInvocations: 1, dynamoReadUnits: 1 }));
  });

  it('refuses a batch of no GETs', () => {
    // Act & Assert
    expect(() => perGetCounters(counters(), counters(), 1, 0)).toThrow(RangeError);
  });
});

describe('Function: withoutPolls', () => {
  it('takes polls × the cost of one GET out of the counters, never below zero', () => {
    // Arrange
    const run = counters({
      apiRequests: 25,
      lambdaInvocations: 45,
      stateTransitions: 40,
      dynamoReadUnits: 2,
    });
    const perGet = counters({ apiRequests: 1, lambdaInvocations: 1, dynamoReadUnits: 1 });

    // Act
    const result = withoutPolls(run, 15, perGet);

    // Assert
    expect(result).toEqual(counters({ apiRequests: 10, lambdaInvocations: 30, stateTransitions: 40 }));
  });

  it('refuses a negative poll count', () => {
    // Act & Assert
    expect(() => withoutPolls(counters(), -1, counters())).toThrow(RangeError);
  });
});

describe('Function: headlineTable', () => {
  it('shows throughput, each step p50 / p99, the counters per payment and the Step Functions share', () => {
    // Act
    const table = headlineTable([paymentRun()], ['total', 'request']);

    // Assert
    expect(table.header).toEqual(['per payment', 'c=1']);
    expect(cell(table, 'payments/s')).toBe('1.00');
    expect(cell(table, 'request sent → Completed, p50 / p99 (ms)')).toBe('200 / 300');
    expect(cell(table, 'state transitions')).toBe('4.000');
    expect(cell(table, 'Lambda invocations')).toBe('3.000');
    // 4 transitions: $100 per million payments; 1 API request $1; 3 Lambda requests $0.60.
    expect(cell(table, '$ per 1M payments')).toBe('$101.6000');
    expect(cell(table, '  of which Step Functions')).toBe('$100.0000 (98%)');
  });

  it('shows a dash for a step with no samples', () => {
    // Act
    const table = headlineTable([paymentRun()], ['verify']);

    // Assert
    expect(cell(table, 'verify: POST …/mfa/verify → 200, p50 / p99 (ms)')).toBe('–');
  });
});

describe('Function: pollingTable', () => {
  it('shows GETs per payment, the cost of one GET and the cost per payment with the polls', () => {
    // Act
    const table = pollingTable([paymentRun()]);

    // Assert
    expect(cell(table, 'GETs per payment (this client)')).toBe('1.500');
    expect(cell(table, 'apiRequests per GET')).toBe('1.000');
    // One API request ($1) and one Lambda request ($0.20) per GET.
    expect(cell(table, '$ per 1M GETs')).toBe('$1.2000');
    // $101.60 + 1.5 GETs × $1.20.
    expect(cell(table, '$ per 1M payments, polls included')).toBe('$103.4000');
  });
});
