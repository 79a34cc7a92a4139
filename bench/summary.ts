/**
 * The report's first table: every flow at every concurrency level on one line each, with its latency,
 * throughput, the raw DynamoDB Local baseline at the same level (measured in the same run), the ratio of
 * the two, and the dollars per million operations. Pure.
 */
import { type RawBaseline, ratioToRaw, rawRate } from './baseline.js';
import { formatUsd } from './format.js';
import type { RunResult } from './harness.js';
import type { ScenarioResult, Table } from './scenario.js';

export interface FlowPoint {
  scenario: string;
  concurrency: number;
  ops: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  /** Operations that succeeded, per second of the run's wall time. */
  opsPerSecond: number;
  /** Raw 2-item TransactWriteItems per second at the same level (mean of the run's passes). */
  rawPerSecond?: number;
  /** opsPerSecond / rawPerSecond. */
  ratioToRaw?: number;
  usdPerMillionOps: number;
}

/** Successful operations per second of wall time (0 when the run took no time). */
export function succeededPerSecond(run: Pick<RunResult, 'ops' | 'errors' | 'elapsedMs'>): number {
  return run.elapsedMs > 0 ? (run.ops - run.errors) / (run.elapsedMs / 1000) : 0;
}

/** One point per scenario and level, in report order. */
export function flowPoints(
  scenarios: readonly ScenarioResult[],
  baseline: RawBaseline | undefined,
): FlowPoint[] {
  return scenarios.flatMap((scenario) =>
    scenario.runs.map((run): FlowPoint => {
      const opsPerSecond = succeededPerSecond(run);
      const raw = rawRate(baseline, run.concurrency);
      const ratio = ratioToRaw(opsPerSecond, baseline, run.concurrency);
      return {
        scenario: scenario.scenario,
        concurrency: run.concurrency,
        ops: run.ops,
        errors: run.errors,
        p50Ms: run.latency.p50,
        p99Ms: run.latency.p99,
        opsPerSecond,
        ...(raw === undefined ? {} : { rawPerSecond: raw }),
        ...(ratio === undefined ? {} : { ratioToRaw: ratio }),
        usdPerMillionOps: run.cost.totalUsdPerMillionOps,
      };
    }),
  );
}

/** Milliseconds with about three significant figures: 0.912, 12.4, 1234. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}

/** Operations per second: whole numbers from 100 up, three significant figures below. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '–';
  if (perSecond >= 100) return perSecond.toFixed(0);
  return perSecond === 0 ? '0' : String(Number(perSecond.toPrecision(3)));
}

/** The summary table: one row per flow and level. */
export function summaryTable(points: readonly FlowPoint[]): Table {
  return {
    header: [
      'flow',
      'c',
      'ops (errors)',
      'p50 (ms)',
      'p99 (ms)',
      'ops/s',
      'raw TWI/s',
      'ops/s ÷ raw',
      '$ per 1M ops',
    ],
    align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    rows: points.map((point) => [
      point.scenario,
      String(point.concurrency),
      `${point.ops} (${point.errors})`,
      formatMs(point.p50Ms),
      formatMs(point.p99Ms),
      formatRate(point.opsPerSecond),
      point.rawPerSecond === undefined ? '–' : formatRate(point.rawPerSecond),
      point.ratioToRaw === undefined ? '–' : formatRate(point.ratioToRaw),
      formatUsd(point.usdPerMillionOps),
    ]),
  };
}

/** `1h 02m 03s`, `4m 05s`, `6.1 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}h ${pad(m)}m ${pad(s)}s` : `${m}m ${pad(s)}s`;
}
