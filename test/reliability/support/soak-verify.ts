/**
 * After the mix: waiting for quiescence on observable state (every transfer decided or expired, every gift
 * opened out or expired, every payment settled, no wallet holding anything pending, every provider webhook
 * about our payments delivered and consumed), then judging the end state against the model: balances equal
 * what the accepted operations imply, and every refusal was legitimate.
 */
import { type Answer, inPool, type StackClient, sleep, type User } from './soak-client.js';
import type { SoakModel } from './soak-model.js';
import { type GiftBody, type PaymentBody, TERMINAL_PAYMENT_STATES, type TransferBody } from './soak-run.js';

export interface Balance {
  available: number;
  pending: number;
  total: number;
}

export interface EndState {
  payments: Map<string, PaymentBody>;
  transfers: Map<string, TransferBody>;
  gifts: Map<string, GiftBody>;
  balances: Balance[];
}

interface StripeEventRecord {
  event: {
    id: string;
    data: {
      object: { id: string; object: string; payment_intent?: string; metadata?: Record<string, string> };
    };
  };
  delivery: { state: string };
}

/**
 * Reads `ids` until `isFinal` holds for each (or `timeoutMs` passes: then the last answers are returned, and
 * the checks report what is still moving).
 */
async function settleAll<T>(
  ids: readonly string[],
  read: (id: string) => Promise<Answer<T>>,
  isFinal: (body: T) => boolean,
  timeoutMs: number,
): Promise<Map<string, T>> {
  const last = new Map<string, T>();
  let open = [...ids];
  const deadline = Date.now() + timeoutMs;
  while (open.length > 0) {
    const stillOpen: string[] = [];
    await inPool(open, 16, async (id) => {
      const answer = await read(id);
      if (answer.status === 200) last.set(id, answer.body);
      if (answer.status !== 200 || !isFinal(answer.body)) stillOpen.push(id);
    });
    open = stillOpen;
    if (open.length === 0 || Date.now() > deadline) break;
    await sleep(500);
  }
  return last;
}

export async function waitForQuiescence(
  client: StackClient,
  model: SoakModel,
  users: readonly User[],
  options: { stripeUrl: string; opsToken: string; timeoutMs: number },
): Promise<EndState> {
  const deadline = Date.now() + options.timeoutMs;
  const left = () => Math.max(1_000, deadline - Date.now());
  const userOf = (index: number) => users[index] as User;

  const transfers = await settleAll<TransferBody>(
    [...model.transfers.keys()],
    (id) =>
      client.request<TransferBody>(undefined, 'GET', `/wallet/v1/p2p/${id}`, {
        token: userOf(model.transfers.get(id)?.sender ?? 0).token,
      }),
    (body) => body.status !== 'pending_recipient_acceptance',
    left(),
  );
  const gifts = await settleAll<GiftBody>(
    [...model.gifts.keys()],
    (id) =>
      client.request<GiftBody>(undefined, 'GET', `/wallet/v1/gift/${id}`, {
        token: userOf(model.gifts.get(id)?.creator ?? 0).token,
      }),
    (body) => body.status !== 'active',
    left(),
  );
  const payments = await settleAll<PaymentBody>(
    [...model.payments.keys()],
    (id) =>
      client.request<PaymentBody>(undefined, 'GET', `/api/v1/payments/${id}`, {
        token: userOf(model.payments.get(id)?.user ?? 0).token,
      }),
    (body) => TERMINAL_PAYMENT_STATES.includes(body.state),
    left(),
  );
  await webhooksConsumed(client, model, options.stripeUrl, options.opsToken, left());
  const balanceMap = await settleAll<{ balances: (Balance & { currency: string })[] }>(
    users.map((user) => String(user.index)),
    (index) =>
      client.request(undefined, 'GET', `/payments/v1/user/${userOf(Number(index)).path}/balance`, {
        token: userOf(Number(index)).token,
      }),
    (body) => body.balances.every((balance) => balance.pending === 0),
    left(),
  );
  const balances = users.map((user) => {
    const usd = balanceMap.get(String(user.index))?.balances.find((balance) => balance.currency === 'USD');
    return { available: usd?.available ?? 0, pending: usd?.pending ?? 0, total: usd?.total ?? 0 };
  });
  return { payments, transfers, gifts, balances };
}

