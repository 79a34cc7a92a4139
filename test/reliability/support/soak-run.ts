/**
 * Runs the soak's scripts against the stack as apps would, recording in the model what the API accepted and
 * judging each answer as it comes where it can be judged then (an INSUFFICIENT_FUNDS against the wallet's
 * floor, a status no rule allows).
 */
import { type Answer, type StackClient, sleep, type User } from './soak-client.js';
import type { SoakMerchant } from './soak-merchants.js';
import type { DebitTicket, DecisionKind, GiftFact, PaymentFact, SoakModel } from './soak-model.js';
import { PIN, type Script, WRONG_PIN } from './soak-plan.js';

export interface PaymentBody {
  paymentId: string;
  state: string;
  amount: { value: number; currency: string };
  paymentMethod: { type: string };
  refundedAmount: number;
  mfaRequired: boolean;
}
export interface TransferBody {
  transfer_id: string;
  status: string;
  amount: number;
}
export interface GiftBody {
  gift_id: string;
  status: string;
  total_amount: number;
  count: number;
  remaining: number;
  opened_by: { user_id: string; amount: number }[];
  refunded_amount?: number;
}
interface TopupBody {
  topupId: string;
  status: string;
  amount: number;
}
interface RefundBody {
  amount: number;
  payment: PaymentBody;
}
interface OpenedBody {
  amount: number;
  remaining: number;
}
interface ChallengeBody {
  challengeId: string;
}

export interface SoakContext {
  client: StackClient;
  users: readonly User[];
  rooms: readonly string[];
  model: SoakModel;
  /** Keeps idempotency keys of this run apart from any earlier run's on the same stack. */
  runTag: string;
  /** The fixture app of the seeded demo merchant: payments that pay no soak merchant. */
  appId: string;
  /** The merchants onboarded for the run, each with its live app. */
  merchants: readonly SoakMerchant[];
  /** Refunds are ops-only: the refunds of the mix are sent with this token. */
  opsToken: string;
}

export const TERMINAL_PAYMENT_STATES: readonly string[] = ['Completed', 'Refunded', 'Failed'];

export async function runScript(ctx: SoakContext, script: Script): Promise<void> {
  switch (script.kind) {
    case 'topup':
      return topup(ctx, script);
    case 'payment':
      return payment(ctx, script);
    case 'p2p':
      return p2p(ctx, script);
    case 'gift':
      return gift(ctx, script);
  }
}

function userOf(ctx: SoakContext, index: number): User {
  const user = ctx.users[index];
  if (user === undefined) throw new RangeError(`No user ${index}`);
  return user;
}

function roomOf(ctx: SoakContext, index: number): string {
  const room = ctx.rooms[index];
  if (room === undefined) throw new RangeError(`No room ${index}`);
  return room;
}

function appOf(ctx: SoakContext, merchant: number | undefined): string {
  if (merchant === undefined) return ctx.appId;
  const app = ctx.merchants[merchant]?.appId;
  if (app === undefined) throw new RangeError(`No merchant ${merchant}`);
  return app;
}

function key(ctx: SoakContext, script: { id: number }, step: string): string {
  return `${ctx.runTag}-${script.id}-${step}`;
}

function outcome(answer: Answer<unknown>): string {
  return answer.code === undefined ? String(answer.status) : `${answer.status} ${answer.code}`;
}

function unexpected(ctx: SoakContext, what: string, answer: Answer<unknown>): void {
  ctx.model.problem(`${what}: unexpected ${outcome(answer)} ${JSON.stringify(answer.body).slice(0, 300)}`);
}

/** A debit answered: applied on 201; a refusal must be a legitimate INSUFFICIENT_FUNDS. */
function settleDebit(ctx: SoakContext, what: string, ticket: DebitTicket, answer: Answer<unknown>): void {
  ctx.model.floor.finishDebit(ticket, answer.status === 201);
  if (answer.status === 201) return;
  if (answer.status === 402 && answer.code === 'INSUFFICIENT_FUNDS') {
    if (!ctx.model.floor.insufficientIsLegitimate(ticket)) {
      ctx.model.problem(
        `${what}: INSUFFICIENT_FUNDS for ${ticket.amount} although the wallet held at least ${ticket.floor} throughout`,
      );
    }
    return;
  }
  unexpected(ctx, what, answer);
}

