/**
 * The raw floor every flow is compared with: `TransactWriteItems` of two small Puts (fresh keys, each
 * conditioned on `attribute_not_exists`), sent straight to the DynamoDB Local engine the stack uses (not
 * through the counting proxy or the handlers' fault proxy), at the flows' concurrency levels, in the same
 * run: once before the flows and once after them, so the drift of a shared machine shows.
 *
 * The items live under their own `BENCH#raw#…` partitions, which no entity of the service reads, and carry
 * no `type` the table stream's consumer matches.
 */
import type { DynamoDBClient, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '../shared/infra/table.js';
import { lowLevelClient } from './dynamodb.js';
import { formatNumber } from './format.js';
import { committedPerSecond, type PathRun, ratio, toPathRun } from './ledger-bench.js';
import { runLoad } from './load.js';
import { type OpsPlan, opsAtLevel } from './plan.js';
import type { Align, Table } from './scenario.js';

/** Items in one baseline transaction. */
export const RAW_ITEMS = 2;
/** Transactions per level unless `--baseline-ops` says: 200, and 4 per slot in flight above that. */
export const BASELINE_PLAN: OpsPlan = { ops: 200, opsPerSlot: 4 };
/** Unmeasured transactions before the first measured level (DynamoDB Local is a JVM: its JIT warms up). */
export const BASELINE_WARMUP = 300;

/** The two Puts of one baseline transaction `id`, written at `createdAt`. */
export function rawPairItems(tableName: string, id: string, createdAt: string): TransactWriteItem[] {
  const put = (part: 'a' | 'b'): TransactWriteItem => ({
    Put: {
      TableName: tableName,
      Item: {
        [tableDefinition.partitionKey]: { S: `BENCH#raw#${id}` },
        [tableDefinition.sortKey]: { S: `BENCH#raw#${part}` },
        // About the size of a ledger item, so a unit of work is comparable.
        amount: { N: '100' },
        currency: { S: 'USD' },
        createdAt: { S: createdAt },
        note: { S: 'raw TransactWriteItems baseline of the benchmark' },
      },
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': tableDefinition.partitionKey },
    },
  });
  return [put('a'), put('b')];
}

/** One measurement of the baseline: a run per level. */
export interface BaselinePass {
  /** `before` the flows or `after` them. */
  when: 'before' | 'after';
  runs: PathRun[];
}

export interface RawBaseline {
  passes: BaselinePass[];
}

/**
 * Runs the baseline at each level against `endpoint` (the engine). The transactions never conflict (fresh
 * keys), so an error is a real failure: it is counted, not retried beyond the SDK's own retries.
 */
export async function measureRawBaseline(options: {
  endpoint: string;
  tableName: string;
  levels: readonly number[];
  when: BaselinePass['when'];
  /** Operations per level: `--baseline-ops`, else BASELINE_PLAN. */
  override?: number;
  warmup: number;
  progress(line: string): void;
}): Promise<BaselinePass> {
  const client = lowLevelClient(options.endpoint, Math.max(50, ...options.levels));
  const nonce = `${Date.now().toString(36)}-${options.when}`;
  let sequence = 0;
  const operation = async () => {
    sequence += 1;
    await send(client, rawPairItems(options.tableName, `${nonce}-${sequence}`, new Date().toISOString()));
  };
  try {
    if (options.warmup > 0) {
      const warm = await runLoad(operation, options.warmup, 8);
      if (warm.errors > 0) {
        throw new Error(`raw baseline: warm-up failed (${warm.errors}): ${warm.firstError ?? ''}`);
      }
    }
    const runs: PathRun[] = [];
    for (const concurrency of options.levels) {
      const ops = opsAtLevel(BASELINE_PLAN, options.override, concurrency);
      options.progress(
        `raw baseline (${options.when}): ${ops} TransactWriteItems at concurrency ${concurrency}…`,
      );
      runs.push(toPathRun(concurrency, ops, await runLoad(operation, ops, concurrency), 0));
    }
    return { when: options.when, runs };
  } finally {
    client.destroy();
  }
}

async function send(client: DynamoDBClient, items: TransactWriteItem[]): Promise<void> {
  await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
}

/**
 * Raw transactions per second at `concurrency`: the mean of the passes that measured that level (committed
 * transactions over wall time), or undefined when none did.
 */
export function rawRate(baseline: RawBaseline | undefined, concurrency: number): number | undefined {
  const rates = (baseline?.passes ?? [])
    .map((pass) => pass.runs.find((run) => run.concurrency === concurrency))
    .filter((run): run is PathRun => run !== undefined && run.ops > run.errors)
    .map(committedPerSecond);
  if (rates.length === 0) return undefined;
  return rates.reduce((sum, rate) => sum + rate, 0) / rates.length;
}

/** A flow's operations per second over the raw rate at the same level (undefined without a raw rate). */
export function ratioToRaw(
  opsPerSecond: number,
  baseline: RawBaseline | undefined,
  concurrency: number,
): number | undefined {
  const raw = rawRate(baseline, concurrency);
  return raw === undefined ? undefined : ratio(opsPerSecond, raw);
}

/** Every level any pass measured, ascending. */
export function baselineLevels(baseline: RawBaseline): number[] {
  return [...new Set(baseline.passes.flatMap((pass) => pass.runs.map((run) => run.concurrency)))].sort(
    (a, b) => a - b,
  );
}

/** Per level: each pass's rate, latencies and errors, the mean the ratios use, and after/before. */
export function baselineTable(baseline: RawBaseline): Table {
  const levels = baselineLevels(baseline);
  const at = (pass: BaselinePass, concurrency: number) =>
    pass.runs.find((run) => run.concurrency === concurrency);
  const cell = (run: PathRun | undefined, value: (run: PathRun) => string) =>
    run === undefined ? '–' : value(run);
  const before = baseline.passes.find((pass) => pass.when === 'before');
  const after = baseline.passes.find((pass) => pass.when === 'after');
  const rows: string[][] = [];
  for (const pass of baseline.passes) {
    rows.push([
      `TransactWriteItems/s, ${pass.when} the flows`,
      ...levels.map((c) => cell(at(pass, c), (run) => committedPerSecond(run).toFixed(0))),
    ]);
    rows.push([
      `  p50 / p99 (ms), ${pass.when}`,
      ...levels.map((c) => cell(at(pass, c), (run) => `${run.p50Ms.toFixed(2)} / ${run.p99Ms.toFixed(2)}`)),
    ]);
    rows.push([
      `  transactions (errors), ${pass.when}`,
      ...levels.map((c) => cell(at(pass, c), (run) => `${run.ops} (${run.errors})`)),
    ]);
  }
  rows.push([
    'TransactWriteItems/s used for the ratios (mean)',
    ...levels.map((c) => {
      const rate = rawRate(baseline, c);
      return rate === undefined ? '–' : rate.toFixed(0);
    }),
  ]);
  if (before !== undefined && after !== undefined) {
    rows.push([
      'after / before (drift of the machine)',
      ...levels.map((c) => {
        const first = at(before, c);
        const last = at(after, c);
        const drift =
          first === undefined || last === undefined
            ? undefined
            : ratio(committedPerSecond(last), committedPerSecond(first));
        return drift === undefined ? '–' : formatNumber(drift);
      }),
    ]);
  }
  return {
    header: [`raw ${RAW_ITEMS}-item TransactWriteItems`, ...levels.map((c) => `c=${c}`)],
    align: ['left', ...Array<Align>(levels.length).fill('right')],
    rows,
  };
}
