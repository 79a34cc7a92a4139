/**
 * The payment scenarios' client: payers prepared (funded, for MFA enrolled with a PIN), one payment made
 * from its request until it is Completed, polling as a client would, and one GET priced on its own.
 */
import { randomUUID } from 'node:crypto';
import type { ResourceCounters } from '../../local/metrics.js';
import { DEMO_APP_ID } from '../../local/seed.js';
import { mapCounters } from '../counters.js';
import { type BenchStack, type CountedWindow, countedWindow } from '../harness.js';
import { type LoadResult, runLoad, sleep } from '../load.js';
import type { ScenarioContext, StackRunOptions } from '../scenario.js';
import { benchUser, CURRENCY, cardTopUp } from './common.js';
import {
  msUntilCompleted,
  nextPollDelayMs,
  perGetCounters,
  type Step,
  updateTypical,
} from './payments-figures.js';
import { callApi } from './stack-http.js';

/** Mini-app payments name a live app of an active merchant: the one the local stack seeds. */
const APP_ID = DEMO_APP_ID;
/** Each payer's wallet is topped up with $10,000 first; a run takes at most 8 × $60 from it. */
export const FUNDING = 1_000_000;
const PIN = '246810';
/** Top-ups and PIN enrolments in flight at once while a pool is prepared. */
const PREPARE_CONCURRENCY = 4;
/** GETs in the counted batch that prices one poll, at most (the run's own payment count if lower). */
export const CALIBRATION_GETS = 40;
/** Longest wait for a payment to reach Completed, and most polls for one. */
const COMPLETION_TIMEOUT_MS = 60_000;
const MAX_POLLS = 2_000;
/** Longest wait after the last payment for what it started (event targets) before the counters are read. */
export const SETTLE_MS = 5_000;

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

export const MFA: Flow = {
  name: 'payments-mfa',
  description:
    'wallet payment of $60 (over the MFA threshold): POST /api/v1/payments/request → 201 MFA_Required, POST …/mfa/challenge (transaction_pin) → 201, POST …/mfa/verify → 200, then GET until Completed; 1 op = 1 payment, request to Completed',
  amount: 6_000,
  mfa: true,
};

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
      return benchUser(userId, context.env.LOCAL_JWT_SECRET);
    }),
  );
  const prepared = await runLoad(
    async (index) => {
      const payer = payers[index] as Payer;
      await cardTopUp(context, payer, FUNDING);
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
export async function priceOneGet(
  stack: BenchStack,
  context: ScenarioContext,
  recorder: Recorder,
  ops: number,
  concurrency: number,
): Promise<ResourceCounters> {
  const targets = recorder.completed;
  if (targets.length === 0) return mapCounters(stack.idlePerSecond, () => 0);
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
