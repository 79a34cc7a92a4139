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
import { type BenchStack, countedWindow, toRunResult } from '../harness.js';
import { type LoadResult, runLoad } from '../load.js';
import type { ScenarioResult, StackRunOptions, StackScenario } from '../scenario.js';
import {
  CALIBRATION_GETS,
  type Flow,
  FUNDING,
  MFA,
  NO_MFA,
  newRecorder,
  type Payer,
  pay,
  preparePayers,
  priceOneGet,
  type Recorder,
  SETTLE_MS,
} from './payments-client.js';
import {
  FIRST_POLL_FRACTION,
  headlineTable,
  MAX_POLL_MS,
  MIN_POLL_MS,
  PAYMENTS_PER_PAYER,
  type PaymentRun,
  POLL_STEP_FRACTION,
  payerPoolSize,
  paymentsPerPayer,
  pollingTable,
  type Step,
  withoutPolls,
} from './payments-figures.js';
import { waitForSilence } from './stack-http.js';

/** Unmeasured payments before each counted run, at most (`--warmup` lowers it; 0 skips it). */
const WARMUP_CAP = 4;
/**
 * After the payers are prepared: wait for this long without any counter moving (the local Stripe server
 * retries a webhook after 0.25, 0.5 and 1 s), at most PREPARED_SETTLE_MAX_MS.
 */
const PREPARED_QUIET_MS = 1_500;
const PREPARED_SETTLE_MAX_MS = 20_000;

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
