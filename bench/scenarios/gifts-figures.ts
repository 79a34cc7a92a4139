/**
 * The gifts scenario's figures, pure: how the opens are cut into gifts, what each gift's later expiry adds
 * per open, and the report's table (gifts.ts runs the scenario).
 */
import type { CounterName } from '../../local/metrics.js';
import { formatNumber, formatUsd } from '../format.js';
import type { RunResult } from '../harness.js';
import { prices, unitPrice } from '../prices.js';
import type { Align, Table } from '../scenario.js';
import { tally } from './common.js';
import { p50p99 } from './stack-http.js';

/** Shares per gift: the API's maximum, so one create is amortised over as many opens as it can be. */
export const SHARES_PER_GIFT = 100;

/**
 * What each gift's execution still does after the window, at `expires_at`: the Expire task (a Lambda that
 * reads the fully opened gift and writes its gift.expired to the outbox: one write unit), then the outbox
 * relay (a Lambda) puts that one event. Priced per gift below.
 */
export const EXPIRY_TRANSITIONS = 1;
export const EXPIRY_LAMBDA_REQUESTS = 2;
export const EXPIRY_EVENTS = 1;
export const EXPIRY_READ_UNITS = 1;
export const EXPIRY_WRITE_UNITS = 1;

export interface GiftRun {
  concurrency: number;
  /** Shares of each gift in the window. */
  gifts: readonly number[];
  create: readonly number[];
  open: readonly number[];
  openingMs: number;
  refused: ReadonlyMap<number, number>;
  /** Shares the gifts' own records show as opened, read after the window (outside it). */
  claimed: number;
  /** How long the counters counted: the window's work and the settling after it. */
  countedSeconds: number;
  run: RunResult;
}

/** Shares of each gift for `opens` opens: full gifts, the last one holding the remainder. */
export function giftSizes(opens: number, perGift = SHARES_PER_GIFT): number[] {
  if (!Number.isInteger(opens) || opens <= 0) throw new RangeError(`opens must be a positive integer`);
  const sizes = Array<number>(Math.floor(opens / perGift)).fill(perGift);
  if (opens % perGift > 0) sizes.push(opens % perGift);
  return sizes;
}

/** Dollars per million opens that the expiry of each gift adds later, outside the window. */
export function expiryUsdPerMillionOpens(gifts: number, opens: number): number {
  const perGift =
    EXPIRY_TRANSITIONS * unitPrice(prices.stepFunctionsStandardTransitions) +
    EXPIRY_LAMBDA_REQUESTS * unitPrice(prices.lambdaRequests) +
    EXPIRY_EVENTS * unitPrice(prices.eventBridgeCustomEvents) +
    EXPIRY_READ_UNITS * unitPrice(prices.dynamoDbReadRequestUnits) +
    EXPIRY_WRITE_UNITS * unitPrice(prices.dynamoDbWriteRequestUnits);
  return ((gifts * perGift) / opens) * 1_000_000;
}

/** `2 × 100 + 1 × 50`: how many gifts of each size. */
function giftCounts(sizes: readonly number[]): string {
  const counts = new Map<number, number>();
  for (const size of sizes) tally(counts, size);
  return [...counts.entries()].map(([size, gifts]) => `${gifts} × ${size}`).join(' + ');
}

function refusals(refused: ReadonlyMap<number, number>): string {
  if (refused.size === 0) return '0';
  return [...refused.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${count}× ${status}`)
    .join(', ');
}

/** Throughput, latency, contention, the counters per open and the cost, one column per level. */
export function giftsTable(runs: readonly GiftRun[]): Table {
  const align: Align[] = ['left', ...Array<Align>(runs.length).fill('right')];
  const per = (run: GiftRun, name: CounterName) => formatNumber(run.run.counters[name] / run.run.ops);
  const counterRows: [string, CounterName][] = [
    ['cancelled TransactWriteItems (conflicts retried)', 'dynamoTransactionsCancelled'],
    ['state transitions', 'stateTransitions'],
    ['executions started', 'executionsStarted'],
    ['Lambda invocations', 'lambdaInvocations'],
    ['API requests', 'apiRequests'],
    ['DynamoDB requests', 'dynamoRequests'],
    ['DynamoDB write units', 'dynamoWriteUnits'],
    ['DynamoDB read units', 'dynamoReadUnits'],
    ['events put', 'eventsPut'],
    ['Matrix requests', 'matrixRequests'],
  ];
  return {
    header: ['per open', ...runs.map((run) => `c=${run.concurrency}`)],
    align,
    rows: [
      ['gifts × shares in the window', ...runs.map((run) => giftCounts(run.gifts))],
      [
        'opens/s answered 200 (creates included)',
        ...runs.map((run) => (run.open.length / (run.run.elapsedMs / 1000)).toFixed(1)),
      ],
      [
        'opens/s answered 200, while opening (creates excluded)',
        ...runs.map((run) => (run.open.length / (run.openingMs / 1000)).toFixed(1)),
      ],
      [
        'shares claimed/s (window, settling included)',
        ...runs.map((run) => (run.claimed / run.countedSeconds).toFixed(1)),
      ],
      ['open: POST …/gift/{id}/open → 200, p50 / p99 (ms)', ...runs.map((run) => p50p99(run.open))],
      ['create: POST …/gift/create → 201, p50 / p99 (ms)', ...runs.map((run) => p50p99(run.create))],
      ['unexpected answers (HTTP status)', ...runs.map((run) => refusals(run.refused))],
      [
        'shares opened per the gifts (GET after the window)',
        ...runs.map((run) => `${run.claimed} of ${run.gifts.reduce((sum, shares) => sum + shares, 0)}`),
      ],
      ...counterRows.map(([label, name]) => [label, ...runs.map((run) => per(run, name))]),
      [
        '$ per 1M opens (window: creates + opens)',
        ...runs.map((run) => formatUsd(run.run.cost.totalUsdPerMillionOps)),
      ],
      [
        '$ per 1M opens, with the later expiry',
        ...runs.map((run) =>
          formatUsd(
            run.run.cost.totalUsdPerMillionOps + expiryUsdPerMillionOpens(run.gifts.length, run.run.ops),
          ),
        ),
      ],
    ],
  };
}
