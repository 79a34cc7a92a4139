/**
 * The first page of a wallet's history, `GET /payments/v1/user/{userId}/transactions?limit=20` → 200 with
 * 20 entries, on a short history (SMALL_HISTORY entries) and a long one (LARGE_HISTORY by default): the
 * latency must not grow with the history (one Query on the wallet's history partition, newest first, with
 * `Limit`), and the read units per page show it does not read more either.
 *
 * Seeding, not measured: two users each get a wallet through a real card top-up (so the wallet, its
 * account and one history entry are the ledger's own). That entry, read back from the engine, is the
 * template: the history is filled with copies of it under fresh transfer ids and older times, keyed with
 * the ledger's key builder (`historyKey`), written with BatchWriteItem straight to the DynamoDB Local
 * engine (not counted), then counted back with a COUNT query before anything is measured. Only history
 * entries are written: the transfers and balances behind them are not read by this route.
 *
 * Measured: the two sizes at concurrency 1, DEPTH_REQUESTS requests each, alternating in ABBA rounds (each
 * round its own counted window, so each size has its own counters); then the standard runs, the long
 * history's first page at every level.
 */
import { type ResourceCounters, zeroCounters } from '../../local/metrics.js';
import { addCounters } from '../counters.js';
import { lowLevelClient } from '../dynamodb.js';
import { formatNumber } from '../format.js';
import { type BenchStack, countedWindow, measure, type RunResult } from '../harness.js';
import { type LoadResult, mergeLoads, runLoad, splitOps } from '../load.js';
import type { ScenarioResult, StackRunOptions, StackScenario, Table } from '../scenario.js';
import { summarizeLatencies } from '../stats.js';
import { callApi, waitForIdleProcess, waitForSilence } from './stack-http.js';
import { prepareUsers } from './topups.js';
import { type HistoryWallet, SEED_CONCURRENCY, seedWallet } from './wallet-history-seed.js';

export const SMALL_HISTORY = 100;
export const LARGE_HISTORY = 100_000;
/** First-page requests per history size in the comparison (at concurrency 1). */
export const DEPTH_REQUESTS = 200;
const PAGE = 20;
const ROUNDS = 4;
const QUIET_MS = 1_500;
const SETTLE_MAX_MS = 30_000;
/** After seeding: wait (at most this long) for this process to go idle (the table stream's reader catches up). */
const IDLE_MAX_MS = 120_000;

const describe = (large: number) =>
  `First page of a wallet's history: GET /payments/v1/user/{userId}/transactions?limit=${PAGE} → 200 with ${PAGE} entries, on a history of ${SMALL_HISTORY.toLocaleString('en-US')} and of ${large.toLocaleString('en-US')} entries (seeded); the standard runs read the long one; 1 op = 1 page`;

export const walletHistoryScenario: StackScenario = {
  kind: 'stack',
  name: 'wallet-history',
  description: describe(LARGE_HISTORY),
  defaults: { ops: 100, opsPerSlot: 2, concurrency: [1, 16, 64] },
  run: runWalletHistory,
};

export interface DepthSample {
  entries: number;
  load: LoadResult;
  counters: ResourceCounters;
}

/** Short history beside long: latencies, read units and requests per page, and the long/short ratios. */
export function depthTable(small: DepthSample, large: DepthSample): Table {
  const summary = (sample: DepthSample) =>
    sample.load.latenciesMs.length === 0 ? undefined : summarizeLatencies(sample.load.latenciesMs);
  const [s, l] = [summary(small), summary(large)];
  const pages = (sample: DepthSample) => sample.load.latenciesMs.length;
  const per = (sample: DepthSample, value: number) => (pages(sample) > 0 ? value / pages(sample) : undefined);
  const show = (value: number | undefined, digits = 2) => (value === undefined ? '–' : value.toFixed(digits));
  const ratioOf = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined || !(a > 0) ? '–' : formatNumber(Number((b / a).toPrecision(3)));
  const rows: [string, number | undefined, number | undefined, number][] = [
    ['p50 (ms)', s?.p50, l?.p50, 2],
    ['p99 (ms)', s?.p99, l?.p99, 2],
    ['mean (ms)', s?.mean, l?.mean, 2],
    [
      'DynamoDB read units per page',
      per(small, small.counters.dynamoReadUnits),
      per(large, large.counters.dynamoReadUnits),
      3,
    ],
    [
      'DynamoDB requests per page',
      per(small, small.counters.dynamoRequests),
      per(large, large.counters.dynamoRequests),
      3,
    ],
  ];
  return {
    header: [
      `first page (limit ${PAGE}), c=1`,
      `${small.entries.toLocaleString('en-US')} entries`,
      `${large.entries.toLocaleString('en-US')} entries`,
      'long / short',
    ],
    align: ['left', 'right', 'right', 'right'],
    rows: [
      [
        'pages read (errors)',
        `${pages(small)} (${small.load.errors})`,
        `${pages(large)} (${large.load.errors})`,
        '',
      ],
      ...rows.map(([label, a, b, digits]) => [label, show(a, digits), show(b, digits), ratioOf(a, b)]),
    ],
  };
}

