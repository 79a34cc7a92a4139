/**
 * The fault suite's seeded mix of money-moving operations — card top-ups, wallet and card payments and their
 * refunds, P2P transfers and their decisions, gifts and their openings — run as a well-behaved app runs
 * them while faults are on: a step without a final answer is retried with the same Idempotency-Key; one that
 * still has none when the retries run out waits for the faults to end and is retried then (the app coming
 * back), except a few top-ups whose app gives up for good (then the webhooks and reconciliation must settle
 * them). Each script records what the client was told; ids are derived from the keys as the API derives
 * them, so an abandoned operation can still be looked up.
 */
import { deriveSeed, pick, randomInt, seededRandom, weighted } from '../../../local/faults/random.js';
import { randomIds } from '../../../shared/adapters/ids.js';
import type { Outcome, RetryingClient } from './fault-client.js';
import type { Answer, RequestOptions, User } from './soak-client.js';

/** Attempts per step while faults are on, then again once they are off. */
const ATTEMPTS_DURING_FAULTS = 6;
const ATTEMPTS_IN_RECOVERY = 20;
/** Fewer wallet and card payments per user than the velocity rule allows without MFA (10 an hour). */
const PAYMENTS_PER_USER = 8;

export type FaultScript =
  | { kind: 'topup'; id: number; user: number; amount: number; abandon: boolean }
  | {
      kind: 'payment';
      id: number;
      user: number;
      method: 'wallet' | 'card';
      amount: number;
      room: number | undefined;
      refund: 'none' | 'full' | 'partial' | 'partialThenRest';
    }
  | {
      kind: 'p2p';
      id: number;
      sender: number;
      recipient: number;
      room: number;
      amount: number;
      decision: 'accept' | 'reject' | 'cancel' | 'expire';
    }
  | {
      kind: 'gift';
      id: number;
      creator: number;
      room: number;
      total: number;
      count: number;
      openers: number[];
      expiresInSeconds: number;
    };

export function planFaultMix(seed: number, users: number, rooms: number, scripts: number): FaultScript[] {
  const plan: FaultScript[] = [];
  const payments = new Map<number, number>();
  for (let id = 0; plan.length < scripts; id += 1) {
    const random = seededRandom(deriveSeed(seed, 'fault-script', id));
    const user = randomInt(random, 0, users - 1);
    const room = randomInt(random, 0, rooms - 1);
    const kind = weighted(random, { topup: 3, payment: 2, cardPayment: 2, p2p: 3, gift: 2 });
    if (kind === 'topup') {
      plan.push({ kind, id, user, amount: randomInt(random, 10, 80) * 100, abandon: random() < 0.15 });
    } else if (kind === 'payment' || kind === 'cardPayment') {
      if ((payments.get(user) ?? 0) >= PAYMENTS_PER_USER) continue;
      payments.set(user, (payments.get(user) ?? 0) + 1);
      plan.push({
        kind: 'payment',
        id,
        user,
        method: kind === 'payment' ? 'wallet' : 'card',
        amount: randomInt(random, 100, 4_500),
        room: random() < 0.5 ? room : undefined,
        refund: weighted(random, { none: 5, full: 2, partial: 2, partialThenRest: 1 }),
      });
    } else if (kind === 'p2p') {
      plan.push({
        kind,
        id,
        sender: user,
        recipient: (user + randomInt(random, 1, users - 1)) % users,
        room,
        amount: randomInt(random, 100, 2_000),
        decision: weighted(random, { accept: 5, reject: 2, cancel: 2, expire: 1 }),
      });
    } else {
      const count = randomInt(random, 1, 4);
      const others = Array.from({ length: users }, (_, index) => index).filter((index) => index !== user);
      const openers: number[] = [];
      const wanted = randomInt(random, 0, count + 1);
      while (openers.length < wanted) {
        const candidate = pick(random, others);
        if (!openers.includes(candidate)) openers.push(candidate);
      }
      plan.push({
        kind,
        id,
        creator: user,
        room,
        total: randomInt(random, count * 100, 3_000),
        count,
        openers,
        expiresInSeconds: randomInt(random, 8, 14),
      });
    }
  }
  return plan;
}

/** What the client was told, per operation; `told` undefined: no final answer ever came (given up). */
export interface Told {
  status: number;
  code?: string;
  body: Record<string, unknown>;
  attempts: number;
}

export interface FaultRecords {
  topups: { user: number; key: string; topupId: string; amount: number; told?: Told }[];
  payments: {
    user: number;
    key: string;
    paymentId: string;
    method: 'wallet' | 'card';
    amount: number;
    roomId?: string;
    told?: Told;
    refunds: { key: string; requested?: number; told?: Told }[];
  }[];
  transfers: {
    sender: number;
    recipient: number;
    key: string;
    transferId: string;
    roomId: string;
    amount: number;
    told?: Told;
    decisions: { decision: string; told?: Told }[];
  }[];
  gifts: {
    creator: number;
    key: string;
    giftId: string;
    roomId: string;
    total: number;
    count: number;
    told?: Told;
    /** `amount` from a 200, or from the ALREADY_OPENED that answers a retry whose first answer was lost. */
    opens: { user: number; told?: Told; amount?: number }[];
  }[];
}

