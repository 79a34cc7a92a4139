/**
 * Pure parts of the ledger benchmark: which wallets a transfer moves money between, the hand-built raw
 * TransactWriteItems it is compared with, transactional units from ConsumedCapacity, and the comparison
 * table. No I/O, no clock (time and randomness come in as arguments).
 */
import type { AttributeValue, ConsumedCapacity, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { accountKey, historyKey, transferKey } from '../shared/adapters/dynamodb/keys.js';
import { formatNumber, formatUsd } from './format.js';
import type { LoadResult } from './load.js';
import type { Align, Table } from './scenario.js';
import { summarizeLatencies } from './stats.js';

/** A deterministic pseudo-random source in [0, 1) (mulberry32), so a run's pairs can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface Pair {
  debit: number;
  credit: number;
}

/**
 * Picks the two wallets of a transfer as indexes into a pool of `poolSize` wallets: `spread` takes two
 * distinct wallets uniformly at random; `hot` always debits wallet 0 and credits one of the others.
 */
export function pairPicker(poolSize: number, mode: 'spread' | 'hot', random: () => number): () => Pair {
  if (!Number.isInteger(poolSize) || poolSize < 2) {
    throw new RangeError(`a transfer needs a pool of at least 2 wallets, got ${poolSize}`);
  }
  const below = (n: number) => Math.min(n - 1, Math.floor(random() * n));
  if (mode === 'hot') return () => ({ debit: 0, credit: 1 + below(poolSize - 1) });
  return () => {
    const debit = below(poolSize);
    // Uniform over the other poolSize - 1 wallets: skip over the debit one.
    const other = below(poolSize - 1);
    return { debit, credit: other >= debit ? other + 1 : other };
  };
}

export interface RawTransfer {
  tableName: string;
  transferId: string;
  /** Ledger account ids (`<wallet>.<currency>`) and the wallets whose history they are listed in. */
  debit: { accountId: string; historyOwner: string };
  credit: { accountId: string; historyOwner: string };
  amount: number;
  currency: string;
  createdAt: string;
}

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });

/**
 * The raw baseline: the same five items as one ledger transfer (the transfer put, both account updates,
 * both history puts), hand-built as low-level attribute values. The only condition is the transfer put's
 * `attribute_not_exists`; the account updates ADD the same balance deltas the ledger would (so the ledger
 * stays balanced), without the ledger's currency and available-funds conditions.
 */