/** One line for the report's summary. */
export function depthHighlight(small: DepthSample, large: DepthSample): string {
  const s = small.load.latenciesMs.length > 0 ? summarizeLatencies(small.load.latenciesMs) : undefined;
  const l = large.load.latenciesMs.length > 0 ? summarizeLatencies(large.load.latenciesMs) : undefined;
  if (s === undefined || l === undefined)
    return 'History depth: no first page was read on one of the histories.';
  const ratio = (a: number, b: number) => formatNumber(Number((b / a).toPrecision(3)));
  return `History depth: first page (limit ${PAGE}) p50 ${s.p50.toFixed(1)} ms at ${small.entries.toLocaleString('en-US')} entries vs ${l.p50.toFixed(1)} ms at ${large.entries.toLocaleString('en-US')} (×${ratio(s.p50, l.p50)}); p99 ${s.p99.toFixed(1)} vs ${l.p99.toFixed(1)} ms (×${ratio(s.p99, l.p99)}); read units per page ${formatNumber(small.counters.dynamoReadUnits / Math.max(1, small.load.latenciesMs.length))} vs ${formatNumber(large.counters.dynamoReadUnits / Math.max(1, large.load.latenciesMs.length))}.`;
}

async function runWalletHistory(stack: BenchStack, options: StackRunOptions): Promise<ScenarioResult> {
  const context = stack.context;
  if (context === undefined) throw new Error('wallet-history needs the HTTP API: start the full local stack');
  const largeEntries = options.largeHistory ?? LARGE_HISTORY;
  const nonce = Date.now().toString(36);
  options.progress('preparing 2 wallets (a card top-up each, not measured)…');
  const [smallUser, largeUser] = await prepareUsers(context, `history-${nonce}`, 2, 'wallet-history');
  if (smallUser === undefined || largeUser === undefined) throw new Error('wallet-history: no users');
  await waitForSilence(stack, QUIET_MS, SETTLE_MAX_MS);

  const client = lowLevelClient(stack.dynamoDb.engineEndpoint, SEED_CONCURRENCY * 2);
  const seeding: string[] = [];
  let small: HistoryWallet;
  let large: HistoryWallet;
  try {
    small = await seedWallet(
      context,
      client,
      stack.dynamoDb.tableName,
      smallUser,
      SMALL_HISTORY,
      `${nonce}s`,
      options,
      seeding,
    );
    large = await seedWallet(
      context,
      client,
      stack.dynamoDb.tableName,
      largeUser,
      largeEntries,
      `${nonce}l`,
      options,
      seeding,
    );
  } finally {
    client.destroy();
  }
  options.progress('waiting for this process to go idle (the table stream reader reads the seeded items)…');
  const idle = await waitForIdleProcess(IDLE_MAX_MS);
  seeding.push(
    `After seeding, the run waited ${(idle.waitedMs / 1000).toFixed(1)} s for this process to go idle (event-loop utilisation ${idle.utilization.toFixed(2)} at the end${idle.idle ? '' : ', still busy at the limit'}): the local table stream's reader reads every seeded item (and drops it: no outbox entry).`,
  );

  const firstPage = (wallet: HistoryWallet) => async () => {
    const page = await callApi<{ items?: unknown; nextCursor?: unknown }>(
      context,
      wallet.user,
      'GET',
      `/payments/v1/user/${encodeURIComponent(wallet.user.userId)}/transactions?limit=${PAGE}`,
      [200],
      'GET /payments/v1/user/{userId}/transactions',
    );
    if (!Array.isArray(page.items) || page.items.length !== PAGE || typeof page.nextCursor !== 'string') {
      throw new Error(
        `GET /payments/v1/user/{userId}/transactions: expected ${PAGE} entries and a cursor, got ${Array.isArray(page.items) ? page.items.length : 'no'} entries`,
      );
    }
  };

  options.progress(`${DEPTH_REQUESTS} first pages on each history at concurrency 1, alternating…`);
  await runLoad(firstPage(small), Math.min(options.warmup, PAGE), 1);
  await runLoad(firstPage(large), Math.min(options.warmup, PAGE), 1);
  const depth = { small: [] as LoadResult[], large: [] as LoadResult[] };
  const counted = { small: zeroCounters(), large: zeroCounters() };
  for (const [round, size] of splitOps(DEPTH_REQUESTS, ROUNDS).entries()) {
    const order: ('small' | 'large')[] = round % 2 === 0 ? ['small', 'large'] : ['large', 'small'];
    for (const which of order) {
      const window = await countedWindow(stack, undefined, () =>
        runLoad(firstPage(which === 'small' ? small : large), size, 1),
      );
      depth[which].push(window.value);
      counted[which] = addCounters(counted[which], window.counters);
    }
  }
  const smallSample: DepthSample = {
    entries: small.entries,
    load: mergeLoads(depth.small),
    counters: counted.small,
  };
  const largeSample: DepthSample = {
    entries: large.entries,
    load: mergeLoads(depth.large),
    counters: counted.large,
  };

  const runs: RunResult[] = [];
  for (const concurrency of options.concurrency) {
    const ops = options.opsAt(concurrency);
    options.progress(
      `${ops} first pages of the ${large.entries.toLocaleString('en-US')}-entry history at concurrency ${concurrency}…`,
    );
    runs.push(
      await measure(stack, walletHistoryScenario, firstPage(large), {
        ops,
        concurrency,
        warmup: options.warmup,
      }),
    );
  }

  return {
    scenario: walletHistoryScenario.name,
    description: describe(large.entries),
    runs,
    highlights: [depthHighlight(smallSample, largeSample)],
    leadSections: [
      {
        title: 'First page vs history size (must not grow with the history)',
        table: depthTable(smallSample, largeSample),
      },
    ],
    notes: [
      ...seeding,
      `Comparison: ${DEPTH_REQUESTS} first pages per history at concurrency 1 in ${ROUNDS} alternating rounds (short, long, long, short…), each round counted on its own; the standard tables below read the ${large.entries.toLocaleString('en-US')}-entry history.`,
      'The route reads the wallet (GetItem) and then one Query on the history partition, newest first, with Limit: DynamoDB reads the page and stops, whatever the partition holds; the read units per page are the check that does not depend on the machine.',
    ],
  };
}
