/**
 * After the faults: what repairs them runs (the bus's dead letters are redriven, reconciliation asks the
 * provider about whatever still waits), the stack is waited on until it is quiet, and the end state is
 * held against what the client was told and against the provider's own records (the local Stripe server's
 * PaymentIntents, through its API): nothing lost, nothing doubled, everything ended.
 */
import type Stripe from 'stripe';
import { DynamoDbTopups } from '../../../shared/adapters/dynamodb/topups.js';
import type { Topup } from '../../../shared/app/wallets/ports.js';
import { ledgerProblems, localLedger, TABLE_NAME } from '../../support/ledger.js';
import type { RetryingClient } from './fault-client.js';
import type { FaultRecords } from './fault-mix.js';
import {
  busView,
  type FaultStack,
  type ReconcileCounts,
  reconcileNow,
  redriveEvents,
} from './fault-stack.js';
import { inPool, sleep, type User } from './soak-client.js';

interface PaymentView {
  state: string;
  amount: { value: number };
  refundedAmount: number;
  roomId?: string;
}
interface TransferView {
  status: string;
}
interface GiftView {
  status: string;
  total_amount: number;
  opened_by: { user_id: string; amount: number }[];
  refunded_amount?: number;
}
interface RoomEvent {
  type: string;
  content: Record<string, unknown>;
}

export interface EndState {
  topups: Map<string, Topup>;
  credited: Set<string>;
  payments: Map<string, PaymentView>;
  transfers: Map<string, TransferView>;
  gifts: Map<string, GiftView>;
  balances: { available: number; pending: number }[];
  intents: Stripe.PaymentIntent[];
  rooms: Map<string, RoomEvent[]>;
}

export interface Repairs {
  redriven: number;
  reconcileRuns: ReconcileCounts[];
}

const TERMINAL_PAYMENTS = ['Completed', 'Refunded', 'Failed'];

interface StripeEventRecord {
  event: { id: string };
  delivery: { state: string };
}

/**
 * Waits until the provider has delivered (or given up delivering) every webhook and the inbox holds none
 * still to be applied; answers how many ended `failed` in the inbox (lost to the faults: reconciliation's
 * to repair).
 */
