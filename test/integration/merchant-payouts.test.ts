/**
 * Payouts (`POST /v1/payouts`, `GET /v1/payouts[/{id}]`) on the local stack, over HTTP as a merchant's
 * server calls them: a merchant with settled funds (available, as settlement leaves it) and a connected
 * account at the local Stripe server pays out instantly (the fee seen) and by standard; each payout's flow
 * sends it through Connect and the provider's `payout.paid` webhook ends it. The balance, the balance
 * transactions and the ledger agree. The rules (minimum, payable, daily limit, an inactive merchant) answer
 * their codes; a provider failure returns the whole debit once; a retried and a concurrent twin make one.
 */
import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { payoutAccounts } from '../../shared/domain/payout.js';
import { call, endpoint } from '../support/api.js';
import { ledgerProblems, localLedger } from '../support/ledger.js';
import { withKey } from '../support/merchant-shops.js';
import { type PayoutShop, payoutShop } from '../support/payout-shops.js';
import { waitFor } from '../support/stack.js';

jest.setTimeout(120_000);

interface PayoutBody {
  id: string;
  object: string;
  amount: number;
  fee: number;
  currency: string;
  method: string;
  status: string;
  arrival_date: number;
  failure_code?: string;
  livemode: boolean;
  created: number;
  error?: { code: string };
}

type Shop = PayoutShop;

afterAll(async () => {
  expect(await ledgerProblems()).toEqual([]);
});

const payout = (shop: Shop, body: unknown, key?: string) =>
  call<PayoutBody>('POST', '/v1/payouts', withKey(shop.test, body, key));

const read = (shop: Shop, id: string) =>
  call<PayoutBody>('GET', `/v1/payouts/${id}`, withKey(shop.test, undefined, null));

async function ended(shop: Shop, id: string): Promise<PayoutBody> {
  return waitFor(async () => {
    const answer = await read(shop, id);
    return answer.body.status === 'paid' || answer.body.status === 'failed' ? answer.body : undefined;
  }, `payout ${id} to end`);
}

async function availableUsd(shop: Shop): Promise<number> {
  const answer = await call<{ available: { amount: number; currency: string }[] }>(
    'GET',
    '/v1/balance',
    withKey(shop.test, undefined, null),
  );
  return answer.body.available.find((entry) => entry.currency === 'USD')?.amount ?? 0;
}

async function payoutTransactions(shop: Shop): Promise<Record<string, unknown>[]> {
  const answer = await call<{ data: Record<string, unknown>[] }>(
    'GET',
    '/v1/balance_transactions?limit=100',
    withKey(shop.test, undefined, null),
  );
  return answer.body.data.filter((transaction) => transaction.type === 'payout');
}

async function posted(accountId: string): Promise<number> {
  const account = await localLedger().account(accountId);
  return account === undefined ? 0 : account.creditsPosted - account.debitsPosted;
}

