/**
 * Group gifts end to end, over the local HTTP API: a funded member creates a gift of 100 random shares in
 * a room, then the room's 100 other members open it, `concurrency` of them in flight at once on that ONE
 * gift. One operation = one successful open. Every opening is one TransactWriteItems whose claim is
 * conditioned on the gift's `remaining`; when two openers race for the same share the loser's transaction
 * is cancelled and it reads the gift again and claims the next one, so contention shows in the proxy's
 * `dynamoTransactionsCancelled` counter (and in the write units the cancelled attempts consume).
 *
 * Per concurrency level: a room per gift with its creator (funded by a card top-up) and 100 openers
 * joined, none of it measured. Then a small unmeasured warm-up gift and the counted window: the gifts are
 * created and opened one after the other (a gift's shares are all claimed before the next gift is
 * created), each member opening once. The window holds the creations too, so their cost is amortised over
 * the opens; it does not hold the expiry, which the gift's execution reaches only at `expires_at` (24 h by
 * default). Every loop is bounded by a count or a deadline.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_LOCAL_JWT_SECRET } from '../../local/auth.js';
import { formatUsd } from '../format.js';
import { type BenchStack, countedWindow, toRunResult } from '../harness.js';
import { type LoadResult, runLoad } from '../load.js';
import type { ScenarioContext, ScenarioResult, StackRunOptions, StackScenario } from '../scenario.js';
import { checkCancelledCounter } from './cancel-probe.js';
import { type BenchUser, benchUser, CURRENCY, cardTopUp, joinRoom, tally } from './common.js';
import {
  EXPIRY_EVENTS,
  EXPIRY_LAMBDA_REQUESTS,
  EXPIRY_READ_UNITS,
  EXPIRY_TRANSITIONS,
  EXPIRY_WRITE_UNITS,
  expiryUsdPerMillionOpens,
  type GiftRun,
  giftSizes,
  giftsTable,
  SHARES_PER_GIFT,
} from './gifts-figures.js';
import { callApi, UnexpectedStatusError, waitForSilence } from './stack-http.js';

/**
 * Minor units: $50 a gift, so every random share is at least one cent, and exactly at the MFA threshold
 * (USD:5000, strictly above asks for a step-up): the bench measures gifts, not step-ups.
 */
const GIFT_TOTAL = 50_00;
/** Each creator's top-up: exactly one gift's total. */
const FUNDING = GIFT_TOTAL;
/** Shares of the unmeasured warm-up gift of each level, at most (`--warmup` lowers it; 0 skips it). */
const WARMUP_CAP = 8;
/** Top-ups and room joins in flight at once while the rooms are prepared. */
const PREPARE_CONCURRENCY = 16;
/** After the rooms are prepared: wait for this long without any counter moving (top-up webhooks retry). */
const PREPARED_QUIET_MS = 1_500;
const PREPARED_SETTLE_MAX_MS = 20_000;
/**
 * Longest wait after the last answer for what the window started to settle: the events and their targets,
 * and opens still retrying lost races after their request answered 500 at the gifts function's timeout
 * (the in-process handler goes on), so that their DynamoDB work is counted too.
 */
const SETTLE_MS = 60_000;
const DESCRIPTION = `Group gift of $${GIFT_TOTAL / 100} in ${SHARES_PER_GIFT} random shares: POST /wallet/v1/gift/create → 201, then each of ${SHARES_PER_GIFT} room members POST /wallet/v1/gift/{id}/open → 200, c of them in flight on one gift; 1 op = 1 open (the creates are in the window)`;

export const giftsScenario: StackScenario = {
  kind: 'stack',
  name: 'gifts',
  description: DESCRIPTION,
  defaults: { ops: 64, concurrency: [1, 16, 64] },
  run: (stack, options) => runGifts(stack, options),
};

type User = BenchUser;

/** One gift to create and open: its room, creator and one opener per share. */
export interface GiftPlan {
  roomId: string;
  creator: User;
  openers: User[];
}

interface Recorder {
  /** The gifts created, with their creator (who may read them afterwards). */
  created: { giftId: string; creator: User }[];
  create: number[];
  open: number[];
  /** Wall time spent opening (from a gift's first open sent to its last answer), summed over the gifts. */
  openingMs: number;
  /** Unexpected answers by HTTP status (409 GIFT_EMPTY / ALREADY_OPENED among them). */
  refused: Map<number, number>;
}

