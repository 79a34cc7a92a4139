/**
 * Card top-ups over the local HTTP API: `POST /wallet/v1/topup` with a test card that succeeds → 201
 * `succeeded` (the card is charged at the local Stripe and the wallet credited in one ledger transfer before
 * the answer). One operation = one top-up. The provider's webhooks for it (ingest, FIFO queue, consumer that
 * finds the top-up already applied) arrive afterwards; the counted window waits until no counter has moved
 * for QUIET_MS after the last answer, so they are in the figures; the latency is the request's.
 *
 * A pool of users, one per top-up in flight at the highest level, each with a first top-up that creates the
 * wallet and saves the card, not measured; level c uses the first c of them. Per level, a short warm-up and
 * the counted run.
 */
import { type BenchStack, countedWindow, type RunResult, toRunResult } from '../harness.js';
import { runLoad } from '../load.js';
import type { ScenarioContext, ScenarioResult, StackRunOptions, StackScenario } from '../scenario.js';
import { type BenchUser, benchUser, cardTopUp, TEST_CARD } from './common.js';
import { type Caller, waitForSilence } from './stack-http.js';

/** Minor units: $10 a top-up. */
const AMOUNT = 1_000;
const CARD = TEST_CARD;
const PREPARE_CONCURRENCY = 4;
/** Unmeasured top-ups before each counted run, at most (`--warmup` lowers it; 0 skips it). */
const WARMUP_CAP = 4;
/** After the last answer: wait until no counter has moved for this long (the webhooks), at most MAX. */
const QUIET_MS = 1_500;
const SETTLE_MAX_MS = 30_000;

const DESCRIPTION = `Card top-up of $${AMOUNT / 100}: POST /wallet/v1/topup (card ${CARD}) → 201 succeeded, the wallet credited before the answer; the provider's webhooks that follow are in the counted window; 1 op = 1 top-up`;

export const topupsScenario: StackScenario = {
  kind: 'stack',
  name: 'topups',
  description: DESCRIPTION,
  defaults: { ops: 16, opsPerSlot: 1, concurrency: [1, 16, 64] },
  run: runTopups,
};

type User = BenchUser;

/** One top-up as `user`; throws unless it answers 201 succeeded. */
export async function topUp(context: ScenarioContext, user: Caller, amount = AMOUNT): Promise<void> {
  const topup = await cardTopUp(context, user, amount);
  if (topup.status !== 'succeeded') {
    throw new Error(`POST /wallet/v1/topup: expected status succeeded, got ${String(topup.status)}`);
  }
}

/** `count` users with a wallet and a saved card (one top-up each, not measured). */
export async function prepareUsers(
  context: ScenarioContext,
  tag: string,
  count: number,
  what: string,
): Promise<User[]> {
  const users = await Promise.all(
    Array.from({ length: count }, async (_, index): Promise<User> => {
      const userId = `@bench-${tag}-u${String(index).padStart(3, '0')}:tween.example`;
      return benchUser(userId, context.env.LOCAL_JWT_SECRET);
    }),
  );
  const prepared = await runLoad((index) => topUp(context, users[index] as User), count, PREPARE_CONCURRENCY);
  if (prepared.errors > 0) {
    throw new Error(
      `${what}: preparing users failed (${prepared.errors} of ${count}): ${prepared.firstError ?? ''}`,
    );
  }
  return users;
}

async function runTopups(stack: BenchStack, options: StackRunOptions): Promise<ScenarioResult> {
  const context = stack.context;
  if (context === undefined) throw new Error('topups needs the HTTP API: start the full local stack');
  const top = Math.max(...options.concurrency);
  options.progress(`preparing ${top} users (a first top-up each, not measured)…`);
  const pool = await prepareUsers(context, `topup-${Date.now().toString(36)}`, top, 'topups');
  await waitForSilence(stack, QUIET_MS, SETTLE_MAX_MS);

  const runs: RunResult[] = [];
  for (const concurrency of options.concurrency) {
    const users = pool.slice(0, concurrency);
    // The runner hands out indexes in order, so the top-ups in flight are each a different user's.
    const operation = (index: number) => topUp(context, users[index % users.length] as User);
    const warmup = Math.min(options.warmup, WARMUP_CAP);
    if (warmup > 0) {
      const warm = await runLoad(operation, warmup, concurrency);
      if (warm.errors > 0)
        throw new Error(`topups: warm-up failed (${warm.errors}): ${warm.firstError ?? ''}`);
      await waitForSilence(stack, QUIET_MS, SETTLE_MAX_MS);
    }
    const ops = options.opsAt(concurrency);
    options.progress(`${ops} top-ups at concurrency ${concurrency}…`);
    const window = await countedWindow(stack, undefined, async () => {
      const load = await runLoad(operation, ops, concurrency);
      await waitForSilence(stack, QUIET_MS, SETTLE_MAX_MS);
      return load;
    });
    runs.push(toRunResult(stack, topupsScenario, { ops, concurrency }, window.value, window));
  }

  return {
    scenario: topupsScenario.name,
    description: DESCRIPTION,
    runs,
    notes: [
      `One user per top-up in flight (level c uses the first c of a pool), each with a first top-up (wallet created, card saved) not measured; per level at most ${WARMUP_CAP} unmeasured top-ups (fewer with --warmup), then the counted run.`,
      `Latency is the request's (POST → 201 succeeded). The counted window runs until no counter has moved for ${QUIET_MS / 1000} s after the last answer, so each top-up's webhooks (payment_intent events: ingest Lambda, FIFO queue, consumer Lambda) are counted with it; the queue pollers' idle requests in that time are in the SQS line too (see Background).`,
      'Stripe requests are counted but not priced (Stripe fees are not AWS costs).',
    ],
  };
}
