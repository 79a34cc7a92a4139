/**
 * The goals table of issue #15: each figure, its goal, the value this run measured, and whether it is met.
 * Pure: it reads the run's results (scenarios, raw baseline, bundles) and the list prices of prices.ts. A
 * figure the run did not measure (its scenario was not chosen, or bundles were skipped) says so and is
 * neither met nor missed.
 */
import { type RawBaseline, rawRate } from './baseline.js';
import { type BundleReport, type FunctionBundle, median } from './bundles.js';
import type { RunResult } from './harness.js';
import { type PriceTable, prices, unitPrice } from './prices.js';
import type { ScenarioResult, Table } from './scenario.js';
import { succeededPerSecond } from './summary.js';

/**
 * The items of a wallet payment's one ledger transaction (../shared/DESIGN.md, Lifecycles and the ledger):
 * the payment's state, the ledger transfer, the payer's and the merchant's accounts, their two history
 * entries, and the outbox event. Each is under 1 KB, and a transactional write bills 2 units per item and KB.
 */
export const WALLET_PAYMENT_LEDGER_ITEMS = 7;
export const WRITE_UNITS_PER_TRANSACTION_ITEM = 2;

/** The concurrency at which the throughput goal is read. */
export const THROUGHPUT_GOAL_CONCURRENCY = 16;

export interface Floor {
  /** Dollars per million wallet payments, and each part of it. */
  usdPerMillion: number;
  parts: { label: string; usdPerMillion: number }[];
}

/**
 * The least a wallet payment below the MFA threshold can cost at list prices: one API request, one Lambda
 * request, the write units of its ledger transaction, one event.
 */
export function walletPaymentFloor(table: PriceTable = prices): Floor {
  const million = (key: keyof PriceTable, units: number) => units * 1_000_000 * unitPrice(table[key]);
  const writeUnits = WALLET_PAYMENT_LEDGER_ITEMS * WRITE_UNITS_PER_TRANSACTION_ITEM;
  const parts = [
    { label: '1 API request', usdPerMillion: million('httpApiRequests', 1) },
    { label: '1 Lambda request', usdPerMillion: million('lambdaRequests', 1) },
    { label: `${writeUnits} write units`, usdPerMillion: million('dynamoDbWriteRequestUnits', writeUnits) },
    { label: '1 event', usdPerMillion: million('eventBridgeCustomEvents', 1) },
  ];
  return { usdPerMillion: parts.reduce((sum, part) => sum + part.usdPerMillion, 0), parts };
}

export interface GoalRow {
  figure: string;
  goal: string;
  /** What this run measured, or '–'. */
  measured: string;
  /** Undefined: not measured in this run. */
  met?: boolean;
}

export interface GoalInputs {
  scenarios: readonly ScenarioResult[];
  baseline?: RawBaseline;
  bundles?: BundleReport;
}

/** Dollars to the cent: the goals are in whole dollars. */
const formatUsd = (usd: number) => `$${usd.toFixed(2)}`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const ratio = (value: number) => String(Number(value.toPrecision(3)));

/** The run a per-operation figure is read from: the lowest concurrency level that completed operations. */
function firstRun(inputs: GoalInputs, scenario: string): RunResult | undefined {
  const runs = inputs.scenarios.find((result) => result.scenario === scenario)?.runs ?? [];
  return [...runs].filter((run) => run.ops > 0).sort((a, b) => a.concurrency - b.concurrency)[0];
}

function notMeasured(figure: string, goal: string): GoalRow {
  return { figure, goal, measured: '–' };
}

function atMost(figure: string, goal: number, value: number | undefined, show: (n: number) => string) {
  return value === undefined
    ? notMeasured(figure, `≤ ${show(goal)}`)
    : { figure, goal: `≤ ${show(goal)}`, measured: show(value), met: value <= goal };
}

function walletCostRow(inputs: GoalInputs): GoalRow {
  const figure = 'wallet payment below MFA, $ per 1M';
  const floor = walletPaymentFloor();
  const goal = `≤ 2× floor (${formatUsd(floor.usdPerMillion)}: ${floor.parts.map((part) => part.label).join(' + ')})`;
  const run = firstRun(inputs, 'payments-no-mfa');
  if (run === undefined) return notMeasured(figure, goal);
  const times = run.cost.totalUsdPerMillionOps / floor.usdPerMillion;
  return {
    figure,
    goal,
    measured: `${formatUsd(run.cost.totalUsdPerMillionOps)} = ${ratio(times)}× floor ${formatUsd(floor.usdPerMillion)}`,
    met: times <= 2,
  };
}