export interface MixContext {
  client: RetryingClient;
  users: readonly User[];
  rooms: readonly string[];
  runTag: string;
  appId: string;
  records: FaultRecords;
  /** Refunds are ops-only: the refunds of the mix are sent with this token. */
  opsToken: string;
  /** Resolves when the faults are switched off: a parked step is retried then. */
  recovery: Promise<void>;
}

export function emptyRecords(): FaultRecords {
  return { topups: [], payments: [], transfers: [], gifts: [] };
}

/**
 * Runs one script. `park` is called when a step has to wait for the faults to end, so the caller can let
 * another script start meanwhile.
 */
export async function runFaultScript(ctx: MixContext, script: FaultScript, park: () => void): Promise<void> {
  const step = async (
    operation: string,
    method: string,
    path: string,
    options: RequestOptions,
    giveUp = false,
  ): Promise<Told | undefined> => {
    // An app that gives up does so at its first failure (it crashed, or its user walked away).
    let outcome: Outcome<Record<string, unknown>> = await ctx.client.call(
      operation,
      method,
      path,
      options,
      giveUp ? 1 : ATTEMPTS_DURING_FAULTS,
    );
    if (!outcome.definitive) {
      if (giveUp) return undefined;
      park();
      await ctx.recovery;
      outcome = await ctx.client.call(operation, method, path, options, ATTEMPTS_IN_RECOVERY);
    }
    return outcome.definitive ? told(outcome.answer, outcome.attempts) : undefined;
  };
  switch (script.kind) {
    case 'topup':
      return topup(ctx, script, step);
    case 'payment':
      return payment(ctx, script, step);
    case 'p2p':
      return p2p(ctx, script, step);
    case 'gift':
      return gift(ctx, script, step);
  }
}

type Step = (
  operation: string,
  method: string,
  path: string,
  options: RequestOptions,
  giveUp?: boolean,
) => Promise<Told | undefined>;

function told(answer: Answer<Record<string, unknown>>, attempts: number): Told {
  return {
    status: answer.status,
    ...(answer.code === undefined ? {} : { code: answer.code }),
    body: answer.body,
    attempts,
  };
}

function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new RangeError(`No item ${index}`);
  return item;
}

async function topup(ctx: MixContext, script: Extract<FaultScript, { kind: 'topup' }>, step: Step) {
  const user = at(ctx.users, script.user);
  const key = `${ctx.runTag}-${script.id}-topup`;
  const record: FaultRecords['topups'][number] = {
    user: script.user,
    key,
    topupId: randomIds.derive('tu_', user.userId, key),
    amount: script.amount,
  };
  ctx.records.topups.push(record);
  const answer = await step(
    'topup',
    'POST',
    '/wallet/v1/topup',
    {
      token: user.token,
      idempotencyKey: key,
      body: { amount: script.amount, currency: 'USD', paymentMethod: { type: 'card', id: 'pm_card_visa' } },
    },
    script.abandon,
  );
  if (answer !== undefined) record.told = answer;
}

async function payment(ctx: MixContext, script: Extract<FaultScript, { kind: 'payment' }>, step: Step) {
  const user = at(ctx.users, script.user);
  const key = `${ctx.runTag}-${script.id}-pay`;
  const roomId = script.room === undefined ? undefined : at(ctx.rooms, script.room);
  const record: FaultRecords['payments'][number] = {
    user: script.user,
    key,
    paymentId: randomIds.derive('pay_', user.userId, key),
    method: script.method,
    amount: script.amount,
    ...(roomId === undefined ? {} : { roomId }),
    refunds: [],
  };
  ctx.records.payments.push(record);
  const answer = await step('payment.request', 'POST', '/api/v1/payments/request', {
    token: user.token,
    idempotencyKey: key,
    body: {
      appId: ctx.appId,
      amount: { value: script.amount, currency: 'USD' },
      paymentMethod: script.method === 'wallet' ? { type: 'wallet' } : { type: 'card', id: 'pm_card_visa' },
      description: `faults ${script.id}`,
      ...(roomId === undefined ? {} : { roomId }),
    },
  });
  if (answer === undefined) return;
  record.told = answer;
  if (answer.status !== 201 || script.refund === 'none') return;
  const state = await until(ctx, user, record.paymentId);
  if (state !== 'Completed') return;
  const refund = async (suffix: string, amount: number | undefined) => {
    const refundKey = `${key}-${suffix}`;
    const entry: FaultRecords['payments'][number]['refunds'][number] = {
      key: refundKey,
      ...(amount === undefined ? {} : { requested: amount }),
    };
    record.refunds.push(entry);
    const result = await step('refund', 'POST', `/api/v1/payments/${record.paymentId}/refund`, {
      token: ctx.opsToken,
      idempotencyKey: refundKey,
      body: amount === undefined ? {} : { amount },
    });
    if (result !== undefined) entry.told = result;
  };
  const partial = Math.max(1, Math.floor(script.amount / 3));
  if (script.refund === 'full') await refund('r1', undefined);
  if (script.refund === 'partial') await refund('r1', partial);
  if (script.refund === 'partialThenRest') {
    await refund('r1', partial);
    await refund('r2', undefined);
  }
}

