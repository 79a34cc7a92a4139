/**
 * Full refunds of wallet payments (sent by an ops user: refunds are ops-only) over the local HTTP API: `POST /api/v1/payments/{paymentId}/refund` →
 * 201 with the refund `succeeded` and the payment `Refunded` (the refund is recorded against the payment,
 * the app account pays the wallet back in one ledger transfer, the payment moves to Refunded, all before
 * the answer). One operation = one refund of one Completed payment.
 *
 * Per level, not measured: a pool of payers (as the payments-no-mfa scenario makes them: a card top-up
 * each), and one Completed $20 wallet payment per refund to come (through the whole payment lifecycle, as
 * in payments-no-mfa). Then the counted run; the window waits until no counter has moved for QUIET_MS after
 * the last answer, so what the refunds publish is counted with them.
 */
import { randomUUID } from 'node:crypto';
import { signLocalToken } from '../../local/auth.js';
import { type BenchStack, countedWindow, type RunResult, toRunResult } from '../harness.js';
import { runLoad } from '../load.js';
import type { ScenarioContext, ScenarioResult, StackRunOptions, StackScenario } from '../scenario.js';
import { NO_MFA, newRecorder, type Payer, pay, preparePayers, type Recorder } from './payments-client.js';
import { payerPoolSize, paymentsPerPayer } from './payments-figures.js';
import { callApi, waitForSilence } from './stack-http.js';

/** Payments made at once while a pool is prepared. */
const PREPARE_CONCURRENCY = 4;
/** Unmeasured refunds before each counted run, at most (`--warmup` lowers it; 0 skips it). */
const WARMUP_CAP = 2;
const QUIET_MS = 1_500;
const SETTLE_MAX_MS = 30_000;

const DESCRIPTION = `Full refund of a Completed $${NO_MFA.amount / 100} wallet payment: POST /api/v1/payments/{paymentId}/refund → 201, refund succeeded and payment Refunded (wallet credited before the answer); 1 op = 1 refund`;

export const refundsScenario: StackScenario = {
  kind: 'stack',
  name: 'refunds',
  description: DESCRIPTION,
  defaults: { ops: 16, opsPerSlot: 1, concurrency: [1, 16, 64] },
  run: runRefunds,
};

interface Refundable {
  payer: Payer;
  paymentId: string;
}

async function runRefunds(stack: BenchStack, options: StackRunOptions): Promise<ScenarioResult> {
  const context = stack.context;
  if (context === undefined) throw new Error('refunds needs the HTTP API: start the full local stack');
  const perPayer = paymentsPerPayer(context.env.MFA_VELOCITY_LIMIT);
  const nonce = Date.now().toString(36);
  const warmup = Math.min(options.warmup, WARMUP_CAP);
  // Refunds are ops-only: one ops user sends them all.
  const opsId = `@bench-ops-${nonce}:tween.example`;
  const opsCaller: Payer = {
    userId: opsId,
    token: await signLocalToken(opsId, { secret: context.env.LOCAL_JWT_SECRET, roles: ['ops'] }),
  };

  // Every level's payments first, so their lifecycles, events and top-up webhooks stay out of the windows.
  const pools: Refundable[][] = [];
  for (const concurrency of options.concurrency) {
    const count = warmup + options.opsAt(concurrency);
    const payers = await preparePayers(
      context,
      NO_MFA,
      `refund-${nonce}-c${concurrency}`,
      payerPoolSize(count, concurrency, perPayer),
      options,
    );
    options.progress(`making ${count} Completed payments to refund at c=${concurrency} (not measured)…`);
    pools.push(await completedPayments(context, payers, count));
  }
  await waitForSilence(stack, QUIET_MS, SETTLE_MAX_MS);

  const runs: RunResult[] = [];
  for (const [level, concurrency] of options.concurrency.entries()) {
    const pool = pools[level] ?? [];
    let next = 0;
    const operation = async () => {
      const target = pool[next] as Refundable;
      next += 1;
      await refund(context, opsCaller, target);
    };
    if (warmup > 0) {
      const warm = await runLoad(operation, warmup, concurrency);
      if (warm.errors > 0)
        throw new Error(`refunds: warm-up failed (${warm.errors}): ${warm.firstError ?? ''}`);
      await waitForSilence(stack, QUIET_MS, SETTLE_MAX_MS);
    }
    const ops = options.opsAt(concurrency);
    options.progress(`${ops} refunds at concurrency ${concurrency}…`);
    const window = await countedWindow(stack, undefined, async () => {
      const load = await runLoad(operation, ops, concurrency);
      await waitForSilence(stack, QUIET_MS, SETTLE_MAX_MS);
      return load;
    });
    runs.push(toRunResult(stack, refundsScenario, { ops, concurrency }, window.value, window));
  }

  return {
    scenario: refundsScenario.name,
    description: DESCRIPTION,
    runs,
    notes: [
      `Per level, not measured: payers funded by a card top-up (at most ${perPayer} payments each, so the velocity rule never asks for MFA) and one Completed wallet payment per refund, made through the payment lifecycle ${PREPARE_CONCURRENCY} at a time; at most ${WARMUP_CAP} unmeasured refunds (fewer with --warmup), then the counted run.`,
      `Every refund debits the same app account (one mini-app), as refunds of one merchant do: at higher levels they conflict on it and the ledger retries, which shows in dynamoTransactionsCancelled. The counted window runs until no counter has moved for ${QUIET_MS / 1000} s after the last answer.`,
    ],
  };
}

/** `count` Completed payments, spread over `payers` (consecutive payments by different payers). */
async function completedPayments(
  context: ScenarioContext,
  payers: readonly Payer[],
  count: number,
): Promise<Refundable[]> {
  const recorder: Recorder = newRecorder();
  const typical: { lifecycleMs?: number } = {};
  const made = await runLoad(
    (index) => pay(context, NO_MFA, payers[index % payers.length] as Payer, recorder, typical),
    count,
    PREPARE_CONCURRENCY,
  );
  if (made.errors > 0) {
    throw new Error(`refunds: making payments failed (${made.errors} of ${count}): ${made.firstError ?? ''}`);
  }
  return recorder.completed;
}

/** One full refund; throws unless it answers 201 with the refund succeeded and the payment Refunded. */
async function refund(context: ScenarioContext, ops: Payer, target: Refundable): Promise<void> {
  const answer = await callApi<{ status?: unknown; payment?: { state?: unknown } }>(
    context,
    ops,
    'POST',
    `/api/v1/payments/${encodeURIComponent(target.paymentId)}/refund`,
    [201],
    'POST /api/v1/payments/{paymentId}/refund',
    { idempotencyKey: randomUUID(), body: { reason: 'bench' } },
  );
  if (answer.status !== 'succeeded' || answer.payment?.state !== 'Refunded') {
    throw new Error(
      `POST /api/v1/payments/{paymentId}/refund: expected succeeded / Refunded, got ${String(answer.status)} / ${String(answer.payment?.state)}`,
    );
  }
}