async function runGifts(stack: BenchStack, options: StackRunOptions): Promise<ScenarioResult> {
  const context = stack.context;
  if (context === undefined) throw new Error('gifts needs the HTTP API: start the full local stack');
  const probe = await checkCancelledCounter(stack);
  const nonce = Date.now().toString(36);
  const warmupShares = Math.min(options.warmup, WARMUP_CAP);

  // Every level's rooms first, so the top-ups' provider webhooks (retried with backoff) stay out of the
  // counted windows.
  const plans: { warmup?: GiftPlan; gifts: GiftPlan[] }[] = [];
  for (const concurrency of options.concurrency) {
    const tag = `${nonce}-c${concurrency}`;
    const sizes = giftSizes(options.opsAt(concurrency));
    options.progress(
      `preparing ${sizes.length} gift room(s) for c=${concurrency} (top-ups, room joins, not measured)…`,
    );
    const gifts = await prepareGifts(context, tag, sizes);
    const warmup =
      warmupShares > 0 ? (await prepareGifts(context, `${tag}-warm`, [warmupShares]))[0] : undefined;
    plans.push({ gifts, ...(warmup === undefined ? {} : { warmup }) });
  }
  await waitForSilence(stack, PREPARED_QUIET_MS, PREPARED_SETTLE_MAX_MS);

  const runs: GiftRun[] = [];
  for (const [level, concurrency] of options.concurrency.entries()) {
    const plan = plans[level] ?? { gifts: [] };
    if (plan.warmup !== undefined) {
      const warm = await createAndOpen(context, plan.warmup, concurrency, newRecorder());
      if (warm.errors > 0) {
        throw new Error(
          `gifts: warm-up failed (${warm.errors} of ${warmupShares} opens): ${warm.firstError ?? ''}`,
        );
      }
    }

    const ops = options.opsAt(concurrency);
    options.progress(`${ops} opens of ${plan.gifts.length} gift(s), ${concurrency} in flight on one gift…`);
    const recorder = newRecorder();
    const window = await countedWindow(stack, SETTLE_MS, async () => {
      const started = performance.now();
      let errors = 0;
      let firstError: string | undefined;
      for (const gift of plan.gifts) {
        const load = await createAndOpen(context, gift, concurrency, recorder);
        errors += load.errors;
        firstError ??= load.firstError;
      }
      return { errors, firstError, elapsedMs: performance.now() - started };
    });
    const load: LoadResult = {
      latenciesMs: recorder.open,
      errors: window.value.errors,
      ...(window.value.firstError === undefined ? {} : { firstError: window.value.firstError }),
      elapsedMs: window.value.elapsedMs,
    };
    const run = toRunResult(stack, giftsScenario, { ops, concurrency }, load, {
      counters: window.counters,
      countedSeconds: window.countedSeconds,
    });
    // Outside the window: what the gifts themselves say was opened (an open answered 500 may still have
    // claimed its share), once whatever is still running has finished.
    await waitForSilence(stack, PREPARED_QUIET_MS, SETTLE_MS);
    const claimed = await openedShares(context, recorder.created);
    runs.push({
      concurrency,
      gifts: plan.gifts.map((gift) => gift.openers.length),
      create: recorder.create,
      open: recorder.open,
      openingMs: recorder.openingMs,
      refused: recorder.refused,
      claimed,
      countedSeconds: window.countedSeconds,
      run,
    });
  }

  const expiryPerGift = expiryUsdPerMillionOpens(1, 1) / 1_000_000;
  return {
    scenario: giftsScenario.name,
    description: DESCRIPTION,
    runs: runs.map((entry) => entry.run),
    leadSections: [{ title: 'Group gifts (create + concurrent opens)', table: giftsTable(runs) }],
    sections: [],
    notes: [
      `Per level: one room per gift with its creator (funded by a card top-up of $${FUNDING / 100}) and one joined member per share, not measured; then the run waits until no counter has moved for ${PREPARED_QUIET_MS / 1000} s. An unmeasured warm-up gift of at most ${WARMUP_CAP} shares (fewer with --warmup) is created and opened at the level's concurrency, then the counted window.`,
      `The counted window creates each gift (${SHARES_PER_GIFT} random shares, $${GIFT_TOTAL / 100}, default lifetime) and opens all its shares, at most c opens in flight on that one gift, before it creates the next; each member opens once, so any 409 (GIFT_EMPTY, ALREADY_OPENED) or other status is an error. With --ops not a multiple of ${SHARES_PER_GIFT}, the last gift has the remainder of the shares.`,
      `The creates are inside the window: their API request, transaction, Step Functions start (WaitUntilExpiry) and gift.created event (written to the outbox with the gift) are amortised over the opens (1 create per ${SHARES_PER_GIFT} opens). The window waits (at most ${SETTLE_MS / 1000} s) for the counters to settle after the last answer, so the gift.opened events and their targets are in it too.`,
      ...(runs.some((run) => run.run.counters.eventsPut < run.run.ops)
        ? [
            'Fewer events were put than opens: the gift.opened events that each open writes to the outbox did not reach the bus within the window (no outbox relay ran in this stack), so their EventBridge cost and their targets are missing from the figures.',
          ]
        : []),
      `The expiry is not in the window: each gift's execution waits until expires_at (24 h by default), then Expire (one Lambda request that reads the fully opened gift and writes its gift.expired to the outbox) and the outbox relay (one Lambda request, one event), ${EXPIRY_TRANSITIONS} more state transition. Priced at ${formatUsd(expiryPerGift * 1_000_000)} per million gifts (${EXPIRY_TRANSITIONS} transition, ${EXPIRY_LAMBDA_REQUESTS} Lambda requests, ${EXPIRY_EVENTS} event, ${EXPIRY_READ_UNITS} read unit, ${EXPIRY_WRITE_UNITS} write unit), that is ${formatUsd(expiryUsdPerMillionOpens(1, SHARES_PER_GIFT))} per million opens at ${SHARES_PER_GIFT} opens a gift: the "with the later expiry" row adds it; the Lambda's duration and the targets of gift.expired are left out.`,
      'Cancelled TransactWriteItems per open: every transaction the counting proxy saw answered TransactionCanceledException in the window, divided by the opens. In an open, each one is a share lost to a concurrent opener, after which the opener reads the gift again and claims the next share; nothing else in the window is expected to cancel one. The write units of the cancelled attempts are in the write-unit row (AWS bills them).',
      `Counter self-check before the runs: through the counting proxy, a TransactWriteItems whose condition holds moved dynamoTransactionsCancelled by ${probe.held}, one whose condition fails (TransactionCanceledException) by ${probe.failed}.`,
      "Opens/s counts the opens answered 200 over the wall time of the window's work (the Load table's throughput divides the planned opens instead); \"while opening\" counts only the time from a gift's first open sent to its last answer. Open latency includes the retries after lost races. The counters are divided by the planned opens, one per share.",
      ...(runs.some((run) => [...run.refused.keys()].some((status) => status >= 500))
        ? [
            'Some opens answered 5xx. On this stack that is the gifts function\'s timeout (middy answers 500 when the configured timeout is near) while the open is still retrying lost races; the in-process handler goes on after the answer, so its share may still be claimed and paid: the "shares opened per the gifts" row, read after the window, shows how many were.',
          ]
        : []),
      ...options.concurrency
        .filter(
          (concurrency) =>
            concurrency > 1 && Math.min(options.opsAt(concurrency), SHARES_PER_GIFT) < 4 * concurrency,
        )
        .map(
          (concurrency) =>
            `At c=${concurrency} a gift holds fewer than 4 shares per opener in flight: the opens race as a burst (every opener starts on the same share), which is the point of the contention figure, not a steady state.`,
        ),
      "Absolute latencies are the local stack's (one Node.js event loop runs everything, DynamoDB Local beside it, which serialises transactions differently from AWS); the counters and the cost per open are what carry over to AWS, the conflict rate only roughly.",
    ],
  };
}