/** The payment's state once it has settled (Completed, Refunded or Failed), or the last one seen. */
async function until(ctx: MixContext, user: User, paymentId: string): Promise<string | undefined> {
  const deadline = Date.now() + 90_000;
  let state: string | undefined;
  while (Date.now() < deadline) {
    const answer = await ctx.client.read<{ state?: string }>(`/api/v1/payments/${paymentId}`, user.token);
    state = answer.body.state;
    if (state === 'Completed' || state === 'Refunded' || state === 'Failed') return state;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return state;
}

async function p2p(ctx: MixContext, script: Extract<FaultScript, { kind: 'p2p' }>, step: Step) {
  const sender = at(ctx.users, script.sender);
  const recipient = at(ctx.users, script.recipient);
  const key = `${ctx.runTag}-${script.id}-p2p`;
  const record: FaultRecords['transfers'][number] = {
    sender: script.sender,
    recipient: script.recipient,
    key,
    transferId: randomIds.derive('p2p_', sender.userId, key),
    roomId: at(ctx.rooms, script.room),
    amount: script.amount,
    decisions: [],
  };
  ctx.records.transfers.push(record);
  const answer = await step('p2p.initiate', 'POST', '/wallet/v1/p2p/initiate', {
    token: sender.token,
    idempotencyKey: key,
    body: {
      recipient: recipient.userId,
      amount: script.amount,
      currency: 'USD',
      room_id: record.roomId,
    },
  });
  if (answer === undefined) return;
  record.told = answer;
  if (answer.status !== 201 || script.decision === 'expire') return;
  const by = script.decision === 'cancel' ? sender : recipient;
  const decision: FaultRecords['transfers'][number]['decisions'][number] = { decision: script.decision };
  record.decisions.push(decision);
  const decided = await step(
    `p2p.${script.decision}`,
    'POST',
    `/wallet/v1/p2p/${record.transferId}/${script.decision}`,
    { token: by.token },
  );
  if (decided !== undefined) decision.told = decided;
}

async function gift(ctx: MixContext, script: Extract<FaultScript, { kind: 'gift' }>, step: Step) {
  const creator = at(ctx.users, script.creator);
  const key = `${ctx.runTag}-${script.id}-gift`;
  const record: FaultRecords['gifts'][number] = {
    creator: script.creator,
    key,
    giftId: randomIds.derive('gift_', creator.userId, key),
    roomId: at(ctx.rooms, script.room),
    total: script.total,
    count: script.count,
    opens: [],
  };
  ctx.records.gifts.push(record);
  const answer = await step('gift.create', 'POST', '/wallet/v1/gift/create', {
    token: creator.token,
    idempotencyKey: key,
    body: {
      room_id: record.roomId,
      total_amount: script.total,
      currency: 'USD',
      count: script.count,
      distribution: 'random',
      expires_in_seconds: script.expiresInSeconds,
    },
  });
  if (answer === undefined) return;
  record.told = answer;
  if (answer.status !== 201) return;
  await Promise.all(
    script.openers.map(async (index) => {
      const opener = at(ctx.users, index);
      const open: FaultRecords['gifts'][number]['opens'][number] = { user: index };
      record.opens.push(open);
      const opened = await step('gift.open', 'POST', `/wallet/v1/gift/${record.giftId}/open`, {
        token: opener.token,
      });
      if (opened === undefined) return;
      open.told = opened;
      if (opened.status === 200) open.amount = Number(opened.body.amount);
      // A retry of an open whose first answer was lost: the refusal carries the share it got.
      const details = (opened.body.error as { details?: { amount?: unknown } } | undefined)?.details;
      if (opened.code === 'ALREADY_OPENED' && typeof details?.amount === 'number')
        open.amount = details.amount;
    }),
  );
}

/**
 * Runs the scripts at most `concurrency` at a time, a parked script giving its place to the next one. Once
 * every script has ended or parked, `endFaults` is called (it switches the faults off and lets the parked
 * scripts go on); resolves when every script has ended.
 */
export async function runMix(
  ctx: MixContext,
  scripts: readonly FaultScript[],
  concurrency: number,
  endFaults: () => Promise<void>,
): Promise<void> {
  let free = concurrency;
  const waiting: (() => void)[] = [];
  const acquire = async () => {
    if (free > 0) free -= 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const next = waiting.shift();
    if (next === undefined) free += 1;
    else next();
  };
  let quiet = 0;
  let ended: Promise<void> | undefined;
  const progressed = () => {
    quiet += 1;
    if (quiet === scripts.length) ended = endFaults();
  };
  await Promise.all(
    scripts.map(async (script) => {
      await acquire();
      let parked = false;
      const park = () => {
        if (parked) return;
        parked = true;
        release();
        progressed();
      };
      try {
        await runFaultScript(ctx, script, park);
      } finally {
        if (!parked) {
          release();
          progressed();
        }
      }
    }),
  );
  await ended;
}
