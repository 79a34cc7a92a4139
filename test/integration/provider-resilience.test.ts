/**
 * The payment provider down, over HTTP, as an app sees it: card top-ups answer 502 PROCESSOR_ERROR; once
 * the circuit breaker has seen BREAKER_FAILURE_THRESHOLD failed attempts, they answer at once without
 * reaching Stripe; after the provider is back and the cool-down has passed, the same top-up retried with
 * the same Idempotency-Key succeeds, charging the card and crediting the wallet exactly once.
 *
 * This file takes Stripe down, and the breaker is shared by the whole stack, so it runs a stack of its own
 * (in memory, free ports, a 2 s cool-down): test files running at the same time on the shared stack never
 * see the outage, the open breaker, or these Stripe request counts.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { breakerKey } from '../../shared/adapters/dynamodb/keys.js';
import { tokenFor } from '../support/api.js';
import { type StackInfo, spawnStack } from '../support/global-setup.js';
import { ledgerProblems, TABLE_NAME } from '../support/ledger.js';

const THRESHOLD = 3;
const ATTEMPTS = 3;
const COOL_DOWN_MS = 2_000;

interface TopupBody {
  topupId: string;
  status: string;
  amount: number;
  error?: { code: string };
}
interface StripeEventRecord {
  event: { type: string; data: { object: { id: string; metadata?: Record<string, string> } } };
}

let child: ChildProcess | undefined;
let stack: StackInfo;
let table: DynamoDBDocumentClient;

beforeAll(async () => {
  const rootDir = fileURLToPath(new URL('../..', import.meta.url));
  ({ child, info: stack } = await spawnStack(rootDir, {
    BREAKER_FAILURE_THRESHOLD: String(THRESHOLD),
    BREAKER_COOL_DOWN_SECONDS: String(COOL_DOWN_MS / 1000),
    PROVIDER_RETRY_ATTEMPTS: String(ATTEMPTS),
  }));
  table = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: endpointOf('dynamodb'),
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
}, 120_000);

afterAll(async () => {
  try {
    if (child !== undefined) expect(await ledgerProblems(table)).toEqual([]);
  } finally {
    await stopStack();
  }
}, 30_000);

function endpointOf(name: string): string {
  const url = stack.endpoints[name];
  if (url === undefined) throw new Error(`No local endpoint ${name}`);
  return url;
}

async function stopStack(): Promise<void> {
  if (child === undefined || child.exitCode !== null) return;
  const running = child;
  const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
  running.kill('SIGTERM');
  const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function json<T>(url: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

async function newUser() {
  const userId = `@u${randomUUID().slice(0, 8)}:tween.example`;
  return { userId, token: await tokenFor(userId), path: encodeURIComponent(userId) };
}
type User = Awaited<ReturnType<typeof newUser>>;

function topup(user: User, key: string, paymentMethod = 'pm_card_visa', amount = 4_200) {
  return topupWith(user, key, { type: 'card', id: paymentMethod }, amount);
}

function topupWith(user: User, key: string, paymentMethod: Record<string, string>, amount: number) {
  return json<TopupBody>(`${stack.apiUrl}/wallet/v1/topup`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${user.token}`,
      'content-type': 'application/json',
      'idempotency-key': key,
    },
    body: JSON.stringify({ amount, currency: 'USD', paymentMethod }),
  });
}

async function available(user: User): Promise<number> {
  const answer = await json<{ balances: { currency: string; available: number }[] }>(
    `${stack.apiUrl}/payments/v1/user/${user.path}/balance`,
    { headers: { authorization: `Bearer ${user.token}` } },
  );
  return answer.body.balances.find((b) => b.currency === 'USD')?.available ?? 0;
}

async function stripeRequests(): Promise<number> {
  return (await json<{ stripeRequests: number }>(`${stack.apiUrl}/local/metrics`)).body.stripeRequests;
}

async function paypalRequests(): Promise<number> {
  return (await json<{ paypalRequests: number }>(`${stack.apiUrl}/local/metrics`)).body.paypalRequests;
}

async function paypalOutage(mode: 'none' | 'unavailable'): Promise<void> {
  const answer = await json(`${endpointOf('paypal')}/local/paypal/outage`, {
    method: 'PUT',
    body: JSON.stringify({ mode }),
  });
  expect(answer).toEqual({ status: 200, body: { mode } });
}

async function outage(mode: 'none' | 'unavailable' | 'unreachable'): Promise<void> {
  const answer = await json(`${endpointOf('stripe')}/local/stripe/outage`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mode }),
  });
  expect(answer).toEqual({ status: 200, body: { mode } });
}

async function breaker(
  provider: 'stripe' | 'paypal' = 'stripe',
): Promise<Record<string, unknown> | undefined> {
  const { Item } = await table.send(new GetCommand({ TableName: TABLE_NAME, Key: breakerKey(provider) }));
  return Item;
}

/** The PaymentIntents Stripe created for a top-up (its metadata names the top-up). */
async function intentsFor(topupId: string): Promise<string[]> {
  const answer = await json<{ data: StripeEventRecord[] }>(
    `${endpointOf('stripe')}/local/stripe/events?type=payment_intent.created`,
  );
  return answer.body.data
    .filter((record) => record.event.data.object.metadata?.topupId === topupId)
    .map((record) => record.event.data.object.id);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Stack: payment provider resilience', () => {
  afterEach(async () => {
    // Whatever a test did, the provider is up again for the next one.
    await outage('none');
  });

  it('answers 502 PROCESSOR_ERROR, then fails fast without reaching Stripe, and charges once when it is back', async () => {
    // Arrange
    const user = await newUser();
    const key = randomUUID();
    await outage('unavailable');
    const before = await stripeRequests();

    // Act: the first top-up tries ATTEMPTS times, which reaches the threshold and opens the breaker.
    const first = await topup(user, key);
    const afterFirst = await stripeRequests();
    const fast = [await topup(user, key), await topup(user, randomUUID()), await topup(user, randomUUID())];
    const afterFast = await stripeRequests();

    // Assert
    expect(first.status).toBe(502);
    expect(first.body.error?.code).toBe('PROCESSOR_ERROR');
    expect(afterFirst - before).toBe(ATTEMPTS);
    expect(await breaker()).toMatchObject({ failures: THRESHOLD, openedAt: expect.any(Number) });
    for (const answer of fast) {
      expect(answer.status).toBe(502);
      expect(answer.body.error?.code).toBe('PROCESSOR_ERROR');
    }
    expect(afterFast).toBe(afterFirst); // not one request reached Stripe
    expect(await available(user)).toBe(0);

    // Act: the provider comes back; after the cool-down the same request is retried with the same key.
    await outage('none');
    await sleep(COOL_DOWN_MS + 300);
    const retried = await topup(user, key);
    const replayed = await topup(user, key);

    // Assert
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ status: 'succeeded', amount: 4_200 });
    expect(replayed.status).toBe(201);
    expect(replayed.body.topupId).toBe(retried.body.topupId);
    expect(await available(user)).toBe(4_200);
    expect(await intentsFor(retried.body.topupId)).toHaveLength(1);
    const state = await breaker();
    expect(state).toMatchObject({ failures: 0 });
    expect(state?.openedAt).toBeUndefined();
  });

  it('keeps one breaker per processor: PayPal down fails PayPal fast while cards still charge', async () => {
    // Arrange
    const user = await newUser();
    const key = randomUUID();
    const paypal = { type: 'paypal' };
    await paypalOutage('unavailable');

    try {
      // Act: one PayPal top-up opens PayPal's breaker; the next ones never reach PayPal
      const first = await topupWith(user, key, paypal, 3_000);
      const afterFirst = await paypalRequests();
      const fast = await topupWith(user, randomUUID(), paypal, 3_000);
      const afterFast = await paypalRequests();
      const card = await topup(user, randomUUID(), 'pm_card_visa', 1_000);

      // Assert
      expect([first.status, fast.status]).toEqual([502, 502]);
      expect(fast.body.error?.code).toBe('PROCESSOR_ERROR');
      expect(afterFast).toBe(afterFirst);
      expect(card.status).toBe(201);
      expect(card.body).toMatchObject({ status: 'succeeded' });
      expect(await breaker('paypal')).toMatchObject({ openedAt: expect.any(Number) });
      expect((await breaker('stripe'))?.openedAt).toBeUndefined();
    } finally {
      await paypalOutage('none');
    }

    // Act: PayPal is back; after the cool-down the same request goes through once
    await sleep(COOL_DOWN_MS + 300);
    const retried = await topupWith(user, key, paypal, 3_000);

    // Assert
    expect(retried.status).toBe(201);
    expect(retried.body.status).toBe('requires_action');
    expect(await breaker('paypal')).toMatchObject({ failures: 0 });
    expect(await available(user)).toBe(1_000);
  });

  it('opens on dropped connections too, and a trial during the outage keeps it open', async () => {
    // Arrange
    const user = await newUser();
    await outage('unreachable');

    // Act
    const first = await topup(user, randomUUID());
    const afterFirst = await stripeRequests();
    await sleep(COOL_DOWN_MS + 300);
    const trial = await topup(user, randomUUID()); // the one trial fails: open for another cool-down
    const afterTrial = await stripeRequests();
    const fast = await topup(user, randomUUID());

    // Assert
    expect([first.status, trial.status, fast.status]).toEqual([502, 502, 502]);
    expect(afterTrial).toBeGreaterThan(afterFirst);
    expect(await stripeRequests()).toBe(afterTrial);
    expect(await breaker()).toMatchObject({ openedAt: expect.any(Number) });

    // Act: back up; wait out the cool-down so the breaker is closed for what follows.
    await outage('none');
    await sleep(COOL_DOWN_MS + 300);
    const after = await topup(user, randomUUID());

    // Assert
    expect(after.status).toBe(201);
    expect((await breaker())?.openedAt).toBeUndefined();
  });

  it('counts no decline as a failure: the breaker stays closed through many declined cards', async () => {
    // Arrange
    const user = await newUser();

    // Act
    const declines = [];
    for (let i = 0; i < THRESHOLD + 1; i += 1) {
      declines.push(await topup(user, randomUUID(), 'pm_card_chargeDeclined'));
    }
    const paid = await topup(user, randomUUID());

    // Assert
    expect(declines.map((answer) => answer.status)).toEqual(Array(THRESHOLD + 1).fill(402));
    expect(paid.status).toBe(201);
    expect((await breaker())?.openedAt).toBeUndefined();
  });
});