function newRecorder(): Recorder {
  return { created: [], create: [], open: [], openingMs: 0, refused: new Map() };
}

/**
 * Creates the gift (recording the create's latency), then opens every share with at most `concurrency`
 * opens in flight, each by a different member. A create that fails counts each of its shares as failed.
 */
async function createAndOpen(
  context: ScenarioContext,
  plan: GiftPlan,
  concurrency: number,
  recorder: Recorder,
): Promise<LoadResult> {
  const started = performance.now();
  let giftId: string;
  try {
    const created = await callApi(
      context,
      plan.creator,
      'POST',
      '/wallet/v1/gift/create',
      [201],
      'POST /wallet/v1/gift/create',
      {
        idempotencyKey: randomUUID(),
        body: {
          room_id: plan.roomId,
          total_amount: GIFT_TOTAL,
          currency: CURRENCY,
          count: plan.openers.length,
          distribution: 'random',
          message: 'bench',
        },
      },
    );
    if (typeof created.gift_id !== 'string') throw new Error('POST /wallet/v1/gift/create: no gift_id');
    giftId = created.gift_id;
  } catch (error) {
    if (error instanceof UnexpectedStatusError) tally(recorder.refused, error.status);
    return {
      latenciesMs: [],
      errors: plan.openers.length,
      firstError: error instanceof Error ? error.message : String(error),
      elapsedMs: performance.now() - started,
    };
  }
  recorder.create.push(performance.now() - started);
  recorder.created.push({ giftId, creator: plan.creator });

  const path = `/wallet/v1/gift/${encodeURIComponent(giftId)}/open`;
  const load = await runLoad(
    async (index) => {
      const opener = plan.openers[index] as User;
      const openStarted = performance.now();
      try {
        await callApi(context, opener, 'POST', path, [200], 'POST /wallet/v1/gift/{giftId}/open');
      } catch (error) {
        if (error instanceof UnexpectedStatusError) tally(recorder.refused, error.status);
        throw error;
      }
      recorder.open.push(performance.now() - openStarted);
    },
    plan.openers.length,
    concurrency,
  );
  recorder.openingMs += load.elapsedMs;
  return load;
}