describe('Payouts over HTTP', () => {
  it('pays out instantly (fee 100 bps) and by standard; balance, balance transactions and ledger agree', async () => {
    // Arrange
    const shop = await payoutShop(500_000);

    // Act
    const instant = await payout(shop, { amount: 100_000, currency: 'USD', method: 'instant' });
    const standard = await payout(shop, { amount: 50_000, currency: 'USD', method: 'standard' });
    const [paidInstant, paidStandard] = [
      await ended(shop, instant.body.id),
      await ended(shop, standard.body.id),
    ];

    // Assert
    expect(instant.status).toBe(201);
    expect(instant.body).toMatchObject({
      object: 'payout',
      amount: 100_000,
      fee: 1_000,
      method: 'instant',
      livemode: false,
    });
    expect(instant.body.id).toMatch(/^po_/);
    expect(instant.body.arrival_date - instant.body.created).toBe(1_800);
    expect(standard.body).toMatchObject({ amount: 50_000, fee: 0, method: 'standard' });
    expect(standard.body.arrival_date - standard.body.created).toBeGreaterThanOrEqual(86_400);
    expect([paidInstant.status, paidStandard.status]).toEqual(['paid', 'paid']);
    expect(await availableUsd(shop)).toBe(350_000);
    const transactions = await payoutTransactions(shop);
    // Both in the same second, maybe: in any order.
    expect(transactions.map(({ amount, fee, net, source }) => ({ amount, fee, net, source }))).toEqual(
      expect.arrayContaining([
        { amount: -50_000, fee: 0, net: -50_000, source: standard.body.id },
        { amount: -99_000, fee: 1_000, net: -100_000, source: instant.body.id },
      ]),
    );
    expect(transactions).toHaveLength(2);
    expect(await posted(payoutAccounts.paidOut(shop.merchantId, 'test', 'USD').id)).toBe(149_000);
    expect(await posted(payoutAccounts.inTransit(shop.merchantId, 'test', 'USD').id)).toBe(0);
    const listed = await call<{ object: string; data: PayoutBody[]; has_more: boolean }>(
      'GET',
      '/v1/payouts?status=paid&limit=1',
      withKey(shop.test, undefined, null),
    );
    expect(listed.body).toMatchObject({ object: 'list', has_more: true });
    expect(listed.body.data).toHaveLength(1);
  });

  it('answers the rules: minimum, payable balance, daily limit, an inactive merchant', async () => {
    // Arrange
    const shop = await payoutShop(6_000_000);
    const inactive = await payoutShop(0, 'in_review');

    // Act
    const small = await payout(shop, { amount: 9_999, currency: 'USD', method: 'standard' });
    const first = await payout(shop, { amount: 4_990_000, currency: 'USD', method: 'standard' });
    const overLimit = await payout(shop, { amount: 20_000, currency: 'USD', method: 'standard' });
    const poor = await payoutShop(15_000);
    const tooMuch = await payout(poor, { amount: 15_001, currency: 'USD', method: 'standard' });
    const notActive = await payout(inactive, { amount: 10_000, currency: 'USD', method: 'standard' });
    const noKey = await call(
      'POST',
      '/v1/payouts',
      withKey(shop.test, { amount: 10_000, currency: 'USD', method: 'standard' }, null),
    );

    // Assert
    expect([small.status, small.body.error?.code]).toEqual([400, 'PAYOUT_BELOW_MINIMUM']);
    expect(first.status).toBe(201);
    expect([overLimit.status, overLimit.body.error?.code]).toEqual([400, 'PAYOUT_LIMIT_EXCEEDED']);
    expect([tooMuch.status, tooMuch.body.error?.code]).toEqual([402, 'INSUFFICIENT_FUNDS']);
    expect([notActive.status, notActive.body.error?.code]).toEqual([403, 'MERCHANT_NOT_ACTIVE']);
    expect(noKey.status).toBe(400);
    await ended(shop, first.body.id);
  });

  it('returns the whole debit once when the provider fails the payout after in_transit', async () => {
    // Arrange
    const shop = await payoutShop(200_000);
    const armed = await fetch(`${endpoint('stripe')}/local/stripe/payouts/fail-next`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ failure_code: 'account_closed' }),
    });
    expect(armed.status).toBe(200);

    // Act
    const created = await payout(shop, { amount: 100_000, currency: 'USD', method: 'instant' });
    const failed = await ended(shop, created.body.id);

    // Assert
    expect(failed).toMatchObject({ status: 'failed', failure_code: 'account_closed' });
    expect(await availableUsd(shop)).toBe(200_000);
    const transactions = await payoutTransactions(shop);
    expect(transactions.map(({ net }) => net)).toEqual([100_000, -100_000]);
    expect(await posted(payoutAccounts.inTransit(shop.merchantId, 'test', 'USD').id)).toBe(0);
    expect(await posted(payoutAccounts.paidOut(shop.merchantId, 'test', 'USD').id)).toBe(0);
  });

  it('makes one payout of a retry and of a concurrent twin under the same key', async () => {
    // Arrange
    const shop = await payoutShop(100_000);
    const body = { amount: 30_000, currency: 'USD', method: 'standard' };
    const key = randomUUID();

    // Act
    const [one, twin] = await Promise.all([payout(shop, body, key), payout(shop, body, key)]);
    const retry = await payout(shop, body, key);

    // Assert
    const created = [one, twin].filter((answer) => answer.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const answer of [one, twin]) expect([201, 409]).toContain(answer.status);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(new Set([...created, retry].map((answer) => answer.body.id)).size).toBe(1);
    await ended(shop, retry.body.id);
    expect(await availableUsd(shop)).toBe(70_000);
    expect(await payoutTransactions(shop)).toHaveLength(1);
  });
});
