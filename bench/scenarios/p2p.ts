/**
 * P2P transfers end to end, over the local HTTP API: the sender initiates ($1 to a room member), the
 * recipient accepts, and the transfer's Step Functions execution settles. One operation = one transfer, from
 * the initiate request until its execution has SUCCEEDED; the counted window holds everything the transfer
 * started (the execution, the events it publishes and their targets, the Matrix messages), because the
 * harness waits for the counters to settle before it reads them.
 *
 * Per concurrency level: a fresh pool of sender/recipient pairs (one pair per transfer in flight), each
 * sender funded by a card top-up, both joined to the pair's room: none of that is measured. Then a short
 * warm-up and the counted run.
 *
 * Latency is read from the execution itself: its stopDate (the stack runs in this process, same clock)
 * minus the moment the initiate request was sent, so it does not depend on how often the client polls. The
 * client polls `GET /local/executions/{transfer_id}`, a local helper route that no counter sees, so the
 * per-transfer counters need no polling correction. Every loop is bounded by a count or a deadline.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_LOCAL_JWT_SECRET } from '../../local/auth.js';
import type { CounterName } from '../../local/metrics.js';
import { formatNumber, formatUsd } from '../format.js';
import { type BenchStack, countedWindow, type RunResult, toRunResult } from '../harness.js';
import { type LoadResult, runLoad, sleep } from '../load.js';
import type {
  Align,
  ScenarioContext,
  ScenarioResult,
  StackRunOptions,
  StackScenario,
  Table,
} from '../scenario.js';
import { type BenchUser, benchUser, CURRENCY, cardTopUp, joinRoom } from './common.js';
import { callApi, p50p99, waitForSilence } from './stack-http.js';

/** Minor units: $1 a transfer. */
const AMOUNT = 100;
/** Each sender's wallet is topped up with $100 first; a run takes far less from it. */
const FUNDING = 10_000;
/** At most this many transfers per pair (half its funding), so no sender runs dry. */
const TRANSFERS_PER_PAIR = FUNDING / AMOUNT / 2;
/** Top-ups and room joins in flight at once while a pool is prepared. */
const PREPARE_CONCURRENCY = 4;
/** Unmeasured transfers before each counted run, at most (`--warmup` lowers it; 0 skips it). */
const WARMUP_CAP = 1;
const SETTLE_TIMEOUT_MS = 30_000;
const POLL_MS = 10;
const REQUEST_TIMEOUT_MS = 30_000;
/** After the pools are prepared: wait for this long without any counter moving (top-up webhooks retry). */
const PREPARED_QUIET_MS = 1_500;
const PREPARED_SETTLE_MAX_MS = 20_000;
/** Longest wait after the last transfer for what it started before the counters are read. */
const SETTLE_MS = 5_000;

const DESCRIPTION =
  'P2P transfer of $1 between two members of a room: POST /wallet/v1/p2p/initiate → 201, recipient POST /wallet/v1/p2p/{id}/accept → 200, then wait for the execution to SUCCEED; 1 op = 1 transfer, initiate to settled';

export const p2pScenario: StackScenario = {
  kind: 'stack',
  name: 'p2p',
  description: DESCRIPTION,
  defaults: { ops: 12, opsPerSlot: 1, concurrency: [1, 16, 64] },
  run: (stack, options) => runP2p(stack, options),
};

type User = BenchUser;

interface Pair {
  sender: User;
  recipient: User;
  roomId: string;
}

type Step = 'initiate' | 'accept' | 'settle' | 'total';

const STEP_LABELS: Readonly<Record<Step, string>> = {
  initiate: 'initiate: POST …/p2p/initiate → 201',
  accept: 'accept: POST …/p2p/{id}/accept → 200',
  settle: 'accept answered → execution SUCCEEDED',
  total: 'initiate sent → settled',
};

interface Recorder {
  steps: Partial<Record<Step, number[]>>;
  polls: number;
}

interface P2pRun {
  concurrency: number;
  steps: Partial<Record<Step, number[]>>;
  polls: number;
  run: RunResult;
}

function record(recorder: Recorder, step: Step, ms: number): void {
  const samples = recorder.steps[step] ?? [];
  samples.push(ms);
  recorder.steps[step] = samples;
}