async function topup(ctx: SoakContext, script: Extract<Script, { kind: 'topup' }>): Promise<void> {
  const user = userOf(ctx, script.user);
  const card = script.declined ? 'pm_card_chargeDeclined' : 'pm_card_visa';
  ctx.model.intent(script.declined ? 'top-up, declined card' : 'top-up');
  const answer = await ctx.client.request<TopupBody>('topup', 'POST', '/wallet/v1/topup', {
    token: user.token,
    idempotencyKey: key(ctx, script, 'topup'),
    body: { amount: script.amount, currency: 'USD', paymentMethod: { type: 'card', id: card } },
  });
  if (script.declined) {
    if (answer.status !== 402 || answer.code !== 'PAYMENT_DECLINED')
      unexpected(ctx, 'declined top-up', answer);
    return;
  }
  if (answer.status !== 201 || answer.body.status !== 'succeeded' || answer.body.amount !== script.amount) {
    unexpected(ctx, 'top-up', answer);
    return;
  }
  ctx.model.floor.credit(script.user, answer.body.amount);
  ctx.model.topups.push({ user: script.user, amount: answer.body.amount, topupId: answer.body.topupId });
}

async function payment(ctx: SoakContext, script: Extract<Script, { kind: 'payment' }>): Promise<void> {
  const user = userOf(ctx, script.user);
  const card = script.declinedCard ? 'pm_card_chargeDeclined' : 'pm_card_visa';
  const ticket =
    script.method === 'wallet' ? ctx.model.floor.startDebit(script.user, script.amount) : undefined;
  const answer = await ctx.client.request<PaymentBody>(
    'payment.request',
    'POST',
    '/api/v1/payments/request',
    {
      token: user.token,
      idempotencyKey: key(ctx, script, 'pay'),
      body: {
        appId: appOf(ctx, script.merchant),
        amount: { value: script.amount, currency: 'USD' },
        paymentMethod: script.method === 'wallet' ? { type: 'wallet' } : { type: 'card', id: card },
        description: `soak ${script.id}`,
        ...(script.room === undefined ? {} : { roomId: roomOf(ctx, script.room) }),
      },
    },
  );
  if (ticket !== undefined) settleDebit(ctx, `wallet payment ${script.id}`, ticket, answer);
  else if (answer.status !== 201) unexpected(ctx, `card payment ${script.id}`, answer);
  if (answer.status !== 201) return;

  const fact: PaymentFact = {
    paymentId: answer.body.paymentId,
    user: script.user,
    method: script.method,
    amount: script.amount,
    merchant: script.merchant,
    mfa: answer.body.state === 'MFA_Required',
    refunds: [],
    refusedRefunds: [],
  };
  ctx.model.payments.set(fact.paymentId, fact);
  ctx.model.intent(
    `${script.method} payment${script.declinedCard ? ', declined card' : ''}${fact.mfa ? ', with MFA' : ''}`,
  );
  if (script.merchant !== undefined) ctx.model.intent('payment to a soak merchant');
  if (fact.mfa) await passMfa(ctx, user, fact.paymentId, script.wrongPinFirst);
  if (script.refund === 'none') return;

  const settled = await untilSettled(ctx, user, fact.paymentId);
  if (settled?.state !== 'Completed') {
    ctx.model.problem(`payment ${fact.paymentId} to refund ended ${settled?.state ?? 'unsettled'}`);
    return;
  }
  const partial = Math.max(1, Math.floor(script.amount * script.partialShare));
  ctx.model.intent(`refund, ${script.refund}`);
  switch (script.refund) {
    case 'full':
      await refund(ctx, script, fact, 'r1', undefined);
      return;
    case 'partial':
      await refund(ctx, script, fact, 'r1', partial);
      return;
    case 'partialThenRest':
      await refund(ctx, script, fact, 'r1', partial);
      await refund(ctx, script, fact, 'r2', undefined);
      return;
    case 'twinFull':
      // Two full refunds at once: exactly one may win; the other finds nothing left to refund.
      await Promise.all([
        refund(ctx, script, fact, 'r1', undefined),
        refund(ctx, script, fact, 'r2', undefined),
      ]);
      return;
  }
}

