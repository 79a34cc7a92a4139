/**
 * A PaymentIntent refund Stripe leaves pending (the stand-in's refund_mode) ends when Stripe's refund does:
 * by its webhook, or by reconciliation when the webhook is lost, over HTTP against the local stack.
 */
import { jest } from '@jest/globals';
import { call, endpoint } from '../support/api.js';
import { ledgerProblems } from '../support/ledger.js';
import { newShop, refundTransactions, withKey } from '../support/merchant-shops.js';
import { waitFor } from '../support/stack.js';

jest.setTimeout(90_000);

interface RefundBody {
  id: string;
  amount: number;
  status: string;
  payment_intent: string | null;
}

afterAll(async () => {
  expect(await ledgerProblems()).toEqual([]);
});

/** An active merchant of its own, with a test key. */
async function newShopTestKey(): Promise<string> {
  return (await newShop()).test;
}

async function stripeControl(method: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${endpoint('stripe')}/local/stripe/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function readRefund(secret: string, id: string): Promise<RefundBody> {
  return (await call<RefundBody>('GET', `/v1/refunds/${id}`, withKey(secret, undefined, null))).body;
}

/** A 10000 PaymentIntent captured in test mode, and a full refund of it Stripe left pending. */
async function pendingIntentRefund() {
  const secret = await newShopTestKey();
  const created = await call<{ id: string; status: string }>(
    'POST',
    '/v1/payment_intents',
    withKey(secret, { amount: 10_000, currency: 'USD', payment_method: 'pm_card_visa', confirm: true }),
  );
  expect(created.body.status).toBe('succeeded');
  const intentId = created.body.id;
  const answer = await call<RefundBody>('POST', '/v1/refunds', withKey(secret, { payment_intent: intentId }));
  const events = (await (
    await fetch(`${endpoint('stripe')}/local/stripe/events?type=refund.created`)
  ).json()) as { data: { event: { data: { object: { id: string; metadata: Record<string, string> } } } }[] };
  const atStripe = events.data
    .map((record) => record.event.data.object)
    .find((object) => object.metadata.refundId === answer.body.id);
  if (atStripe === undefined) throw new Error('Stripe made no refund');
  return { secret, intentId, answer, stripeRefundId: atStripe.id };
}

describe('Merchant API: a PaymentIntent refund Stripe leaves pending (local stack)', () => {
  beforeEach(async () => {
    expect((await stripeControl('PUT', 'refund_mode', { mode: 'pending' })).status).toBe(200);
  });
  afterEach(async () => {
    await stripeControl('PUT', 'refund_mode', { mode: 'succeeded' });
  });

  it('answers 201 pending with nothing posted, then succeeds with one refund post when refund.updated arrives', async () => {
    // Arrange
    const { secret, intentId, answer, stripeRefundId } = await pendingIntentRefund();
    const postedWhilePending = await refundTransactions(secret);

    // Act
    await stripeControl('POST', `refunds/${stripeRefundId}/settle`, { outcome: 'succeed' });
    const ended = await waitFor(async () => {
      const read = await readRefund(secret, answer.body.id);
      return read.status === 'pending' ? undefined : read;
    }, 'the refund ending');

    // Assert
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ status: 'pending', amount: 10_000, payment_intent: intentId });
    expect(postedWhilePending).toEqual([]);
    expect(ended.status).toBe('succeeded');
    expect(await refundTransactions(secret)).toEqual([
      expect.objectContaining({ amount: -10_000, source: intentId }),
    ]);
  });

  it('is failed by reconciliation when the webhook is lost, and its amount can be refunded again', async () => {
    // Arrange
    const { secret, intentId, answer, stripeRefundId } = await pendingIntentRefund();
    await stripeControl('PUT', 'faults', { rates: { lostWebhook: 1 } });
    try {
      await stripeControl('POST', `refunds/${stripeRefundId}/settle`, { outcome: 'fail' });
    } finally {
      await stripeControl('PUT', 'faults', { rates: {} });
    }
    const before = await readRefund(secret, answer.body.id);

    // Act
    const run = await call('POST', '/local/reconcile', { body: { olderThanSeconds: 0 } });

    // Assert
    expect(before.status).toBe('pending');
    expect(run.status).toBe(200);
    expect((await readRefund(secret, answer.body.id)).status).toBe('failed');
    expect(await refundTransactions(secret)).toEqual([]);
    await stripeControl('PUT', 'refund_mode', { mode: 'succeeded' });
    const again = await call<RefundBody>(
      'POST',
      '/v1/refunds',
      withKey(secret, { payment_intent: intentId }),
    );
    expect(again.body).toMatchObject({ status: 'succeeded', amount: 10_000 });
  });
});
