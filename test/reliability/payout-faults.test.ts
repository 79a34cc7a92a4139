/**
 * Payout faults (issue #17) on the shared local stack, over HTTP: a payout the provider fails after it went
 * in transit returns the whole debit exactly once, also when its `payout.failed` webhook comes again (the
 * same event redelivered, and the same news under another event id, as a provider retrying after a lost
 * acknowledgement would send it); a payout retried with the same Idempotency-Key, and a burst of concurrent
 * twins, make one payout and one debit. The ledger invariant holds at the end.
 */
import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { signatureHeader } from '../../local/stripe/webhooks.js';
import { payoutAccounts } from '../../shared/domain/payout.js';
import { call, endpoint } from '../support/api.js';
import { ledgerProblems, localLedger } from '../support/ledger.js';
import { withKey } from '../support/merchant-shops.js';
import { type PayoutShop, payoutShop } from '../support/payout-shops.js';
import { waitFor } from '../support/stack.js';

jest.setTimeout(120_000);

const WEBHOOK_SECRET = 'whsec_tween_local_0000000000000000';
const TWINS = 6;

interface PayoutBody {
  id: string;
  status: string;
  failure_code?: string;
}

interface StripeEventRecord {
  event: { id: string; type: string; data: { object: { metadata?: Record<string, string> } } };
}

afterAll(async () => {
  expect(await ledgerProblems()).toEqual([]);
});

const create = (shop: PayoutShop, body: unknown, key: string) =>
  call<PayoutBody>('POST', '/v1/payouts', withKey(shop.test, body, key));

async function ended(shop: PayoutShop, id: string): Promise<PayoutBody> {
  return waitFor(async () => {
    const answer = await call<PayoutBody>('GET', `/v1/payouts/${id}`, withKey(shop.test, undefined, null));
    return answer.body.status === 'paid' || answer.body.status === 'failed' ? answer.body : undefined;
  }, `payout ${id} to end`);
}

async function money(shop: PayoutShop) {
  const balance = await call<{ available: { amount: number }[] }>(
    'GET',
    '/v1/balance',
    withKey(shop.test, undefined, null),
  );
  const transactions = await call<{ data: { type: string; net: number }[] }>(
    'GET',
    '/v1/balance_transactions?limit=100',
    withKey(shop.test, undefined, null),
  );
  const inTransit = await localLedger().account(payoutAccounts.inTransit(shop.merchantId, 'test', 'USD').id);
  return {
    available: balance.body.available[0]?.amount ?? 0,
    payoutNets: transactions.body.data.filter((t) => t.type === 'payout').map((t) => t.net),
    inTransit: inTransit === undefined ? 0 : inTransit.creditsPosted - inTransit.debitsPosted,
  };
}

/** The local Stripe server's `payout.failed` event of our payout, as it was sent. */
async function failedEventOf(payoutId: string): Promise<StripeEventRecord['event']> {
  const response = await fetch(`${endpoint('stripe')}/local/stripe/events?type=payout.failed`);
  const { data } = (await response.json()) as { data: StripeEventRecord[] };
  const record = data.find((entry) => entry.event.data.object.metadata?.payoutId === payoutId);
  if (record === undefined) throw new Error(`No payout.failed event of ${payoutId}`);
  return record.event;
}

/** Delivers `event` to the service's Stripe webhook endpoint, signed as the provider signs it. */
async function deliver(event: unknown): Promise<number> {
  const payload = JSON.stringify(event, null, 2);
  const answer = await call('POST', '/api/v1/webhooks/stripe', {
    rawBody: payload,
    headers: {
      'content-type': 'application/json',
      'stripe-signature': signatureHeader(payload, WEBHOOK_SECRET),
    },
  });
  return answer.status;
}

describe('Reliability: payout faults', () => {
  it('returns the whole debit exactly once when the provider fails a payout in transit, however often it says so', async () => {
    // Arrange
    const shop = await payoutShop(300_000);
    await fetch(`${endpoint('stripe')}/local/stripe/payouts/fail-next`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ failure_code: 'could_not_process' }),
    });
    const created = await create(shop, { amount: 120_000, currency: 'USD', method: 'instant' }, randomUUID());
    expect(created.status).toBe(201);
    expect((await ended(shop, created.body.id)).status).toBe('failed');
    const event = await failedEventOf(created.body.id);

    // Act
    const redelivered = await deliver(event);
    const anew = await deliver({ ...event, id: `evt_again${randomUUID().replaceAll('-', '')}` });
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    // Assert
    expect([redelivered, anew]).toEqual([200, 200]);
    expect(await money(shop)).toEqual({ available: 300_000, payoutNets: [120_000, -120_000], inTransit: 0 });
  });

  it('makes one payout and one debit of a retry and of concurrent twins under one key', async () => {
    // Arrange
    const shop = await payoutShop(200_000);
    const body = { amount: 50_000, currency: 'USD', method: 'standard' };
    const key = randomUUID();

    // Act
    const twins = await Promise.all(Array.from({ length: TWINS }, () => create(shop, body, key)));
    const retry = await create(shop, body, key);

    // Assert
    for (const answer of twins) expect([201, 409]).toContain(answer.status);
    expect(retry.status).toBe(201);
    const ids = new Set([...twins, retry].filter((a) => a.status === 201).map((a) => a.body.id));
    expect(ids.size).toBe(1);
    expect((await ended(shop, retry.body.id)).status).toBe('paid');
    expect(await money(shop)).toEqual({ available: 150_000, payoutNets: [-50_000], inTransit: 0 });
  });
});