async function passMfa(ctx: SoakContext, user: User, paymentId: string, wrongFirst: boolean): Promise<void> {
  const challenge = await ctx.client.request<ChallengeBody>(
    'mfa.challenge',
    'POST',
    `/payments/v1/${paymentId}/mfa/challenge`,
    { token: user.token, body: { method: 'transaction_pin' } },
  );
  if (challenge.status !== 201) {
    unexpected(ctx, `MFA challenge of ${paymentId}`, challenge);
    return;
  }
  const verify = (pin: string) =>
    ctx.client.request<PaymentBody>('mfa.verify', 'POST', `/payments/v1/${paymentId}/mfa/verify`, {
      token: user.token,
      body: { challengeId: challenge.body.challengeId, pin },
    });
  if (wrongFirst) {
    const wrong = await verify(WRONG_PIN);
    if (wrong.status !== 401 || wrong.code !== 'MFA_FAILED')
      unexpected(ctx, `wrong PIN on ${paymentId}`, wrong);
  }
  const right = await verify(PIN);
  if (right.status !== 200) unexpected(ctx, `MFA verify of ${paymentId}`, right);
}

async function refund(
  ctx: SoakContext,
  script: { id: number },
  fact: PaymentFact,
  step: string,
  amount: number | undefined,
): Promise<void> {
  const answer = await ctx.client.request<RefundBody>(
    'refund',
    'POST',
    `/api/v1/payments/${fact.paymentId}/refund`,
    {
      token: ctx.opsToken,
      idempotencyKey: key(ctx, script, step),
      body: amount === undefined ? {} : { amount },
    },
  );
  if (answer.status === 201) {
    fact.refunds.push(answer.body.amount);
    if (fact.method === 'wallet') ctx.model.floor.credit(fact.user, answer.body.amount);
    return;
  }
  const refusal = `${answer.status} ${answer.code ?? ''}`;
  if (refusal === '409 INVALID_STATE_TRANSITION' || refusal === '400 INVALID_AMOUNT') {
    fact.refusedRefunds.push({ requested: amount, outcome: refusal });
    return;
  }
  unexpected(ctx, `refund of ${fact.paymentId}`, answer);
}

/** Polls the payment until it is Completed, Refunded or Failed (undefined after `timeoutMs`). */
export async function untilSettled(
  ctx: Pick<SoakContext, 'client'>,
  user: User,
  paymentId: string,
  timeoutMs = 60_000,
): Promise<PaymentBody | undefined> {
  const deadline = Date.now() + timeoutMs;
  // Every poll is a request the stack serves on the same cores as the mix: poll slowly, backing off.
  for (let wait = 500; ; wait = Math.min(2_000, wait * 1.5)) {
    await sleep(wait);
    const answer = await ctx.client.request<PaymentBody>(undefined, 'GET', `/api/v1/payments/${paymentId}`, {
      token: user.token,
    });
    if (answer.status === 200 && TERMINAL_PAYMENT_STATES.includes(answer.body.state)) return answer.body;
    if (Date.now() > deadline) return undefined;
  }
}