function requestsPerPayment(inputs: GoalInputs, scenario: string): number | undefined {
  const run = firstRun(inputs, scenario);
  return run === undefined ? undefined : run.counters.dynamoRequests / run.ops;
}

function throughputRow(inputs: GoalInputs): GoalRow {
  const figure = `wallet payments/s ÷ raw 2-item TransactWriteItems/s, c=${THROUGHPUT_GOAL_CONCURRENCY}`;
  const run = inputs.scenarios
    .find((result) => result.scenario === 'payments-no-mfa')
    ?.runs.find((candidate) => candidate.concurrency === THROUGHPUT_GOAL_CONCURRENCY);
  const raw = rawRate(inputs.baseline, THROUGHPUT_GOAL_CONCURRENCY);
  if (run === undefined || raw === undefined || raw <= 0) return notMeasured(figure, '≥ 0.25');
  const value = succeededPerSecond(run) / raw;
  return { figure, goal: '≥ 0.25', measured: ratio(value), met: value >= 0.25 };
}

const carriesStripe = (bundle: FunctionBundle) =>
  (bundle.contributors ?? []).some((contributor) => contributor.name === 'stripe');

function largest(bundles: readonly FunctionBundle[]): FunctionBundle | undefined {
  return [...bundles].sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0))[0];
}

function bundleRows(report: BundleReport | undefined): GoalRow[] {
  const built = (report?.functions ?? []).filter((bundle) => bundle.bytes !== undefined);
  const sizeRow = (figure: string, goalKib: number, bundle: FunctionBundle | undefined): GoalRow =>
    bundle?.bytes === undefined
      ? notMeasured(figure, `≤ ${goalKib} KiB`)
      : {
          figure,
          goal: `≤ ${goalKib} KiB`,
          measured: `${kib(bundle.bytes)} (${bundle.name})`,
          met: bundle.bytes <= goalKib * 1024,
        };
  const medians = built
    .map((bundle) => median(bundle.importMs))
    .filter((value): value is number => value !== undefined);
  const importFigure = 'module import (cold-start proxy), median / max of the functions';
  return [
    sizeRow('largest bundle with Stripe', 650, largest(built.filter(carriesStripe))),
    sizeRow('largest bundle without Stripe', 400, largest(built.filter((bundle) => !carriesStripe(bundle)))),
    sizeRow(
      'health bundle',
      100,
      built.find((bundle) => bundle.name === 'health'),
    ),
    medians.length === 0
      ? notMeasured(importFigure, '≤ 100 / 150 ms')
      : {
          figure: importFigure,
          goal: '≤ 100 / 150 ms',
          measured: `${(median(medians) ?? 0).toFixed(0)} / ${Math.max(...medians).toFixed(0)} ms`,
          met: (median(medians) ?? 0) <= 100 && Math.max(...medians) <= 150,
        },
  ];
}

/** Every goal of #15, in the order. */
export function goalRows(inputs: GoalInputs): GoalRow[] {
  const p2p = firstRun(inputs, 'p2p');
  return [
    walletCostRow(inputs),
    atMost('P2P initiate + accept, $ per 1M', 40, p2p?.cost.totalUsdPerMillionOps, formatUsd),
    atMost('DynamoDB requests per wallet payment', 6, requestsPerPayment(inputs, 'payments-no-mfa'), ratio),
    atMost(
      'DynamoDB requests per wallet payment with MFA',
      14,
      requestsPerPayment(inputs, 'payments-mfa'),
      ratio,
    ),
    throughputRow(inputs),
    ...bundleRows(inputs.bundles),
  ];
}

export function goalTable(rows: readonly GoalRow[]): Table {
  return {
    header: ['#15 goal', 'goal', 'this run', 'met'],
    align: ['left', 'left', 'right', 'left'],
    rows: rows.map((row) => [
      row.figure,
      row.goal,
      row.measured,
      row.met === undefined ? 'not measured' : row.met ? 'met' : 'NOT met',
    ]),
  };
}
