/**
 * Mini-app wallet payments end to end, over the local HTTP API: `payments-no-mfa` ($20, under the MFA
 * threshold: it settles in its request, whose 201 is the Completed payment) and `payments-mfa` ($60, over it:
 * request → MFA_Required → PIN challenge → verify, then the lifecycle). One operation = one payment, from
 * the request until the payment is Completed; the counted window holds everything the payment started
 * (the Step Functions execution, the event it publishes and that event's targets), because the harness
 * waits for the counters to settle before it reads them.
 *
 * Per concurrency level: a fresh pool of payers (never more than PAYMENTS_PER_PAYER payments each, so the
 * velocity rule never turns a no-MFA payment into an MFA one, and no payer has two payments in flight),
 * funded by a card top-up and, for MFA, enrolled with a PIN: none of that is measured. Then a short
 * warm-up, the counted run, and a counted batch of the client's GETs alone, so that the client's polling
 * can be taken out of the per-payment figures (it is reported on its own).
 *
 * Latency is read from the payment itself: `completedAt` (set by the lifecycle, same clock: the stack runs
 * in this process) minus the moment the request was sent, so it does not depend on how often the client
 * polls. Every loop is bounded by an operation count, a poll count or a deadline.
 */
import { randomUUID } from 'node:crypto';
import { signLocalToken } from '../../local/auth.js';
import type { CounterName, ResourceCounters } from '../../local/metrics.js';
import { costPerMillionOperations } from '../cost.js';
import { formatNumber, formatUsd } from '../format.js';
import {
  type BenchStack,
  type CountedWindow,
  countedWindow,
  type RunResult,
  toRunResult,
} from '../harness.js';
import { type LoadResult, runLoad } from '../load.js';
import type {
  Align,
  ScenarioContext,
  ScenarioResult,
  StackRunOptions,
  StackScenario,
  Table,
} from '../scenario.js';
import { callApi, p50p99, sleep, waitForSilence } from './stack-http.js';

const APP_ID = 'app_bench';
const CURRENCY = 'USD';
/** Each payer's wallet is topped up with $10,000 first; a run takes at most 8 × $60 from it. */
const FUNDING = 1_000_000;
const PIN = '246810';
/** Under the velocity limit (default 10 payments an hour), with room to spare. */
const PAYMENTS_PER_PAYER = 8;
/** Top-ups and PIN enrolments in flight at once while a pool is prepared. */
const PREPARE_CONCURRENCY = 4;
/** Unmeasured payments before each counted run, at most (`--warmup` lowers it; 0 skips it). */
const WARMUP_CAP = 4;
/** GETs in the counted batch that prices one poll, at most (the run's own payment count if lower). */
const CALIBRATION_GETS = 40;
/** Longest wait for a payment to reach Completed, and most polls for one. */
const COMPLETION_TIMEOUT_MS = 60_000;
const MAX_POLLS = 2_000;
/**
 * After the payers are prepared: wait for this long without any counter moving (the local Stripe server
 * retries a webhook after 0.25, 0.5 and 1 s), at most PREPARED_SETTLE_MAX_MS.
 */
const PREPARED_QUIET_MS = 1_500;
const PREPARED_SETTLE_MAX_MS = 20_000;
/** Longest wait after the last payment for what it started (event targets) before the counters are read. */
const SETTLE_MS = 5_000;

/** Polling: never more often than every MIN_POLL_MS, never less often than every MAX_POLL_MS... */
export const MIN_POLL_MS = 5;
export const MAX_POLL_MS = 250;
/** ...first poll at this fraction of the typical wait, then every STEP fraction of it. */
export const FIRST_POLL_FRACTION = 0.8;
export const POLL_STEP_FRACTION = 0.05;
/** Weight of the newest wait in the running typical wait (exponentially weighted mean). */
export const TYPICAL_WEIGHT = 0.2;

/** What one operation of each flow looks like. */
export interface Flow {
  name: string;
  description: string;
  /** Minor units. */
  amount: number;
  mfa: boolean;
}

export const NO_MFA: Flow = {
  name: 'payments-no-mfa',
  description:
    'wallet payment of $20 (under the MFA threshold): POST /api/v1/payments/request → 201 Completed (settled in its request: no lifecycle, its payment.completed relayed from the outbox); 1 op = 1 payment, request to Completed',
  amount: 2_000,
  mfa: false,
};