/**
 * Every event the local Stripe server sent about our PaymentIntents was delivered to the webhook route, and
 * none of them is still waiting in the inbox (`received`).
 */
async function webhooksConsumed(
  client: StackClient,
  model: SoakModel,
  stripeUrl: string,
  opsToken: string,
  timeoutMs: number,
): Promise<void> {
  const ours = new Set<string>([
    ...model.topups.map((topup) => topup.topupId),
    ...[...model.payments.values()].filter((p) => p.method === 'card').map((p) => p.paymentId),
  ]);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${stripeUrl}/local/stripe/events`);
    const { data } = (await response.json()) as { data: StripeEventRecord[] };
    const intents = new Set(
      data
        .map((record) => record.event.data.object)
        .filter((object) => object.object === 'payment_intent')
        .filter((object) => ours.has(object.metadata?.topupId ?? object.metadata?.paymentId ?? ''))
        .map((object) => object.id),
    );
    const mine = data.filter((record) => {
      const object = record.event.data.object;
      return intents.has(object.id) || intents.has(object.payment_intent ?? '');
    });
    const undelivered = mine.filter((record) => record.delivery.state === 'pending').length;
    const waiting = await client.request<{ items: { providerEventId: string }[] }>(
      undefined,
      'GET',
      '/api/v1/webhooks/events?status=received&limit=100',
      { token: opsToken },
    );
    const mineIds = new Set(mine.map((record) => record.event.id));
    const unconsumed = (waiting.body.items ?? []).filter((item) => mineIds.has(item.providerEventId)).length;
    if (undelivered === 0 && unconsumed === 0) return;
    if (Date.now() > deadline) {
      model.problem(`webhooks: ${undelivered} undelivered and ${unconsumed} unconsumed after the wait`);
      return;
    }
    await sleep(500);
  }
}

/** What the end state should be by the model, and every way it is not. */
export function judge(model: SoakModel, end: EndState, users: readonly User[], initial: number): string[] {
  const problems: string[] = [...model.problems];
  const expected = users.map(() => initial);
  const add = (user: number, amount: number) => {
    expected[user] = (expected[user] ?? 0) + amount;
  };

  for (const topup of model.topups) add(topup.user, topup.amount);

  for (const fact of model.payments.values()) {
    const payment = end.payments.get(fact.paymentId);
    if (payment === undefined || !TERMINAL_PAYMENT_STATES.includes(payment.state)) {
      problems.push(`payment ${fact.paymentId} is ${payment?.state ?? 'unreadable'} after quiescence`);
      continue;
    }
    const refunded = fact.refunds.reduce((sum, amount) => sum + amount, 0);
    if (payment.refundedAmount !== refunded) {
      problems.push(`payment ${fact.paymentId}: refunded ${payment.refundedAmount}, answered ${refunded}`);
    }
    if (payment.state === 'Refunded' && refunded !== fact.amount) {
      problems.push(`payment ${fact.paymentId} is Refunded with ${refunded} of ${fact.amount} refunded`);
    }
    for (const refusal of fact.refusedRefunds) {
      const fits =
        refusal.requested === undefined
          ? refunded < fact.amount
          : refunded + refusal.requested <= fact.amount;
      if (fits && payment.state !== 'Failed') {
        problems.push(`payment ${fact.paymentId}: refund refused (${refusal.outcome}) although it fitted`);
      }
    }
    if (fact.method !== 'wallet') continue;
    if (payment.state !== 'Failed') add(fact.user, -fact.amount);
    add(fact.user, refunded);
  }

  for (const fact of model.transfers.values()) {
    const transfer = end.transfers.get(fact.transferId);
    const status = transfer?.status ?? 'unreadable';
    if (!['completed', 'rejected', 'cancelled', 'expired'].includes(status)) {
      problems.push(`transfer ${fact.transferId} is ${status} after quiescence`);
      continue;
    }
    const won = fact.decisions.filter((decision) => decision.status === 200);
    const outcomes = { accept: 'completed', reject: 'rejected', cancel: 'cancelled' } as const;
    if (won.length > 1 && new Set(won.map((decision) => decision.decision)).size > 1) {
      problems.push(
        `transfer ${fact.transferId}: ${won.map((d) => d.decision).join(' and ')} both answered 200`,
      );
    }
    for (const decision of won) {
      if (outcomes[decision.decision] !== status) {
        problems.push(
          `transfer ${fact.transferId}: ${decision.decision} answered 200 but it ended ${status}`,
        );
      }
    }
    for (const decision of fact.decisions.filter((d) => d.status === 409)) {
      if (outcomes[decision.decision] === status) {
        problems.push(
          `transfer ${fact.transferId}: ${decision.decision} refused although it ended ${status}`,
        );
      }
    }
    if (status === 'completed') {
      add(fact.sender, -fact.amount);
      add(fact.recipient, fact.amount);
    }
  }

  for (const fact of model.gifts.values()) {
    const gift = end.gifts.get(fact.giftId);
    if (gift === undefined || gift.status === 'active') {
      problems.push(`gift ${fact.giftId} is ${gift?.status ?? 'unreadable'} after quiescence`);
      continue;
    }
    const opened = fact.opens.filter((open) => open.status === 200);
    const openedSum = opened.reduce((sum, open) => sum + (open.amount ?? 0), 0);
    const shown = [...gift.opened_by].map((entry) => `${entry.user_id}:${entry.amount}`).sort();
    const answered = opened.map((open) => `${users[open.user]?.userId}:${open.amount}`).sort();
    if (JSON.stringify(shown) !== JSON.stringify(answered)) {
      problems.push(
        `gift ${fact.giftId}: opened_by ${shown.join(',')} but the opens answered ${answered.join(',')}`,
      );
    }
    const refund = gift.status === 'expired' ? fact.total - openedSum : 0;
    if (gift.status === 'expired' && (gift.refunded_amount ?? 0) !== refund) {
      problems.push(
        `gift ${fact.giftId}: refunded ${gift.refunded_amount ?? 0} to its creator, expected ${refund}`,
      );
    }
    if (gift.status === 'fully_opened' && openedSum !== fact.total) {
      problems.push(`gift ${fact.giftId}: fully opened for ${openedSum} of ${fact.total}`);
    }
    for (const refusal of fact.opens.filter((open) => open.status === 409)) {
      const wasOpenedByThem = opened.some((open) => open.user === refusal.user);
      const legitimate =
        (refusal.code === 'GIFT_EMPTY' && gift.opened_by.length === fact.count) ||
        (refusal.code === 'ALREADY_OPENED' && wasOpenedByThem) ||
        (refusal.code === 'INVALID_STATE_TRANSITION' && gift.status === 'expired');
      if (!legitimate) {
        problems.push(`gift ${fact.giftId}: ${refusal.code} to user ${refusal.user} was not legitimate`);
      }
    }
    add(fact.creator, -fact.total + refund);
    for (const open of opened) add(open.user, open.amount ?? 0);
  }

  end.balances.forEach((balance, index) => {
    const want = expected[index] ?? 0;
    if (balance.available < 0 || balance.total < 0)
      problems.push(`user ${index}: negative balance ${JSON.stringify(balance)}`);
    if (balance.pending !== 0) problems.push(`user ${index}: ${balance.pending} still pending`);
    if (balance.available !== want) {
      problems.push(
        `user ${index} (${users[index]?.userId}): available ${balance.available}, the model says ${want}`,
      );
    }
  });
  return problems;
}
