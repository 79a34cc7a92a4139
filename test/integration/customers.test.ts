/**
 * Payment methods belong to their user, over HTTP on the local stack: each user has one customer at the
 * Stripe-compatible server; a card attached to it pays for that user only. Another user's card is refused
 * exactly as a card that does not exist, and nothing is charged with it.
 */
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { readLocalEnv } from '../../local/config.js';
import { DynamoDbTopups } from '../../shared/adapters/dynamodb/topups.js';
import { call, endpoint, tokenFor } from '../support/api.js';
import { ledgerProblems, localDocumentClient, TABLE_NAME } from '../support/ledger.js';

interface TopupBody {
  topupId: string;
  status: string;
}
interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}
interface PaymentBody {
  paymentId: string;
  state: string;
}
interface MethodsBody {
  items: { type: string; id: string }[];
}

const env = readLocalEnv();
const stripe = (() => {
  const url = new URL(endpoint('stripe'));
  return new Stripe(env.STRIPE_SECRET_KEY, {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    maxNetworkRetries: 0,
  });
})();
const topups = new DynamoDbTopups(localDocumentClient(), TABLE_NAME);

async function newUser() {
  const userId = `@c${randomUUID().slice(0, 8)}:tween.example`;
  return { userId, token: await tokenFor(userId), path: encodeURIComponent(userId) };
}
type User = Awaited<ReturnType<typeof newUser>>;

function topup(user: User, card: string, amount = 1_000) {
  return call<TopupBody & ErrorBody>('POST', '/wallet/v1/topup', {
    token: user.token,
    headers: { 'idempotency-key': randomUUID() },
    body: { amount, currency: 'USD', paymentMethod: { type: 'card', id: card } },
  });
}

async function available(user: User): Promise<number> {
  const answer = await call<{ balances: { currency: string; available: number }[] }>(
    'GET',
    `/payments/v1/user/${user.path}/balance`,
    { token: user.token },
  );
  return answer.body.balances.find((b) => b.currency === 'USD')?.available ?? 0;
}

/** The card the user's listing shows (their saved card), after a top-up with a test token. */
async function savedCardOf(user: User): Promise<string> {
  const answer = await call<MethodsBody>('GET', `/payments/v1/user/${user.path}/payment-methods`, {
    token: user.token,
  });
  const card = answer.body.items.find((item) => item.type === 'card');
  if (card === undefined) throw new Error('the user has no saved card');
  return card.id;
}

function payByCard(user: User, card: string, amount = 700) {
  return call<PaymentBody & ErrorBody>('POST', '/api/v1/payments/request', {
    token: user.token,
    headers: { 'idempotency-key': randomUUID() },
    body: {
      appId: 'app_demo',
      amount: { value: amount, currency: 'USD' },
      paymentMethod: { type: 'card', id: card },
      description: 'Sticker pack',
    },
  });
}