export async function webhooksQuiet(
  stack: FaultStack,
  client: RetryingClient,
  opsToken: string,
  timeoutMs: number,
): Promise<{ delivered: number; undeliverable: number; failedInInbox: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${stack.endpoint('stripe')}/local/stripe/events`);
    const { data } = (await response.json()) as { data: StripeEventRecord[] };
    const sending = data.filter((record) => record.delivery.state === 'pending').length;
    const waiting = await client.read<{ items?: unknown[] }>(
      '/api/v1/webhooks/events?status=received&limit=100',
      opsToken,
    );
    if ((sending === 0 && (waiting.body.items ?? []).length === 0) || Date.now() > deadline) {
      const failed = await client.read<{ items?: unknown[] }>(
        '/api/v1/webhooks/events?status=failed&limit=100',
        opsToken,
      );
      return {
        delivered: data.filter((record) => record.delivery.state === 'delivered').length,
        undeliverable: data.filter((record) => record.delivery.state === 'failed').length,
        failedInInbox: (failed.body.items ?? []).length,
      };
    }
    await sleep(500);
  }
}

/** Reconciles until nothing waits on the provider (or the runs are used up), then redrives dead letters. */
export async function repair(stack: FaultStack): Promise<Repairs> {
  const reconcileRuns: ReconcileCounts[] = [];
  for (let run = 0; run < 6; run += 1) {
    const counts = await reconcileNow(stack);
    reconcileRuns.push(counts);
    if (counts.stillWaiting === 0 && counts.failed === 0) break;
    await sleep(1_000);
  }
  let redriven = 0;
  // Deliveries still retrying may dead-letter later: redrive until none is left and none is pending.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const view = await busView(stack);
    const pending = view.deliveries.some((delivery) => delivery.status === 'pending');
    if (view.deadLetters.length > 0) redriven += (await redriveEvents(stack)).redriven;
    else if (!pending || Date.now() > deadline) break;
    await sleep(500);
  }
  return { redriven, reconcileRuns };
}

/** Reads everything the checks need, once every entity has stopped moving (or `timeoutMs` has passed). */
export async function readEndState(
  stack: FaultStack,
  client: RetryingClient,
  records: FaultRecords,
  users: readonly User[],
  timeoutMs: number,
): Promise<EndState> {
  const deadline = Date.now() + timeoutMs;
  const token = (index: number) => (users[index] as User).token;
  const settle = async <T>(
    items: readonly { id: string; token: string }[],
    path: (id: string) => string,
    done: (body: T) => boolean,
  ): Promise<Map<string, T>> => {
    const found = new Map<string, T>();
    let open = [...items];
    while (open.length > 0) {
      const again: typeof open = [];
      await inPool(open, 8, async (item) => {
        const answer = await client.read<T>(path(item.id), item.token);
        if (answer.status === 404) return; // never created: nothing to wait for
        if (answer.status === 200) found.set(item.id, answer.body);
        if (answer.status !== 200 || !done(answer.body)) again.push(item);
      });
      open = again;
      if (open.length === 0 || Date.now() > deadline) break;
      await sleep(500);
    }
    return found;
  };

  const payments = await settle<PaymentView>(
    records.payments.map((p) => ({ id: p.paymentId, token: token(p.user) })),
    (id) => `/api/v1/payments/${id}`,
    (body) => TERMINAL_PAYMENTS.includes(body.state),
  );
  const transfers = await settle<TransferView>(
    records.transfers.map((t) => ({ id: t.transferId, token: token(t.sender) })),
    (id) => `/wallet/v1/p2p/${id}`,
    (body) => body.status !== 'pending_recipient_acceptance',
  );
  const gifts = await settle<GiftView>(
    records.gifts.map((g) => ({ id: g.giftId, token: token(g.creator) })),
    (id) => `/wallet/v1/gift/${id}`,
    (body) => body.status !== 'active',
  );
  const balanceBodies = await settle<{
    balances: { currency: string; available: number; pending: number }[];
  }>(
    users.map((user) => ({ id: user.path, token: user.token })),
    (id) => `/payments/v1/user/${id}/balance`,
    (body) => body.balances.every((balance) => balance.pending === 0),
  );
  const balances = users.map((user) => {
    const usd = balanceBodies.get(user.path)?.balances.find((balance) => balance.currency === 'USD');
    return { available: usd?.available ?? 0, pending: usd?.pending ?? 0 };
  });

  const repository = new DynamoDbTopups(stack.documents, TABLE_NAME);
  const ledger = localLedger(stack.documents);
  const topups = new Map<string, Topup>();
  const credited = new Set<string>();
  await inPool(records.topups, 8, async (record) => {
    const topup = await repository.get(record.topupId);
    if (topup !== undefined) topups.set(record.topupId, topup);
    if ((await ledger.transfer(`topup:${record.topupId}`)) !== undefined) credited.add(record.topupId);
  });
  const intents = await stack.stripe.paymentIntents.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 });

  const rooms = new Map<string, RoomEvent[]>();
  const roomIds = new Set([
    ...records.transfers.map((t) => t.roomId),
    ...records.gifts.map((g) => g.roomId),
    ...records.payments.flatMap((p) => (p.roomId === undefined ? [] : [p.roomId])),
  ]);
  for (const roomId of roomIds) {
    const answer = await client.read<{ events?: RoomEvent[] }>(
      `/local/matrix/rooms/${encodeURIComponent(roomId)}/events`,
      '',
    );
    rooms.set(roomId, answer.body.events ?? []);
  }
  return { topups, credited, payments, transfers, gifts, balances, intents, rooms };
}

/** Every way the end state contradicts the client's answers, the provider or the ledger. */
export async function judgeAfterFaults(
  stack: FaultStack,
  records: FaultRecords,
  end: EndState,
  users: readonly User[],
): Promise<string[]> {
  const problems: string[] = [];
  // Every credit, the setup's top-ups included, is among the records: wallets start empty.
  const expected = users.map(() => 0);
  const add = (user: number, amount: number) => {
    expected[user] = (expected[user] ?? 0) + amount;
  };

  // The provider's side: one PaymentIntent per top-up or payment key, none we know nothing of.
  const byTopup = new Map<string, Stripe.PaymentIntent[]>();
  const byPayment = new Map<string, Stripe.PaymentIntent[]>();
  for (const intent of end.intents) {
    const topupId = intent.metadata.topupId;
    const paymentId = intent.metadata.paymentId;
    if (topupId !== undefined) byTopup.set(topupId, [...(byTopup.get(topupId) ?? []), intent]);
    if (paymentId !== undefined) byPayment.set(paymentId, [...(byPayment.get(paymentId) ?? []), intent]);
  }
  const knownTopups = new Set(records.topups.map((t) => t.topupId));
  const knownPayments = new Set(records.payments.map((p) => p.paymentId));
  for (const [id, intents] of [...byTopup, ...byPayment]) {
    if (intents.length > 1) problems.push(`${id}: ${intents.length} PaymentIntents (charged more than once)`);
  }

  for (const record of records.topups) {
    const topup = end.topups.get(record.topupId);
    const intent = byTopup.get(record.topupId)?.[0];
    const charged = intent?.status === 'succeeded';
    const credited = end.credited.has(record.topupId);
    const told = record.told;
    if (told !== undefined && told.status !== 201) {
      problems.push(
        `top-up ${record.topupId}: told ${told.status} ${told.code ?? ''} for a card that never declines`,
      );
    }
    if (told?.status === 201 && (topup?.status !== 'succeeded' || !credited)) {
      problems.push(`top-up ${record.topupId}: told it succeeded, but it is ${topup?.status ?? 'missing'}`);
    }
    if (topup !== undefined && topup.status !== 'succeeded' && topup.status !== 'failed') {
      problems.push(`top-up ${record.topupId} is still ${topup.status} after reconciliation`);
    }
    if (charged !== credited) {
      problems.push(
        `top-up ${record.topupId}: provider ${intent?.status ?? 'has no charge'}, wallet credited: ${credited}`,
      );
    }
    if (credited) add(record.user, record.amount);
  }
  // This stack serves this suite alone: a charge for anything it did not ask for was made from nothing.
  for (const id of byTopup.keys()) {
    if (!knownTopups.has(id)) problems.push(`PaymentIntent for unknown top-up ${id}`);
  }

  for (const record of records.payments) {
    const payment = end.payments.get(record.paymentId);
    if (record.told?.status === 201 && payment === undefined) {
      problems.push(`payment ${record.paymentId}: told 201 but it does not exist`);
    }
    if (payment === undefined) continue;
    if (!TERMINAL_PAYMENTS.includes(payment.state)) {
      problems.push(`payment ${record.paymentId} is still ${payment.state}`);
      continue;
    }
    const paid = payment.state === 'Completed' || payment.state === 'Refunded';
    if (record.method === 'card') {
      const intent = byPayment.get(record.paymentId)?.[0];
      if ((intent?.status === 'succeeded') !== paid) {
        problems.push(
          `card payment ${record.paymentId}: provider ${intent?.status ?? 'has no charge'} but the payment is ${payment.state}`,
        );
      }
    }
    const toldRefunds = record.refunds.filter((r) => r.told?.status === 201);
    const toldSum = toldRefunds.reduce((sum, r) => sum + Number(r.told?.body.amount ?? 0), 0);
    const unknown = record.refunds.some((r) => r.told === undefined);
    if (unknown ? payment.refundedAmount < toldSum : payment.refundedAmount !== toldSum) {
      problems.push(`payment ${record.paymentId}: refunded ${payment.refundedAmount}, told ${toldSum}`);
    }
    if (record.method === 'wallet') {
      if (paid) add(record.user, -record.amount);
      add(record.user, payment.refundedAmount);
    }
  }
  for (const id of byPayment.keys()) {
    if (!knownPayments.has(id)) problems.push(`PaymentIntent for unknown payment ${id}`);
  }

  const outcomes: Record<string, string> = { accept: 'completed', reject: 'rejected', cancel: 'cancelled' };
  for (const record of records.transfers) {
    const transfer = end.transfers.get(record.transferId);
    if (record.told?.status === 201 && transfer === undefined) {
      problems.push(`transfer ${record.transferId}: told 201 but it does not exist`);
    }
    if (transfer === undefined) continue;
    if (transfer.status === 'pending_recipient_acceptance') {
      problems.push(`transfer ${record.transferId} is still pending`);
      continue;
    }
    for (const decision of record.decisions) {
      if (decision.told?.status === 200 && outcomes[decision.decision] !== transfer.status) {
        problems.push(
          `transfer ${record.transferId}: ${decision.decision} told 200, ended ${transfer.status}`,
        );
      }
    }
    if (transfer.status === 'completed') {
      add(record.sender, -record.amount);
      add(record.recipient, record.amount);
    }
  }

  for (const record of records.gifts) {
    const gift = end.gifts.get(record.giftId);
    if (record.told?.status === 201 && gift === undefined) {
      problems.push(`gift ${record.giftId}: told 201 but it does not exist`);
    }
    if (gift === undefined) continue;
    if (gift.status === 'active') {
      problems.push(`gift ${record.giftId} is still active`);
      continue;
    }
    for (const open of record.opens) {
      if (open.amount === undefined) continue;
      const userId = users[open.user]?.userId;
      if (!gift.opened_by.some((entry) => entry.user_id === userId && entry.amount === open.amount)) {
        problems.push(`gift ${record.giftId}: ${userId} was told a share of ${open.amount} it does not have`);
      }
    }
    const opened = gift.opened_by.reduce((sum, entry) => sum + entry.amount, 0);
    if (gift.status === 'expired' && (gift.refunded_amount ?? 0) !== record.total - opened) {
      problems.push(
        `gift ${record.giftId}: refunded ${gift.refunded_amount}, unopened ${record.total - opened}`,
      );
    }
    add(record.creator, -record.total + (gift.status === 'expired' ? (gift.refunded_amount ?? 0) : 0));
    for (const entry of gift.opened_by) {
      const index = users.findIndex((user) => user.userId === entry.user_id);
      if (index < 0) problems.push(`gift ${record.giftId}: opened by a stranger ${entry.user_id}`);
      else add(index, entry.amount);
    }
  }

  end.balances.forEach((balance, index) => {
    if (balance.pending !== 0) problems.push(`user ${index}: ${balance.pending} still pending`);
    if (balance.available < 0) problems.push(`user ${index}: negative balance ${balance.available}`);
    if (balance.available !== expected[index]) {
      problems.push(`user ${index}: available ${balance.available}, expected ${expected[index]}`);
    }
  });

  problems.push(...roomProblems(records, end));
  problems.push(...(await ledgerProblems(stack.documents)));
  return problems;
}

/** Every announcement the API promises (API.md, Matrix events) reached its room, exactly once. */
function roomProblems(records: FaultRecords, end: EndState): string[] {
  const problems: string[] = [];
  const expectOnce = (
    roomId: string,
    type: string,
    match: (content: Record<string, unknown>) => boolean,
    what: string,
  ) => {
    const found = (end.rooms.get(roomId) ?? []).filter(
      (event) => event.type === type && match(event.content),
    );
    if (found.length !== 1) problems.push(`${what}: ${found.length} ${type} events in ${roomId}`);
  };
  for (const record of records.transfers) {
    const transfer = end.transfers.get(record.transferId);
    if (transfer === undefined) continue;
    const id = (content: Record<string, unknown>) => content.transfer_id === record.transferId;
    expectOnce(record.roomId, 'm.tween.wallet.p2p', id, `transfer ${record.transferId}`);
    expectOnce(
      record.roomId,
      'm.tween.wallet.p2p.status',
      (content) => id(content) && content.status === transfer.status,
      `transfer ${record.transferId}`,
    );
  }
  for (const record of records.gifts) {
    const gift = end.gifts.get(record.giftId);
    if (gift === undefined) continue;
    const id = (content: Record<string, unknown>) => content.gift_id === record.giftId;
    expectOnce(record.roomId, 'm.tween.gift', (c) => id(c) && c.status === 'active', `gift ${record.giftId}`);
    for (const entry of gift.opened_by) {
      expectOnce(
        record.roomId,
        'm.tween.gift.opened',
        (c) => id(c) && c.user_id === entry.user_id,
        `gift ${record.giftId} opened by ${entry.user_id}`,
      );
    }
  }
  for (const record of records.payments) {
    const payment = end.payments.get(record.paymentId);
    if (record.roomId === undefined || payment === undefined) continue;
    if (payment.state !== 'Completed' && payment.state !== 'Refunded') continue;
    expectOnce(
      record.roomId,
      'm.tween.payment.completed',
      (content) => content.payment_id === record.paymentId,
      `payment ${record.paymentId}`,
    );
  }
  return problems;
}