const MFA: Flow = {
  name: 'payments-mfa',
  description:
    'wallet payment of $60 (over the MFA threshold): POST /api/v1/payments/request → 201 MFA_Required, POST …/mfa/challenge (transaction_pin) → 201, POST …/mfa/verify → 200, then GET until Completed; 1 op = 1 payment, request to Completed',
  amount: 6_000,
  mfa: true,
};

export const paymentsNoMfaScenario: StackScenario = {
  kind: 'stack',
  name: NO_MFA.name,
  description: NO_MFA.description,
  defaults: { ops: 16, opsPerSlot: 1, concurrency: [1, 16, 64] },
  run: (stack, options) => runPayments(stack, options, NO_MFA, paymentsNoMfaScenario),
};

export const paymentsMfaScenario: StackScenario = {
  kind: 'stack',
  name: MFA.name,
  description: MFA.description,
  defaults: { ops: 12, opsPerSlot: 1, concurrency: [1, 16, 64] },
  run: (stack, options) => runPayments(stack, options, MFA, paymentsMfaScenario),
};

// ------------------------------------------------------------------------------------------ pure helpers

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
  return mapEach(batch, (name, value) => Math.max(0, value - idlePerSecond[name] * seconds) / gets);
}

/** `counters` less `polls` GETs of `perGet` each, never below zero. */
export function withoutPolls(
  counters: ResourceCounters,
  polls: number,
  perGet: ResourceCounters,
): ResourceCounters {
  if (!Number.isFinite(polls) || polls < 0) throw new RangeError(`polls must be non-negative, got ${polls}`);
  return mapEach(counters, (name, value) => Math.max(0, value - polls * perGet[name]));
}

