/**
 * Refunds on the local stack: a wallet refund's money, status and Refunded are one fact for concurrent
 * readers; a card payment and its refunds are ledger transactions in the payer's history; a card refund the
 * provider leaves pending is answered pending and follows the provider's refund.updated webhook (money back
 * when it fails); a pending refund is finished by reconciliation.
 */
import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { call, endpoint, tokenFor } from '../support/api.js';
import { ledgerProblems } from '../support/ledger.js';

const DEADLINE_MS = 45_000;
jest.setTimeout(DEADLINE_MS + 45_000);
const POLLERS = 6;

interface User {
  userId: string;
  token: string;
  path: string;
}

interface PaymentBody {
  paymentId: string;
  state: string;
  refundedAmount: number;
}

interface RefundBody {
  refundId: string;
  status: string;
  amount: number;
  payment: PaymentBody;
}

interface Transaction {
  transferId: string;
  type: string;
  direction: string;
  amount: number;
  status: string;
  metadata: Record<string, string>;
}

async function newUser(roles: string[] = []): Promise<User> {
  const userId = `@rf${randomUUID().slice(0, 8)}:tween.example`;
  return { userId, token: await tokenFor(userId, { roles }), path: encodeURIComponent(userId) };
}

async function fundedUser(amount: number): Promise<User> {
  const user = await newUser();
  const topup = await call('POST', '/wallet/v1/topup', {
    token: user.token,
    headers: { 'idempotency-key': randomUUID() },
    body: { amount, currency: 'USD', paymentMethod: { type: 'card', id: 'pm_card_visa' } },
  });
  expect(topup.status).toBe(201);
  return user;
}

async function available(user: User): Promise<number> {
  const answer = await call<{ balances: { currency: string; available: number }[] }>(
    'GET',
    `/payments/v1/user/${user.path}/balance`,
    { token: user.token },
  );
  return answer.body.balances.find((balance) => balance.currency === 'USD')?.available ?? 0;
}

async function readPayment(payer: User, paymentId: string): Promise<PaymentBody> {
  return (await call<PaymentBody>('GET', `/api/v1/payments/${paymentId}`, { token: payer.token })).body;
}

async function completedPayment(payer: User, value: number, paymentMethod: unknown): Promise<string> {
  const answer = await call<PaymentBody>('POST', '/api/v1/payments/request', {
    token: payer.token,
    headers: { 'idempotency-key': randomUUID() },
    body: { appId: 'app_demo', paymentMethod, description: 'Tickets', amount: { value, currency: 'USD' } },
  });
  expect(answer.status).toBe(201);
  await until(async () => (await readPayment(payer, answer.body.paymentId)).state === 'Completed');
  return answer.body.paymentId;
}

function refund(ops: User, paymentId: string, body: { amount?: number } = {}) {
  return call<RefundBody>('POST', `/api/v1/payments/${paymentId}/refund`, {
    token: ops.token,
    headers: { 'idempotency-key': randomUUID() },
    body,
  });
}

async function transactions(user: User): Promise<Transaction[]> {
  const answer = await call<{ items: Transaction[] }>('GET', `/payments/v1/user/${user.path}/transactions`, {
    token: user.token,
  });
  return answer.body.items;
}