async function until(user: User, paymentId: string, states: readonly string[]): Promise<PaymentBody> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answer = await call<PaymentBody>('GET', `/api/v1/payments/${paymentId}`, { token: user.token });
    if (states.includes(answer.body.state)) return answer.body;
    if (Date.now() > deadline) throw new Error(`payment ${paymentId} still ${answer.body.state}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every PaymentIntent for this payment method created since `since` (unix seconds), newest first. */
async function intentsWith(paymentMethodId: string, since: number): Promise<Stripe.PaymentIntent[]> {
  const found: Stripe.PaymentIntent[] = [];
  for await (const intent of stripe.paymentIntents.list({ limit: 100 })) {
    if (intent.created < since) break;
    if (intent.payment_method === paymentMethodId) found.push(intent);
  }
  return found;
}

/** Now in unix seconds, a second early: the PaymentIntents a test makes are created at or after it. */
function startOfTest(): number {
  return Math.floor(Date.now() / 1000) - 1;
}

describe('Stack: payment methods belong to their user', () => {
  afterAll(async () => {
    expect(await ledgerProblems()).toEqual([]);
  });

  describe('Route: POST /wallet/v1/topup', () => {
    it("answers Bob's top-up with Alice's card as for an unknown card, and charges nothing", async () => {
      // Arrange
      const since = startOfTest();
      const alice = await newUser();
      const bob = await newUser();
      expect((await topup(alice, 'pm_card_visa')).status).toBe(201);
      const alicesCard = await savedCardOf(alice);
      const intentsBefore = await intentsWith(alicesCard, since);

      // Act
      const stolen = await topup(bob, alicesCard);
      const unknown = await topup(bob, 'pm_1DoesNotExistAnywhere');

      // Assert
      expect(stolen.status).toBe(400);
      expect(stolen.body).toEqual(unknown.body);
      expect(stolen.body.error.code).toBe('VALIDATION_ERROR');
      expect(await available(bob)).toBe(0);
      expect(await intentsWith(alicesCard, since)).toEqual(intentsBefore);
    });

    it('lets Alice top up again with her saved card, charged for her own customer', async () => {
      // Arrange
      const since = startOfTest();
      const alice = await newUser();
      expect((await topup(alice, 'pm_card_visa')).status).toBe(201);
      const alicesCard = await savedCardOf(alice);
      const customer = (await stripe.paymentMethods.retrieve(alicesCard)).customer;

      // Act
      const again = await topup(alice, alicesCard, 2_500);

      // Assert
      expect(again.status).toBe(201);
      expect(again.body.status).toBe('succeeded');
      expect(await available(alice)).toBe(3_500);
      expect(customer).toMatch(/^cus_/);
      // The test token's first top-up attached the card it made, and charged that one too.
      const intents = await intentsWith(alicesCard, since);
      expect(intents.map((intent) => [intent.status, intent.customer])).toEqual([
        ['succeeded', customer],
        ['succeeded', customer],
      ]);
    });

    it("creates one customer when a user's first top-ups arrive at once", async () => {
      // Arrange
      const carol = await newUser();

      // Act
      const answers = await Promise.all(Array.from({ length: 6 }, () => topup(carol, 'pm_card_visa', 100)));

      // Assert
      expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(201));
      const records = await Promise.all(answers.map((answer) => topups.get(answer.body.topupId)));
      const customers = new Set(records.map((record) => record?.customerId));
      expect(customers.size).toBe(1);
      const [customer] = [...customers];
      expect(customer).toMatch(/^cus_/);
      for (const record of records) {
        const intent = await stripe.paymentIntents.retrieve(record?.providerPaymentId ?? '');
        expect(intent.customer).toBe(customer);
      }
      expect(await available(carol)).toBe(600);
    });
  });

  describe('Route: POST /api/v1/payments/request', () => {
    it("answers Bob's card payment with Alice's card as for an unknown card, and charges nothing", async () => {
      // Arrange
      const since = startOfTest();
      const alice = await newUser();
      const bob = await newUser();
      expect((await topup(alice, 'pm_card_visa')).status).toBe(201);
      const alicesCard = await savedCardOf(alice);
      const intentsBefore = await intentsWith(alicesCard, since);

      // Act
      const stolen = await payByCard(bob, alicesCard);
      const unknown = await payByCard(bob, 'pm_1DoesNotExistAnywhere');

      // Assert
      expect(stolen.status).toBe(400);
      expect(stolen.body).toEqual(unknown.body);
      expect(stolen.body.error.code).toBe('VALIDATION_ERROR');
      expect(await intentsWith(alicesCard, since)).toEqual(intentsBefore);
    });

    it('lets Alice pay with her saved card, charged for her own customer', async () => {
      // Arrange
      const since = startOfTest();
      const alice = await newUser();
      expect((await topup(alice, 'pm_card_visa')).status).toBe(201);
      const alicesCard = await savedCardOf(alice);
      const customer = (await stripe.paymentMethods.retrieve(alicesCard)).customer;

      // Act
      const answer = await payByCard(alice, alicesCard);

      // Assert
      expect(answer.status).toBe(201);
      expect((await until(alice, answer.body.paymentId, ['Completed', 'Failed'])).state).toBe('Completed');
      expect(customer).toMatch(/^cus_/);
      const charged = (await intentsWith(alicesCard, since)).filter(
        (intent) => intent.metadata.paymentId === answer.body.paymentId,
      );
      expect(charged.map((intent) => [intent.status, intent.customer])).toEqual([['succeeded', customer]]);
    });

    it('takes a test token from any user, charged for their own customer', async () => {
      // Arrange
      const dave = await newUser();

      // Act
      const answer = await payByCard(dave, 'pm_card_visa');

      // Assert
      expect(answer.status).toBe(201);
      expect((await until(dave, answer.body.paymentId, ['Completed', 'Failed'])).state).toBe('Completed');
    });
  });
});
