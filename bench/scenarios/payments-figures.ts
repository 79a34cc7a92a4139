/**
 * The payment scenarios' figures, pure: how often the client polls, how many payers a level needs, what
 * one GET costs and the run's counters without the polls, and the two tables of the report
 * (payments.ts runs the scenarios, payments-client.ts makes the calls).
 */
import type { CounterName, ResourceCounters } from '../../local/metrics.js';
import { costPerMillionOperations } from '../cost.js';
import { mapCounters } from '../counters.js';
import { formatNumber, formatUsd } from '../format.js';
import type { RunResult } from '../harness.js';
import type { Align, Table } from '../scenario.js';
import { p50p99 } from './stack-http.js';

/** Under the velocity limit (default 10 payments an hour), with room to spare. */
export const PAYMENTS_PER_PAYER = 8;

/** Polling: never more often than every MIN_POLL_MS, never less often than every MAX_POLL_MS... */
export const MIN_POLL_MS = 5;
export const MAX_POLL_MS = 250;
/** ...first poll at this fraction of the typical wait, then every STEP fraction of it. */
export const FIRST_POLL_FRACTION = 0.8;
export const POLL_STEP_FRACTION = 0.05;
/** Weight of the newest wait in the running typical wait (exponentially weighted mean). */
export const TYPICAL_WEIGHT = 0.2;

/**
 * How long to wait before the next poll, `elapsedMs` after the client started waiting, given the typical
 * wait so far (undefined before the first one): with no history, back off by half the time waited; with
 * one, first poll at FIRST_POLL_FRACTION of the typical wait, then every POLL_STEP_FRACTION of it. Always
 * within MIN_POLL_MS and MAX_POLL_MS, except that the first poll may wait longer than MAX_POLL_MS.
 */
export function nextPollDelayMs(elapsedMs: number, typicalMs: number | undefined): number {
  const clamp = (ms: number) => Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, ms));
  if (typicalMs === undefined || !Number.isFinite(typicalMs) || typicalMs <= 0) return clamp(elapsedMs / 2);
  const firstAt = FIRST_POLL_FRACTION * typicalMs;
  if (elapsedMs < firstAt) return Math.max(MIN_POLL_MS, firstAt - elapsedMs);
  return clamp(POLL_STEP_FRACTION * typicalMs);
}

/** The running typical wait: the first sample, then an exponentially weighted mean. */
export function updateTypical(previous: number | undefined, sampleMs: number): number {
  if (previous === undefined) return sampleMs;
  return previous + TYPICAL_WEIGHT * (sampleMs - previous);
}

/**
 * Payers for `payments` payments at `concurrency`: at most `perPayer` payments each, and at least one
 * payer per payment in flight.
 */
export function payerPoolSize(payments: number, concurrency: number, perPayer: number): number {
  for (const [name, value] of Object.entries({ payments, concurrency, perPayer })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
  }
  return Math.max(concurrency, Math.ceil(payments / perPayer));
}

/**
 * Payments one payer may make without the velocity rule asking for MFA: the rule applies from
 * `velocityLimit` payments in the last hour on, so `velocityLimit` of them (at most PAYMENTS_PER_PAYER).
 */
export function paymentsPerPayer(velocityLimit: number): number {
  return Math.max(1, Math.min(PAYMENTS_PER_PAYER, Math.floor(velocityLimit)));
}

/** Milliseconds from `sentAtMs` (epoch) to the payment's `completedAt` (ISO 8601); throws if it has none. */
export function msUntilCompleted(sentAtMs: number, completedAt: unknown): number {
  const at = typeof completedAt === 'string' ? Date.parse(completedAt) : Number.NaN;
  if (Number.isNaN(at))
    throw new Error(`a Completed payment with no valid completedAt: ${String(completedAt)}`);
  return at - sentAtMs;
}

/**
 * What one GET costs, from a counted batch of `gets` GETs that lasted `seconds`: the batch's counters
 * less the idle background for that time (never below zero), divided by `gets`.
 */
export function perGetCounters(
  batch: ResourceCounters,
  idlePerSecond: ResourceCounters,
  seconds: number,
  gets: number,
): ResourceCounters {
  if (!Number.isInteger(gets) || gets < 1)
    throw new RangeError(`gets must be a positive integer, got ${gets}`);
  return mapCounters(batch, (name, value) => Math.max(0, value - idlePerSecond[name] * seconds) / gets);
}