export function rawTransferItems(transfer: RawTransfer): TransactWriteItem[] {
  const { tableName, transferId, debit, credit, amount, currency, createdAt } = transfer;
  const key = (k: { PK: string; SK: string }) => ({ PK: s(k.PK), SK: s(k.SK) });
  const account = (accountId: string, side: 'debit' | 'credit'): TransactWriteItem => ({
    Update: {
      TableName: tableName,
      Key: key(accountKey(accountId)),
      UpdateExpression:
        'ADD debitsPosted :dp, creditsPosted :cp, debitsPending :zero, creditsPending :zero, available :av, version :one',
      ExpressionAttributeValues: {
        ':dp': n(side === 'debit' ? amount : 0),
        ':cp': n(side === 'credit' ? amount : 0),
        ':zero': n(0),
        ':av': n(side === 'debit' ? -amount : amount),
        ':one': n(1),
      },
    },
  });
  const history = (
    side: 'debit' | 'credit',
    self: RawTransfer['debit'],
    other: RawTransfer['debit'],
  ): TransactWriteItem => ({
    Put: {
      TableName: tableName,
      Item: {
        ...key(historyKey(self.historyOwner, createdAt, transferId, side)),
        type: s('LedgerHistory'),
        transferId: s(transferId),
        accountId: s(self.accountId),
        currency: s(currency),
        direction: s(side),
        amount: n(amount),
        code: s('p2p'),
        status: s('posted'),
        counterpartyAccountId: s(other.accountId),
        createdAt: s(createdAt),
        metadata: { M: {} },
      },
    },
  });
  return [
    {
      Put: {
        TableName: tableName,
        Item: {
          ...key(transferKey(transferId)),
          type: s('LedgerTransfer'),
          version: n(1),
          id: s(transferId),
          transferType: s('post'),
          debitAccountId: s(debit.accountId),
          creditAccountId: s(credit.accountId),
          amount: n(amount),
          currency: s(currency),
          code: s('p2p'),
          createdAt: s(createdAt),
          metadata: { M: {} },
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    account(debit.accountId, 'debit'),
    account(credit.accountId, 'credit'),
    history('debit', debit, credit),
    history('credit', credit, debit),
  ];
}

/**
 * Write and read units of one transactional call as AWS bills them: DynamoDB Local reports standard units
 * through ReturnConsumedCapacity, and AWS bills two units per item in a transaction (the same rule as the
 * local stack's counting proxy).
 */
export function transactionalUnits(consumed: readonly ConsumedCapacity[] | undefined): {
  read: number;
  write: number;
} {
  let read = 0;
  let write = 0;
  for (const capacity of consumed ?? []) {
    read += capacity.ReadCapacityUnits ?? 0;
    write += capacity.WriteCapacityUnits ?? capacity.CapacityUnits ?? 0;
  }
  return { read: read * 2, write: write * 2 };
}

/** One concurrency level of one path (use case, raw, hot account). */
export interface PathRun {
  concurrency: number;
  ops: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  p50Ms: number;
  p99Ms: number;
  /** Transactions cancelled with TransactionConflict (each one retried, unless attempts ran out). */
  conflicts: number;
  /** Smallest and largest use-case/raw ratio over the interleaved rounds (set on use-case runs). */
  roundRatios?: { min: number; max: number };
  /** Units per committed transfer, where the path counts them. */
  writeUnitsPerOp?: number;
  readUnitsPerOp?: number;
}

/**
 * One path's figures from its load: latencies of the operations that succeeded (NaN when none did), the
 * conflicts it saw, and `units` (totals over the run) per committed transfer.
 */
export function toPathRun(
  concurrency: number,
  ops: number,
  load: LoadResult,
  conflicts: number,
  units?: { read: number; write: number },
): PathRun {
  const committed = ops - load.errors;
  const latency =
    load.latenciesMs.length === 0
      ? { p50: Number.NaN, p99: Number.NaN }
      : summarizeLatencies(load.latenciesMs);
  return {
    concurrency,
    ops,
    errors: load.errors,
    ...(load.firstError === undefined ? {} : { firstError: load.firstError }),
    elapsedMs: load.elapsedMs,
    p50Ms: latency.p50,
    p99Ms: latency.p99,
    conflicts,
    ...(units !== undefined && committed > 0
      ? { writeUnitsPerOp: units.write / committed, readUnitsPerOp: units.read / committed }
      : {}),
  };
}

/** Committed transfers per second: failures are not throughput. */
export function committedPerSecond(run: Pick<PathRun, 'ops' | 'errors' | 'elapsedMs'>): number {
  if (!(run.elapsedMs > 0)) return 0;
  return (run.ops - run.errors) / (run.elapsedMs / 1000);
}

/**
 * The smallest and largest ratio of `part`'s rate to `whole`'s, round by round (chunks run back to back,
 * so each pair saw the same machine): how far one run's ratio can be trusted. Undefined when no round has
 * a rate to compare with.
 */
export function roundRatioRange(
  part: readonly LoadResult[],
  whole: readonly LoadResult[],
): { min: number; max: number } | undefined {
  // Operations that succeeded are the latencies kept.
  const rate = (load: LoadResult) =>
    load.elapsedMs > 0 ? load.latenciesMs.length / (load.elapsedMs / 1000) : 0;
  const ratios = part
    .map((load, index) => {
      const other = whole[index];
      return other === undefined ? undefined : ratio(rate(load), rate(other));
    })
    .filter((value): value is number => value !== undefined);
  return ratios.length === 0 ? undefined : { min: Math.min(...ratios), max: Math.max(...ratios) };
}

/** `part / whole`, or undefined when the whole is not a positive number (nothing to compare with). */
export function ratio(part: number, whole: number): number | undefined {
  return whole > 0 && Number.isFinite(part) && Number.isFinite(whole) ? part / whole : undefined;
}

/** Conflicts per committed transfer. */
export function perCommitted(count: number, run: Pick<PathRun, 'ops' | 'errors'>): number | undefined {
  const committed = run.ops - run.errors;
  return committed > 0 ? count / committed : undefined;
}

export interface LedgerComparison {
  useCase: PathRun[];
  /** Raw TransactWriteItems straight to the engine. */
  raw: PathRun[];
  /** Dollars per unit, to turn units per transfer into dollars per million transfers. */
  writeUnitUsd: number;
  readUnitUsd: number;
}

const dash = '–';
const latencies = (run: PathRun) =>
  Number.isFinite(run.p50Ms) ? `${run.p50Ms.toFixed(2)} / ${run.p99Ms.toFixed(2)}` : dash;
const fixed = (digits: number) => (value: number | undefined) =>
  value === undefined ? dash : value.toFixed(digits);

/**
 * The headline table: per concurrency level, use-case transfers/s beside raw TransactWriteItems/s and their
 * ratio, latencies, conflicts, units and DynamoDB dollars per million transfers. `useCase` and `raw` must
 * hold the same concurrency levels in the same order.
 */
export function comparisonTable(comparison: LedgerComparison): Table {
  const { useCase, raw } = comparison;
  if (
    raw.length !== useCase.length ||
    useCase.some((run, index) => run.concurrency !== raw[index]?.concurrency)
  ) {
    throw new RangeError('use-case and raw runs must cover the same concurrency levels in the same order');
  }
  const pairs = useCase.map((run, index) => ({ uc: run, raw: raw[index] as PathRun }));
  const row = (label: string, cell: (pair: (typeof pairs)[number]) => string) => [label, ...pairs.map(cell)];
  const units = (value: number | undefined) => (value === undefined ? dash : formatNumber(value));
  return {
    header: ['', ...useCase.map((run) => `c=${run.concurrency}`)],
    align: ['left', ...Array<Align>(useCase.length).fill('right')],
    rows: [
      row('use case: transfers/s', ({ uc }) => committedPerSecond(uc).toFixed(0)),
      row('raw TransactWriteItems: transactions/s', (p) => committedPerSecond(p.raw).toFixed(0)),
      row('use case / raw', (p) => fixed(2)(ratio(committedPerSecond(p.uc), committedPerSecond(p.raw)))),
      row('  same, round by round (min–max)', ({ uc }) =>
        uc.roundRatios === undefined
          ? dash
          : `${uc.roundRatios.min.toFixed(2)}–${uc.roundRatios.max.toFixed(2)}`,
      ),
      row('use case p50 / p99 (ms)', ({ uc }) => latencies(uc)),
      row('raw p50 / p99 (ms)', (p) => latencies(p.raw)),
      row('use case: conflicts retried per transfer', ({ uc }) => fixed(3)(perCommitted(uc.conflicts, uc))),
      row('raw: conflicts retried per transaction', (p) => fixed(3)(perCommitted(p.raw.conflicts, p.raw))),
      row('errors (use case / raw)', (p) => `${p.uc.errors} / ${p.raw.errors}`),
      row('use case: write units per transfer', ({ uc }) => units(uc.writeUnitsPerOp)),
      row('use case: read units per transfer', ({ uc }) => units(uc.readUnitsPerOp)),
      row('raw: write units per transaction', (p) => units(p.raw.writeUnitsPerOp)),
      row('DynamoDB $ per 1M transfers (use case)', ({ uc }) =>
        uc.writeUnitsPerOp === undefined
          ? dash
          : formatUsd(
              1_000_000 *
                (uc.writeUnitsPerOp * comparison.writeUnitUsd +
                  (uc.readUnitsPerOp ?? 0) * comparison.readUnitUsd),
            ),
      ),
    ],
  };
}

/** The hot-account table: the use case with every transfer debiting one wallet, beside the spread run. */
export function hotAccountTable(hot: readonly PathRun[], spread: readonly PathRun[]): Table {
  const spreadAt = (concurrency: number) => spread.find((run) => run.concurrency === concurrency);
  return {
    header: ['', ...hot.map((run) => `c=${run.concurrency}`)],
    align: ['left', ...Array<Align>(hot.length).fill('right')],
    rows: [
      ['transfers/s', ...hot.map((run) => committedPerSecond(run).toFixed(0))],
      [
        'hot / spread (use case)',
        ...hot.map((run) => {
          const other = spreadAt(run.concurrency);
          return fixed(2)(
            other === undefined ? undefined : ratio(committedPerSecond(run), committedPerSecond(other)),
          );
        }),
      ],
      ['p50 / p99 (ms)', ...hot.map(latencies)],
      ['conflicts retried per transfer', ...hot.map((run) => fixed(3)(perCommitted(run.conflicts, run)))],
      ['errors', ...hot.map((run) => `${run.errors} of ${run.ops}`)],
    ],
  };
}