function mapEach(
  counters: ResourceCounters,
  map: (name: CounterName, value: number) => number,
): ResourceCounters {
  return Object.fromEntries(
    (Object.keys(counters) as CounterName[]).map((name) => [name, map(name, counters[name])]),
  ) as unknown as ResourceCounters;
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

// ------------------------------------------------------------------------------------------------ the run

export interface Payer {
  userId: string;
  token: string;
}

interface PaymentView {
  paymentId?: unknown;
  state?: unknown;
  completedAt?: unknown;
  failureCode?: unknown;
  challengeId?: unknown;
}

/** Samples of one batch of payments, and what the operation needs between payments. */
export interface Recorder {
  steps: Partial<Record<Step, number[]>>;
  polls: number;
  /** Payments that reached Completed, with their payer (the GET batch reads them again). */
  completed: { payer: Payer; paymentId: string }[];
}

export function newRecorder(): Recorder {
  return { steps: {}, polls: 0, completed: [] };
}

function record(recorder: Recorder, step: Step, ms: number): void {
  const samples = recorder.steps[step] ?? [];
  samples.push(ms);
  recorder.steps[step] = samples;
}

async function runPayments(
  stack: BenchStack,
  options: StackRunOptions,
  flow: Flow,
  scenario: StackScenario,
): Promise<ScenarioResult> {
  const context = stack.context;
  if (context === undefined) throw new Error(`${flow.name} needs the HTTP API: start the full local stack`);
  const perPayer = flow.mfa ? PAYMENTS_PER_PAYER : paymentsPerPayer(context.env.MFA_VELOCITY_LIMIT);
  const nonce = Date.now().toString(36);
  const runs: PaymentRun[] = [];

  const warmup = Math.min(options.warmup, WARMUP_CAP);
  // Every level's payers first: a top-up's provider webhooks (retried with backoff) must not land in a
  // counted window, and the harness's wait for quiet (100 ms) is shorter than their retry gaps.
  const pools: Payer[][] = [];
  for (const concurrency of options.concurrency) {
    pools.push(
      await preparePayers(
        context,
        flow,
        `${nonce}-c${concurrency}`,
        payerPoolSize(warmup + options.opsAt(concurrency), concurrency, perPayer),
        options,
      ),
    );
  }
  await waitForSilence(stack, PREPARED_QUIET_MS, PREPARED_SETTLE_MAX_MS);

  for (const [level, concurrency] of options.concurrency.entries()) {
    const payers = pools[level] ?? [];
    let next = 0;
    const typical: { lifecycleMs?: number } = {};
    const operation = (recorder: Recorder) => async () => {
      const payer = payers[next % payers.length] as Payer;
      next += 1;
      await pay(context, flow, payer, recorder, typical);
    };

    if (warmup > 0) {
      const warm = await runLoad(operation(newRecorder()), warmup, concurrency);
      if (warm.errors > 0) {
        throw new Error(
          `${flow.name}: warm-up failed (${warm.errors} of ${warmup}): ${warm.firstError ?? ''}`,
        );
      }
    }

    const ops = options.opsAt(concurrency);
    options.progress(`${ops} payments at concurrency ${concurrency}…`);
    const recorder = newRecorder();
    const window = await countedWindow(stack, SETTLE_MS, () =>
      runLoad(operation(recorder), ops, concurrency),
    );
    const perGet = await priceOneGet(stack, context, recorder, ops, concurrency);
    const load: LoadResult = {
      // The client's view (its own op durations) includes the poll interval; the payment's does not.
      latenciesMs: recorder.steps.total ?? [],
      errors: window.value.errors,
      ...(window.value.firstError === undefined ? {} : { firstError: window.value.firstError }),
      elapsedMs: window.value.elapsedMs,
    };
    const run = toRunResult(stack, scenario, { ops, concurrency }, load, {
      counters: withoutPolls(window.counters, recorder.polls, perGet),
      countedSeconds: window.countedSeconds,
    });
    runs.push({
      concurrency,
      steps: recorder.steps,
      polls: recorder.polls,
      run,
      perGet,
      withPolls: window.counters,
    });
  }

  const steps: Step[] = flow.mfa
    ? ['total', 'request', 'challenge', 'verify', 'lifecycle']
    : ['total', 'request'];
  return {
    scenario: flow.name,
    description: flow.description,
    runs: runs.map((entry) => entry.run),
    leadSections: [{ title: 'Payments (client polling taken out)', table: headlineTable(runs, steps) }],
    sections: [
      {
        title: 'Client polling: GET /api/v1/payments/{id} until Completed (counted, then taken out above)',
        table: pollingTable(runs),
      },
    ],
    notes: [
      ...(flow.mfa
        ? []
        : [
            'A payment below the MFA threshold completes in its request: its 201 is the Completed payment, so request sent → Completed is the request itself, and the client makes no GETs.',
          ]),
      `Latency is the payment's own: its completedAt (set by the lifecycle; the stack runs in this process, on the same clock) less the moment the request was sent, so the poll interval does not add to it. Throughput is payments over the run's wall time, polling delays included (the client waits for Completed before it starts its next payment).`,
      `Per level: a fresh pool of payers (at most ${perPayer} payments each, at least one per payment in flight${flow.mfa ? '' : ', so the velocity rule never asks for MFA'}), each funded by a card top-up of $${(FUNDING / 100).toLocaleString('en-US')}${flow.mfa ? ' and enrolled with a transaction PIN' : ''}, not measured. Every level's payers are prepared first, then the run waits until no counter has moved for ${PREPARED_QUIET_MS / 1000} s, so the top-ups' provider webhooks (retried with backoff) stay out of the counted runs. Per level, at most ${WARMUP_CAP} unmeasured payments (fewer with --warmup), then the counted run.`,
      `Polling: the client GETs the payment until it is Completed, first at ${FIRST_POLL_FRACTION * 100}% of the typical wait so far, then every ${POLL_STEP_FRACTION * 100}% of it (${MIN_POLL_MS}–${MAX_POLL_MS} ms). Those GETs are counted with the run; a batch of at most ${CALIBRATION_GETS} GETs of completed payments at the same concurrency, counted on its own (less the idle background), gives what one costs, and GETs × that is taken out of the Counters and Cost tables (an estimate for Lambda duration, which depends on what else runs). The last table adds it back.`,
      `DynamoDB read units: the velocity rule counts the payer's payments of the last hour (a query on GSI1), so a payment reads more the more payments its payer has just made (up to ${perPayer} here, more than most payers make in an hour).`,
      ...burstNote(options),
      'The counted window lasts until the counters settle after the last payment, so it holds the whole lifecycle (Step Functions execution, the payment.completed event and its targets) of every payment.',
      "Absolute latencies are the local stack's: one Node.js event loop runs the HTTP API, every handler, the Step Functions runner and the event bus; DynamoDB Local is a Java process beside it. They say nothing about AWS; the counters and the cost per payment do.",
    ],
  };
}

/** A note for levels with too few payments per slot to be a steady state. */
function burstNote(options: Pick<StackRunOptions, 'opsAt' | 'concurrency'>): string[] {
  const short = options.concurrency.filter(
    (concurrency) => concurrency > 1 && options.opsAt(concurrency) < 4 * concurrency,
  );
  if (short.length === 0) return [];
  return [
    `At ${short.map((c) => `c=${c}`).join(', ')} the run has fewer than 4 payments per slot: its latency and throughput describe a burst (every slot starting at once, the tail draining alone), not a steady state. For steady-state figures use --ops ${4 * Math.max(...short)} or more; the counters per payment do not depend on it.`,
  ];
}

/** Creates, funds and (for MFA) enrols `count` payers; nothing here is measured. */
export async function preparePayers(
  context: ScenarioContext,
  flow: Flow,
  tag: string,
  count: number,
  options: Pick<StackRunOptions, 'progress'>,
): Promise<Payer[]> {
  options.progress(`preparing ${count} payers (top-up${flow.mfa ? ', PIN enrolment' : ''}, not measured)…`);
  const payers = await Promise.all(
    Array.from({ length: count }, async (_, index): Promise<Payer> => {
      const userId = `@bench-${tag}-p${String(index).padStart(3, '0')}:tween.example`;
      return { userId, token: await signLocalToken(userId, { secret: context.env.LOCAL_JWT_SECRET }) };
    }),
  );
  const prepared = await runLoad(
    async (index) => {
      const payer = payers[index] as Payer;
      await call(context, payer, 'POST', '/wallet/v1/topup', 201, 'POST /wallet/v1/topup', {
        idempotencyKey: randomUUID(),
        body: {
          amount: FUNDING,
          currency: CURRENCY,
          paymentMethod: { type: 'card', id: 'pm_card_visa' },
        },
      });
      if (flow.mfa) {
        await call(
          context,
          payer,
          'PUT',
          `/payments/v1/user/${encodeURIComponent(payer.userId)}/mfa/pin`,
          200,
          'PUT /payments/v1/user/{userId}/mfa/pin',
          { body: { pin: PIN } },
        );
      }
    },
    count,
    PREPARE_CONCURRENCY,
  );
  if (prepared.errors > 0) {
    throw new Error(
      `${flow.name}: preparing payers failed (${prepared.errors} of ${count}): ${prepared.firstError ?? ''}`,
    );
  }
  return payers;
}

/** One payment, from the request until it is Completed; records each step in `recorder`. */
export async function pay(
  context: ScenarioContext,
  flow: Flow,
  payer: Payer,
  recorder: Recorder,
  typical: { lifecycleMs?: number },
): Promise<void> {
  const sentAt = Date.now();
  let started = performance.now();
  const requested = await call(
    context,
    payer,
    'POST',
    '/api/v1/payments/request',
    201,
    'POST /api/v1/payments/request',
    {
      idempotencyKey: randomUUID(),
      body: {
        appId: APP_ID,
        amount: { value: flow.amount, currency: CURRENCY },
        paymentMethod: { type: 'wallet' },
        description: 'bench',
      },
    },
  );
  const requestMs = performance.now() - started;
  const expected = flow.mfa ? 'MFA_Required' : 'Completed';
  if (requested.state !== expected || typeof requested.paymentId !== 'string') {
    throw new Error(
      `POST /api/v1/payments/request: expected state ${expected}, got ${String(requested.state)}`,
    );
  }
  const paymentId = requested.paymentId;
  const steps: [Step, number][] = [['request', requestMs]];
  if (requested.state === 'Completed') {
    // Settled in its request: the 201 is the Completed payment, nothing is left to wait or poll for.
    record(recorder, 'request', requestMs);
    record(recorder, 'total', requestMs);
    recorder.completed.push({ payer, paymentId });
    return;
  }

  if (flow.mfa) {
    started = performance.now();
    const challenge = await call(
      context,
      payer,
      'POST',
      `/payments/v1/${paymentId}/mfa/challenge`,
      201,
      'POST /payments/v1/{paymentId}/mfa/challenge',
      { body: { method: 'transaction_pin' } },
    );
    steps.push(['challenge', performance.now() - started]);
    if (typeof challenge.challengeId !== 'string') {
      throw new Error('POST /payments/v1/{paymentId}/mfa/challenge: no challengeId in the answer');
    }
    started = performance.now();
    await call(
      context,
      payer,
      'POST',
      `/payments/v1/${paymentId}/mfa/verify`,
      200,
      'POST /payments/v1/{paymentId}/mfa/verify',
      { body: { challengeId: challenge.challengeId, pin: PIN } },
    );
    steps.push(['verify', performance.now() - started]);
  }

  const answeredAt = Date.now();
  const completedAt = await waitForCompleted(context, payer, paymentId, typical.lifecycleMs, recorder);
  const lifecycleMs = Math.max(0, msUntilCompleted(answeredAt, completedAt));
  typical.lifecycleMs = updateTypical(typical.lifecycleMs, lifecycleMs);
  for (const [step, ms] of steps) record(recorder, step, ms);
  record(recorder, 'lifecycle', lifecycleMs);
  record(recorder, 'total', msUntilCompleted(sentAt, completedAt));
  recorder.completed.push({ payer, paymentId });
}

/**
 * GETs the payment until it is Completed (counting each GET in `recorder`) and returns its completedAt;
 * throws if it ends otherwise, or on the deadline.
 */
async function waitForCompleted(
  context: ScenarioContext,
  payer: Payer,
  paymentId: string,
  typicalMs: number | undefined,
  recorder: Recorder,
): Promise<unknown> {
  const started = performance.now();
  let state: unknown;
  for (let polls = 1; polls <= MAX_POLLS; polls += 1) {
    await sleep(nextPollDelayMs(performance.now() - started, typicalMs));
    recorder.polls += 1;
    const payment = await call(
      context,
      payer,
      'GET',
      `/api/v1/payments/${paymentId}`,
      200,
      'GET /api/v1/payments/{paymentId}',
    );
    state = payment.state;
    if (state === 'Completed') return payment.completedAt;
    if (state === 'Failed' || state === 'Refunded') {
      throw new Error(`payment ${paymentId} ended ${state} (${String(payment.failureCode ?? 'no code')})`);
    }
    if (performance.now() - started > COMPLETION_TIMEOUT_MS) break;
  }
  throw new Error(`payment ${paymentId} still ${String(state)} after ${COMPLETION_TIMEOUT_MS} ms`);
}

/**
 * Counts a batch of GETs of this run's completed payments (at most CALIBRATION_GETS, at the run's
 * concurrency) on its own, and returns what one GET costs.
 */
async function priceOneGet(
  stack: BenchStack,
  context: ScenarioContext,
  recorder: Recorder,
  ops: number,
  concurrency: number,
): Promise<ResourceCounters> {
  const targets = recorder.completed;
  if (targets.length === 0) return mapEach(stack.idlePerSecond, () => 0);
  const gets = Math.min(CALIBRATION_GETS, Math.max(ops, concurrency));
  const batch: CountedWindow<LoadResult> = await countedWindow(stack, SETTLE_MS, () =>
    runLoad(
      async (index) => {
        const { payer, paymentId } = targets[index % targets.length] as Recorder['completed'][number];
        await call(context, payer, 'GET', `/api/v1/payments/${paymentId}`, 200, 'GET /api/v1/payments/{id}');
      },
      gets,
      concurrency,
    ),
  );
  if (batch.value.errors > 0) {
    throw new Error(
      `pricing a GET failed (${batch.value.errors} of ${gets}): ${batch.value.firstError ?? ''}`,
    );
  }
  return perGetCounters(batch.counters, stack.idlePerSecond, batch.countedSeconds, gets);
}

/** One API call as `payer`, expecting exactly one status. */
function call(
  context: ScenarioContext,
  payer: Payer,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  expected: number,
  what: string,
  options: { body?: unknown; idempotencyKey?: string } = {},
): Promise<PaymentView> {
  return callApi<PaymentView>(context, payer, method, path, [expected], what, options);
}