/** `counters` less `polls` GETs of `perGet` each, never below zero. */
export function withoutPolls(
  counters: ResourceCounters,
  polls: number,
  perGet: ResourceCounters,
): ResourceCounters {
  if (!Number.isFinite(polls) || polls < 0) throw new RangeError(`polls must be non-negative, got ${polls}`);
  return mapCounters(counters, (name, value) => Math.max(0, value - polls * perGet[name]));
}

/** The steps of one payment, as the client sees them (milliseconds). */
export type Step = 'request' | 'challenge' | 'verify' | 'lifecycle' | 'total';

export const STEP_LABELS: Readonly<Record<Step, string>> = {
  request: 'request: POST …/payments/request → 201',
  challenge: 'challenge: POST …/mfa/challenge → 201',
  verify: 'verify: POST …/mfa/verify → 200',
  lifecycle: 'last answer → Completed (lifecycle)',
  total: 'request sent → Completed',
};

/** The samples of one counted run. */
export interface PaymentRun {
  concurrency: number;
  steps: Partial<Record<Step, number[]>>;
  /** GETs made while polling, in total. */
  polls: number;
  run: RunResult;
  /** What one GET costs (counted apart), and the run's counters before the polls were taken out. */
  perGet: ResourceCounters;
  withPolls: ResourceCounters;
}

/** Latency of each step (p50 / p99), throughput and the headline counters and cost, one column per level. */
export function headlineTable(runs: readonly PaymentRun[], steps: readonly Step[]): Table {
  const right = (n: number): Align[] => ['left', ...Array<Align>(n).fill('right')];
  const per = (run: PaymentRun, name: CounterName) => formatNumber(run.run.counters[name] / run.run.ops);
  const sfn = (run: PaymentRun) =>
    run.run.cost.lines.find((line) => line.price === 'stepFunctionsStandardTransitions')?.usdPerMillionOps ??
    0;
  const share = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(0)}%` : '–');
  return {
    header: ['per payment', ...runs.map((run) => `c=${run.concurrency}`)],
    align: right(runs.length),
    rows: [
      ['payments/s', ...runs.map((run) => run.run.opsPerSecond.toFixed(2))],
      ...steps.map((step) => [
        `${STEP_LABELS[step]}, p50 / p99 (ms)`,
        ...runs.map((run) => p50p99(run.steps[step])),
      ]),
      ['state transitions', ...runs.map((run) => per(run, 'stateTransitions'))],
      ['executions started', ...runs.map((run) => per(run, 'executionsStarted'))],
      ['Lambda invocations', ...runs.map((run) => per(run, 'lambdaInvocations'))],
      ['API requests', ...runs.map((run) => per(run, 'apiRequests'))],
      ['$ per 1M payments', ...runs.map((run) => formatUsd(run.run.cost.totalUsdPerMillionOps))],
      [
        '  of which Step Functions',
        ...runs.map(
          (run) => `${formatUsd(sfn(run))} (${share(sfn(run), run.run.cost.totalUsdPerMillionOps)})`,
        ),
      ],
    ],
  };
}

/** The client's polling, taken out of the tables above: how much of it there was and what it costs. */
export function pollingTable(runs: readonly PaymentRun[]): Table {
  const right = (n: number): Align[] => ['left', ...Array<Align>(n).fill('right')];
  const names: readonly CounterName[] = [
    'apiRequests',
    'lambdaInvocations',
    'lambdaGbSeconds',
    'dynamoRequests',
    'dynamoReadUnits',
  ];
  const polledCost = (run: PaymentRun) =>
    costPerMillionOperations(run.withPolls, run.run.ops).totalUsdPerMillionOps;
  return {
    header: ['', ...runs.map((run) => `c=${run.concurrency}`)],
    align: right(runs.length),
    rows: [
      ['GETs per payment (this client)', ...runs.map((run) => formatNumber(run.polls / run.run.ops))],
      ...names.map((name) => [`${name} per GET`, ...runs.map((run) => formatNumber(run.perGet[name]))]),
      [
        '$ per 1M GETs',
        ...runs.map((run) => formatUsd(costPerMillionOperations(run.perGet, 1).totalUsdPerMillionOps)),
      ],
      ['$ per 1M payments, polls included', ...runs.map((run) => formatUsd(polledCost(run)))],
    ],
  };
}