/** Latency of each step, throughput, the counters per transfer and the cost, one column per level. */
export function p2pTable(runs: readonly P2pRun[]): Table {
  const align: Align[] = ['left', ...Array<Align>(runs.length).fill('right')];
  const per = (run: P2pRun, name: CounterName) => formatNumber(run.run.counters[name] / run.run.ops);
  const steps: Step[] = ['total', 'initiate', 'accept', 'settle'];
  return {
    header: ['per transfer', ...runs.map((run) => `c=${run.concurrency}`)],
    align,
    rows: [
      ['transfers/s', ...runs.map((run) => run.run.opsPerSecond.toFixed(2))],
      ...steps.map((step) => [
        `${STEP_LABELS[step]}, p50 / p99 (ms)`,
        ...runs.map((run) => p50p99(run.steps[step])),
      ]),
      ['state transitions', ...runs.map((run) => per(run, 'stateTransitions'))],
      ['executions started', ...runs.map((run) => per(run, 'executionsStarted'))],
      ['Lambda invocations', ...runs.map((run) => per(run, 'lambdaInvocations'))],
      ['API requests', ...runs.map((run) => per(run, 'apiRequests'))],
      ['DynamoDB write units', ...runs.map((run) => per(run, 'dynamoWriteUnits'))],
      ['DynamoDB read units', ...runs.map((run) => per(run, 'dynamoReadUnits'))],
      ['events put', ...runs.map((run) => per(run, 'eventsPut'))],
      ['Matrix requests', ...runs.map((run) => per(run, 'matrixRequests'))],
      ['$ per 1M transfers', ...runs.map((run) => formatUsd(run.run.cost.totalUsdPerMillionOps))],
      [
        'client polls of /local/executions (not counted)',
        ...runs.map((run) => formatNumber(run.polls / run.run.ops)),
      ],
    ],
  };
}

async function runP2p(stack: BenchStack, options: StackRunOptions): Promise<ScenarioResult> {
  const context = stack.context;
  if (context === undefined) throw new Error('p2p needs the HTTP API: start the full local stack');
  const nonce = Date.now().toString(36);
  const warmup = Math.min(options.warmup, WARMUP_CAP);

  // Every level's pairs first, so the top-ups' provider webhooks (retried with backoff) stay out of the
  // counted windows.
  const pools: Pair[][] = [];
  for (const concurrency of options.concurrency) {
    const pairs = Math.max(
      concurrency,
      Math.ceil((warmup + options.opsAt(concurrency)) / TRANSFERS_PER_PAIR),
    );
    pools.push(await preparePairs(context, `${nonce}-c${concurrency}`, pairs, options));
  }
  await waitForSilence(stack, PREPARED_QUIET_MS, PREPARED_SETTLE_MAX_MS);

  const runs: P2pRun[] = [];
  for (const [level, concurrency] of options.concurrency.entries()) {
    const pairs = pools[level] ?? [];
    let next = 0;
    const operation = (recorder: Recorder) => async () => {
      const pair = pairs[next % pairs.length] as Pair;
      next += 1;
      await transfer(context, pair, recorder);
    };

    if (warmup > 0) {
      const warm = await runLoad(operation({ steps: {}, polls: 0 }), warmup, concurrency);
      if (warm.errors > 0) {
        throw new Error(`p2p: warm-up failed (${warm.errors} of ${warmup}): ${warm.firstError ?? ''}`);
      }
    }

    const ops = options.opsAt(concurrency);
    options.progress(`${ops} transfers at concurrency ${concurrency}…`);
    const recorder: Recorder = { steps: {}, polls: 0 };
    const window = await countedWindow(stack, SETTLE_MS, () =>
      runLoad(operation(recorder), ops, concurrency),
    );
    const load: LoadResult = {
      latenciesMs: recorder.steps.total ?? [],
      errors: window.value.errors,
      ...(window.value.firstError === undefined ? {} : { firstError: window.value.firstError }),
      elapsedMs: window.value.elapsedMs,
    };
    const run = toRunResult(stack, p2pScenario, { ops, concurrency }, load, {
      counters: window.counters,
      countedSeconds: window.countedSeconds,
    });
    runs.push({ concurrency, steps: recorder.steps, polls: recorder.polls, run });
  }

  return {
    scenario: p2pScenario.name,
    description: DESCRIPTION,
    runs: runs.map((entry) => entry.run),
    leadSections: [{ title: 'P2P transfers (initiate + accept)', table: p2pTable(runs) }],
    sections: [],
    notes: [
      "Latency is the transfer's own: its execution's stopDate (the stack runs in this process, on the same clock) less the moment the initiate request was sent, so the poll interval does not add to it. Throughput is transfers over the run's wall time, polling delays included.",
      `Per level: a fresh pool of sender/recipient pairs (one per transfer in flight, at most ${TRANSFERS_PER_PAIR} transfers each), both joined to the pair's room, each sender funded by a card top-up of $${FUNDING / 100}, not measured; then the run waits until no counter has moved for ${PREPARED_QUIET_MS / 1000} s. At most ${WARMUP_CAP} unmeasured transfers per level (fewer with --warmup), then the counted run.`,
      "The client polls GET /local/executions/{transfer_id}, a local helper route that no counter sees: the counters per transfer are the transfer's alone (2 API requests: initiate and accept).",
      ...options.concurrency
        .filter((concurrency) => concurrency > 1 && options.opsAt(concurrency) < 4 * concurrency)
        .map(
          (concurrency) =>
            `At c=${concurrency} the run has fewer than 4 transfers per slot: its latency and throughput describe a burst, not a steady state (use --ops ${4 * concurrency} or more for steady-state figures); the counters per transfer do not depend on it.`,
        ),
      'The counted window lasts until the counters settle after the last transfer, so it holds the whole lifecycle (Step Functions execution, events and their targets, Matrix messages) of every transfer.',
      "Absolute latencies are the local stack's (one Node.js event loop runs everything, DynamoDB Local beside it); the counters and the cost per transfer are what carry over to AWS.",
    ],
  };
}

