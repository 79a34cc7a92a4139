/**
 * A PaymentIntent refund Stripe leaves pending (the stand-in's refund_mode) ends when Stripe's refund does:
 * by its webhook, or by reconciliation when the webhook is lost, over HTTP against the local stack.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { jest } from '@jest/globals';
import { DynamoDbMerchants } from '../../shared/adapters/dynamodb/merchants.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { call, endpoint, tokenFor } from '../support/api.js';
import { merchant } from '../support/fakes/merchants.js';
import { ledgerProblems } from '../support/ledger.js';
import { waitFor } from '../support/stack.js';

jest.setTimeout(90_000);

type Json = Record<string, unknown>;

interface RefundBody {
  id: string;
  amount: number;
  status: string;
  payment_intent: string | null;
}

const awsConfig = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
let merchants: DynamoDbMerchants;

beforeAll(() => {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...awsConfig, endpoint: endpoint('dynamodb') }),
  );
  merchants = new DynamoDbMerchants(client, tableDefinition.localName);
});

afterAll(async () => {
  expect(await ledgerProblems()).toEqual([]);
});

const withKey = (secret: string, body?: unknown, key: string | null = randomUUID()) => ({
  headers: { authorization: `Bearer ${secret}`, ...(key === null ? {} : { 'idempotency-key': key }) },
  ...(body === undefined ? {} : { body }),
});

/** An active merchant of its own, with a test key. */
async function newShopTestKey(): Promise<string> {
  const owner = `@owner-${randomUUID()}:tween.example`;
  const merchantId = `mch_${randomUUID().replaceAll('-', '')}`;
  await merchants.create(merchant(merchantId, 'active', owner));
  const answer = await call<Json>('POST', `/merchant/v1/merchants/${merchantId}/api-keys`, {
    token: await tokenFor(owner),
    body: { mode: 'test', name: 'test' },
  });
  expect(answer.status).toBe(201);
  return String(answer.body.secret);
}

async function stripeControl(method: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${endpoint('stripe')}/local/stripe/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function refundTransactions(secret: string): Promise<Json[]> {
  const answer = await call<{ data: Json[] }>(
    'GET',
    '/v1/balance_transactions?limit=100',
    withKey(secret, undefined, null),
  );
  return answer.body.data.filter((transaction) => transaction.type === 'refund');
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