async function p2p(ctx: SoakContext, script: Extract<Script, { kind: 'p2p' }>): Promise<void> {
  const sender = userOf(ctx, script.sender);
  const recipient = userOf(ctx, script.recipient);
  const ticket = ctx.model.floor.startDebit(script.sender, script.amount);
  const answer = await ctx.client.request<TransferBody>('p2p.initiate', 'POST', '/wallet/v1/p2p/initiate', {
    token: sender.token,
    idempotencyKey: key(ctx, script, 'p2p'),
    body: {
      recipient: recipient.userId,
      amount: script.amount,
      currency: 'USD',
      note: `soak ${script.id}`,
      room_id: roomOf(ctx, script.room),
    },
  });
  settleDebit(ctx, `P2P ${script.id}`, ticket, answer);
  if (answer.status !== 201) return;
  const fact = {
    transferId: answer.body.transfer_id,
    sender: script.sender,
    recipient: script.recipient,
    amount: script.amount,
    decisions: [] as { decision: DecisionKind; status: number; code?: string }[],
  };
  ctx.model.transfers.set(fact.transferId, fact);
  ctx.model.intent(`P2P, ${script.decision}`);
  const decide = async (decision: DecisionKind) => {
    const by = decision === 'cancel' ? sender : recipient;
    const decided = await ctx.client.request<TransferBody>(
      `p2p.${decision}`,
      'POST',
      `/wallet/v1/p2p/${fact.transferId}/${decision}`,
      { token: by.token },
    );
    fact.decisions.push({
      decision,
      status: decided.status,
      ...(decided.code === undefined ? {} : { code: decided.code }),
    });
    const allowed =
      decided.status === 200 || `${decided.status} ${decided.code}` === '409 INVALID_STATE_TRANSITION';
    if (!allowed) unexpected(ctx, `P2P ${decision} of ${fact.transferId}`, decided);
  };
  switch (script.decision) {
    case 'expire':
      return;
    case 'accept':
    case 'reject':
    case 'cancel':
      await decide(script.decision);
      return;
    case 'acceptVsCancel':
      await Promise.all([decide('accept'), decide('cancel')]);
      return;
    case 'rejectVsCancel':
      await Promise.all([decide('reject'), decide('cancel')]);
      return;
    case 'acceptVsReject':
      await Promise.all([decide('accept'), decide('reject')]);
      return;
  }
}

async function gift(ctx: SoakContext, script: Extract<Script, { kind: 'gift' }>): Promise<void> {
  const creator = userOf(ctx, script.creator);
  const ticket = ctx.model.floor.startDebit(script.creator, script.total);
  const answer = await ctx.client.request<GiftBody>('gift.create', 'POST', '/wallet/v1/gift/create', {
    token: creator.token,
    idempotencyKey: key(ctx, script, 'gift'),
    body: {
      room_id: roomOf(ctx, script.room),
      total_amount: script.total,
      currency: 'USD',
      count: script.count,
      distribution: script.distribution,
      message: `soak ${script.id}`,
      expires_in_seconds: script.expiresInSeconds,
    },
  });
  settleDebit(ctx, `gift ${script.id}`, ticket, answer);
  if (answer.status !== 201) return;
  const fact: GiftFact = {
    giftId: answer.body.gift_id,
    creator: script.creator,
    total: script.total,
    count: script.count,
    opens: [],
  };
  ctx.model.gifts.set(fact.giftId, fact);
  ctx.model.intent(script.openers.length < script.count ? 'gift, left to expire' : 'gift, opened out');
  const open = async (index: number) => {
    const opener = userOf(ctx, index);
    const opened = await ctx.client.request<OpenedBody>(
      'gift.open',
      'POST',
      `/wallet/v1/gift/${fact.giftId}/open`,
      { token: opener.token },
    );
    fact.opens.push({
      user: index,
      status: opened.status,
      ...(opened.code === undefined ? {} : { code: opened.code }),
      ...(opened.status === 200 ? { amount: opened.body.amount } : {}),
    });
    if (opened.status === 200) {
      ctx.model.floor.credit(index, opened.body.amount);
      return;
    }
    const refusal = `${opened.status} ${opened.code ?? ''}`;
    const allowed = ['409 GIFT_EMPTY', '409 ALREADY_OPENED', '409 INVALID_STATE_TRANSITION'];
    if (!allowed.includes(refusal)) unexpected(ctx, `opening gift ${fact.giftId}`, opened);
  };
  await Promise.all(script.openers.map(open));
  const first = script.openers[0];
  if (script.reopen && first !== undefined) await open(first);
}