async function stripeControl(method: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${endpoint('stripe')}/local/stripe/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Stack: refunds', () => {
  afterAll(async () => {
    expect(await ledgerProblems()).toEqual([]);
  });

  it('never shows a wallet payment Refunded before the wallet has the money back, nor the money before', async () => {
    // Arrange: three payments, refunded one after the other, each watched by POLLERS readers (one refund's
    // window between separate writes is a few milliseconds: three give the readers three chances).
    const payer = await fundedUser(10_000);
    const paymentIds: string[] = [];
    for (let index = 0; index < 3; index += 1)
      paymentIds.push(await completedPayment(payer, 2_000, { type: 'wallet' }));
    const ops = await newUser(['ops']);
    const violations: string[] = [];
    const answers: RefundBody[] = [];

    // Act
    for (const paymentId of paymentIds) {
      const baseline = await available(payer);
      let done = false;
      const reader = async () => {
        let settledRounds = 0;
        while (settledRounds < 2) {
          const before = (await available(payer)) >= baseline + 2_000;
          const payment = await readPayment(payer, paymentId);
          const after = (await available(payer)) >= baseline + 2_000;
          const refunded = payment.state === 'Refunded';
          if (before && !refunded) violations.push(`money back, then the payment read ${payment.state}`);
          if (refunded && !after) violations.push('the payment read Refunded, then no money back');
          if (refunded || done) settledRounds += 1;
        }
      };
      const watching = Promise.all(Array.from({ length: POLLERS }, reader));
      answers.push((await refund(ops, paymentId)).body);
      done = true;
      await watching;
    }

    // Assert
    expect(answers).toEqual(
      paymentIds.map(() =>
        expect.objectContaining({
          status: 'succeeded',
          amount: 2_000,
          payment: expect.objectContaining({ state: 'Refunded' }),
        }),
      ),
    );
    expect(violations).toEqual([]);
    expect(await available(payer)).toBe(10_000);
  });

  it("posts a card payment and its refund, and lists both in the payer's transactions", async () => {
    // Arrange
    const payer = await newUser();
    const paymentId = await completedPayment(payer, 1_500, { type: 'card', id: 'pm_card_visa' });
    const ops = await newUser(['ops']);

    // Act
    const answer = await refund(ops, paymentId, { amount: 500 });
    const items = await transactions(payer);

    // Assert
    expect(answer.body).toMatchObject({ status: 'succeeded', payment: { refundedAmount: 500 } });
    expect(
      items.map(({ type, direction, amount, status, metadata }) => ({
        type,
        direction,
        amount,
        status,
        method: metadata.method,
      })),
    ).toEqual([
      { type: 'refund', direction: 'credit', amount: 500, status: 'posted', method: 'card' },
      { type: 'payment', direction: 'debit', amount: 1_500, status: 'posted', method: 'card' },
    ]);
    expect(await available(payer)).toBe(0);
  });

  describe('when Stripe leaves the refund pending', () => {
    beforeEach(async () => {
      expect((await stripeControl('PUT', 'refund_mode', { mode: 'pending' })).status).toBe(200);
    });
    afterEach(async () => {
      await stripeControl('PUT', 'refund_mode', { mode: 'succeeded' });
    });

    async function pendingRefund() {
      const payer = await newUser();
      const paymentId = await completedPayment(payer, 1_500, { type: 'card', id: 'pm_card_visa' });
      const ops = await newUser(['ops']);
      const answer = await refund(ops, paymentId);
      const events = (await (
        await fetch(`${endpoint('stripe')}/local/stripe/events?type=refund.created`)
      ).json()) as {
        data: { event: { data: { object: { id: string; metadata: Record<string, string> } } } }[];
      };
      const created = events.data
        .map((record) => record.event.data.object)
        .find((object) => object.metadata.refundId === answer.body.refundId);
      if (created === undefined) throw new Error('Stripe made no refund');
      return { payer, paymentId, ops, answer, stripeRefundId: created.id };
    }

    it('answers 201 pending, then succeeds with the money and Refunded when refund.updated arrives', async () => {
      // Arrange
      const { payer, paymentId, answer, stripeRefundId } = await pendingRefund();

      // Act
      await stripeControl('POST', `refunds/${stripeRefundId}/settle`, { outcome: 'succeed' });
      await until(async () => (await readPayment(payer, paymentId)).state === 'Refunded');
      // Assert
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({
        status: 'pending',
        amount: 1_500,
        payment: { state: 'Completed' },
      });
      expect(answer.body).not.toHaveProperty('providerRefundId');
      expect(await readPayment(payer, paymentId)).toMatchObject({ state: 'Refunded', refundedAmount: 1_500 });
      expect((await transactions(payer)).map((item) => item.type)).toEqual(['refund', 'payment']);
    });

    it('is finished by reconciliation when the webhook never comes', async () => {
      // Arrange
      const { payer, paymentId, stripeRefundId } = await pendingRefund();
      await stripeControl('PUT', 'faults', { rates: { lostWebhook: 1 } });
      try {
        await stripeControl('POST', `refunds/${stripeRefundId}/settle`, { outcome: 'succeed' });
      } finally {
        await stripeControl('PUT', 'faults', { rates: {} });
      }
      const before = await readPayment(payer, paymentId);

      // Act
      const run = await call('POST', '/local/reconcile', { body: { olderThanSeconds: 0 } });

      // Assert
      expect(before).toMatchObject({ state: 'Completed', refundedAmount: 1_500 });
      expect(run.status).toBe(200);
      expect(await readPayment(payer, paymentId)).toMatchObject({ state: 'Refunded', refundedAmount: 1_500 });
    });

    it('puts the money back when the refund fails at Stripe: failed, refundable again', async () => {
      // Arrange
      const { payer, paymentId, ops, answer, stripeRefundId } = await pendingRefund();

      // Act
      await stripeControl('POST', `refunds/${stripeRefundId}/settle`, { outcome: 'fail' });
      await until(async () => (await readPayment(payer, paymentId)).refundedAmount === 0);

      // Assert
      expect(answer.body.status).toBe('pending');
      expect(await readPayment(payer, paymentId)).toMatchObject({ state: 'Completed', refundedAmount: 0 });
      expect((await transactions(payer)).map((item) => item.type)).toEqual(['payment']);
      await stripeControl('PUT', 'refund_mode', { mode: 'succeeded' });
      const retried = await refund(ops, paymentId);
      expect(retried.body).toMatchObject({ status: 'succeeded', payment: { state: 'Refunded' } });
    });
  });
});