/** Openings the gifts record, read by their creators with GET /wallet/v1/gift/{giftId}. */
async function openedShares(
  context: ScenarioContext,
  gifts: readonly { giftId: string; creator: User }[],
): Promise<number> {
  let opened = 0;
  for (const { giftId, creator } of gifts) {
    const gift = await callApi(
      context,
      creator,
      'GET',
      `/wallet/v1/gift/${encodeURIComponent(giftId)}`,
      [200],
      'GET /wallet/v1/gift/{giftId}',
    );
    if (!Array.isArray(gift.opened_by)) throw new Error('GET /wallet/v1/gift/{giftId}: no opened_by');
    opened += gift.opened_by.length;
  }
  return opened;
}

/** One room per gift: a funded creator and one joined opener per share; nothing here is measured. */
async function prepareGifts(
  context: ScenarioContext,
  tag: string,
  sizes: readonly number[],
): Promise<GiftPlan[]> {
  const user = (userId: string): Promise<User> => benchUser(userId, DEFAULT_LOCAL_JWT_SECRET);
  const plans = await Promise.all(
    sizes.map(async (shares, index): Promise<GiftPlan> => {
      const id = `${tag}-g${String(index).padStart(3, '0')}`;
      return {
        roomId: `!bench-gift-${id}:tween.example`,
        creator: await user(`@bench-gift-${id}-c:tween.example`),
        openers: await Promise.all(
          Array.from({ length: shares }, (_, n) =>
            user(`@bench-gift-${id}-m${String(n).padStart(3, '0')}:tween.example`),
          ),
        ),
      };
    }),
  );

  const joins = plans.flatMap((plan) => [plan.creator, ...plan.openers].map((member) => ({ plan, member })));
  const joined = await runLoad(
    async (index) => {
      const { plan, member } = joins[index] as (typeof joins)[number];
      await joinRoom(context, plan.roomId, member.userId);
    },
    joins.length,
    PREPARE_CONCURRENCY,
  );
  if (joined.errors > 0) {
    throw new Error(
      `gifts: room joins failed (${joined.errors} of ${joins.length}): ${joined.firstError ?? ''}`,
    );
  }

  const funded = await runLoad(
    async (index) => {
      const plan = plans[index] as GiftPlan;
      await cardTopUp(context, plan.creator, FUNDING);
    },
    plans.length,
    PREPARE_CONCURRENCY,
  );
  if (funded.errors > 0) {
    throw new Error(
      `gifts: top-ups failed (${funded.errors} of ${plans.length}): ${funded.firstError ?? ''}`,
    );
  }
  return plans;
}