/** Creates `count` pairs: tokens, a funded sender, both joined to a room; nothing here is measured. */
async function preparePairs(
  context: ScenarioContext,
  tag: string,
  count: number,
  options: StackRunOptions,
): Promise<Pair[]> {
  options.progress(`preparing ${count} sender/recipient pairs (top-up, room joins, not measured)…`);
  const user = (userId: string): Promise<User> => benchUser(userId, DEFAULT_LOCAL_JWT_SECRET);
  const pairs = await Promise.all(
    Array.from({ length: count }, async (_, index): Promise<Pair> => {
      const id = `${tag}-${String(index).padStart(3, '0')}`;
      return {
        sender: await user(`@bench-p2p-${id}-s:tween.example`),
        recipient: await user(`@bench-p2p-${id}-r:tween.example`),
        roomId: `!bench-p2p-${id}:tween.example`,
      };
    }),
  );
  const prepared = await runLoad(
    async (index) => {
      const pair = pairs[index] as Pair;
      for (const member of [pair.sender, pair.recipient]) {
        await joinRoom(context, pair.roomId, member.userId);
      }
      await cardTopUp(context, pair.sender, FUNDING);
    },
    count,
    PREPARE_CONCURRENCY,
  );
  if (prepared.errors > 0) {
    throw new Error(
      `p2p: preparing pairs failed (${prepared.errors} of ${count}): ${prepared.firstError ?? ''}`,
    );
  }
  return pairs;
}

/** One transfer, from initiate until its execution SUCCEEDED; records each step in `recorder`. */
async function transfer(context: ScenarioContext, pair: Pair, recorder: Recorder): Promise<void> {
  const sentAt = Date.now();
  let started = performance.now();
  const initiated = await callApi(
    context,
    pair.sender,
    'POST',
    '/wallet/v1/p2p/initiate',
    [201],
    'POST /wallet/v1/p2p/initiate',
    {
      idempotencyKey: randomUUID(),
      body: { recipient: pair.recipient.userId, amount: AMOUNT, currency: CURRENCY, room_id: pair.roomId },
    },
  );
  const initiateMs = performance.now() - started;
  const transferId = initiated.transfer_id;
  if (typeof transferId !== 'string') throw new Error('POST /wallet/v1/p2p/initiate: no transfer_id');

  started = performance.now();
  await callApi(
    context,
    pair.recipient,
    'POST',
    `/wallet/v1/p2p/${encodeURIComponent(transferId)}/accept`,
    [200],
    'POST /wallet/v1/p2p/{transferId}/accept',
  );
  const acceptMs = performance.now() - started;
  const acceptedAt = Date.now();

  const stopDate = await waitForSucceeded(context, transferId, recorder);
  record(recorder, 'initiate', initiateMs);
  record(recorder, 'accept', acceptMs);
  record(recorder, 'settle', Math.max(0, stopDate - acceptedAt));
  record(recorder, 'total', stopDate - sentAt);
}

/** Polls the transfer's execution until it SUCCEEDED and returns its stopDate (epoch ms). */
async function waitForSucceeded(
  context: ScenarioContext,
  transferId: string,
  recorder: Recorder,
): Promise<number> {
  const deadline = performance.now() + SETTLE_TIMEOUT_MS;
  let status: unknown = 'not started';
  while (performance.now() < deadline) {
    recorder.polls += 1;
    const response = await fetch(`${context.apiUrl}/local/executions/${encodeURIComponent(transferId)}`, {
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    if (response.status === 200) {
      const execution = JSON.parse(text) as { status?: unknown; stopDate?: unknown };
      status = execution.status;
      if (status === 'SUCCEEDED') {
        const at = typeof execution.stopDate === 'string' ? Date.parse(execution.stopDate) : Number.NaN;
        if (Number.isNaN(at)) throw new Error(`execution ${transferId} SUCCEEDED with no valid stopDate`);
        return at;
      }
      if (status !== 'RUNNING') throw new Error(`execution ${transferId} ended ${String(status)}`);
    } else if (response.status !== 404) {
      throw new Error(`GET /local/executions/{id}: HTTP ${response.status}: ${text.slice(0, 300)}`);
    }
    await sleep(POLL_MS);
  }
  throw new Error(`transfer ${transferId}: execution still ${String(status)} after ${SETTLE_TIMEOUT_MS} ms`);
}
