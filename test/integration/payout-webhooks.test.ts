/**
 * Issue #17's "done when", over HTTP on the local stack: a merchant with settled funds registers its webhook
 * receiver (test/support/webhook-receiver.ts, which verifies every signature with `standardwebhooks`), pays
 * out instantly and by standard, sees the fee, and hears `payout.paid` for each payout at its receiver with a
 * valid signature and the payout as the API shows it; its balance and balance transactions agree.
 */
import { jest } from '@jest/globals';
import { call } from '../support/api.js';
import { ledgerProblems } from '../support/ledger.js';
import { withKey } from '../support/merchant-shops.js';
import { payoutShop } from '../support/payout-shops.js';
import { waitFor } from '../support/stack.js';
import { type ReceivedDelivery, WebhookReceiver } from '../support/webhook-receiver.js';

jest.setTimeout(120_000);

type Json = Record<string, unknown>;

let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await WebhookReceiver.start('/payouts');
});

afterAll(async () => {
  await receiver.close();
  expect(await ledgerProblems()).toEqual([]);
});

describe('Payouts heard at the merchant webhook receiver', () => {
  it('delivers a signed payout.paid for an instant and a standard payout; balance and transactions agree', async () => {
    // Arrange
    const shop = await payoutShop(300_000);
    const endpoint = await call<Json>(
      'POST',
      '/v1/webhook_endpoints',
      withKey(shop.test, { url: receiver.url, enabled_events: ['payout.paid', 'payout.failed'] }),
    );
    expect(endpoint.status).toBe(201);
    receiver.useSecret(String(endpoint.body.secret));

    // Act
    const instant = await call<Json>(
      'POST',
      '/v1/payouts',
      withKey(shop.test, { amount: 100_000, currency: 'USD', method: 'instant' }),
    );
    const standard = await call<Json>(
      'POST',
      '/v1/payouts',
      withKey(shop.test, { amount: 20_000, currency: 'USD', method: 'standard' }),
    );
    const ids = [String(instant.body.id), String(standard.body.id)];
    const heard = await waitFor(
      async () => {
        const paid = receiver
          .acknowledged()
          .filter((delivery) => delivery.type === 'payout.paid' && ids.includes(String(delivery.objectId)));
        return paid.length === 2 ? paid : undefined;
      },
      'payout.paid for both payouts at the receiver',
      60_000,
    );

    // Assert: the fee is seen at creation and in the event; every delivery verified; nothing else sent
    expect(instant.status).toBe(201);
    expect(instant.body).toMatchObject({ amount: 100_000, fee: 1_000, method: 'instant' });
    expect(standard.body).toMatchObject({ amount: 20_000, fee: 0, method: 'standard' });
    const byPayout = (id: string) => heard.find((delivery) => delivery.objectId === id) as ReceivedDelivery;
    expect(byPayout(ids[0] as string).body).toMatchObject({
      type: 'payout.paid',
      livemode: false,
      data: { object: { id: ids[0], object: 'payout', amount: 100_000, fee: 1_000, status: 'paid' } },
    });
    expect(byPayout(ids[1] as string).body).toMatchObject({
      data: { object: { id: ids[1], amount: 20_000, fee: 0, status: 'paid' } },
    });
    expect(receiver.received.every((delivery) => delivery.verified)).toBe(true);
    expect(receiver.received.filter((delivery) => ids.includes(String(delivery.objectId)))).toHaveLength(2);
    const balance = await call<{ available: { amount: number; currency: string }[] }>(
      'GET',
      '/v1/balance',
      withKey(shop.test, undefined, null),
    );
    expect(balance.body.available).toEqual([{ amount: 180_000, currency: 'USD' }]);
    const transactions = await call<{ data: Json[] }>(
      'GET',
      '/v1/balance_transactions?limit=100',
      withKey(shop.test, undefined, null),
    );
    const payouts = transactions.body.data.filter((transaction) => transaction.type === 'payout');
    expect(payouts.map(({ net, fee, source }) => ({ net, fee, source }))).toEqual(
      expect.arrayContaining([
        { net: -100_000, fee: 1_000, source: ids[0] },
        { net: -20_000, fee: 0, source: ids[1] },
      ]),
    );
    expect(payouts).toHaveLength(2);
  });
});
