/**
 * Transfer reversals on the local stack, over HTTP: a PaymentIntent pays a split merchant 20 000 of 50 000;
 * the split merchant's share settles and leaves in a paid payout (a transfer to its connected account at the
 * local Stripe server, then a payout); a full refund reverses the share on the ledger, leaving its balance
 * at −20 000, so the settlement job (every 5 s locally) finds the refund on its worklist and takes the 20 000
 * back from that payout's transfer with a transfer reversal. The split merchant's balance, balance transactions and the ledger agree, and a
 * retried and twin run reverse once.
 */
import { jest } from '@jest/globals';
import { DynamoDbIntentRefunds } from '../../shared/adapters/dynamodb/intent-refunds.js';
import { DynamoDbMerchantBalances } from '../../shared/adapters/dynamodb/merchant-balances.js';
import { DynamoDbPaymentIntents } from '../../shared/adapters/dynamodb/payment-intents.js';
import { DynamoDbPayouts } from '../../shared/adapters/dynamodb/payouts.js';
import { DynamoDbTransferReversals } from '../../shared/adapters/dynamodb/transfer-reversals.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { StripeConnectPayouts } from '../../shared/adapters/stripe/connect-payouts.js';
import { reverseSplitTransfers } from '../../shared/app/payouts/transfer-reversals.js';
import { payoutAccounts } from '../../shared/domain/payout.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { call, endpoint } from '../support/api.js';
import { ledgerProblems, localDocumentClient, localLedger } from '../support/ledger.js';
import { withKey } from '../support/merchant-shops.js';
import { payoutShop } from '../support/payout-shops.js';
import { waitFor } from '../support/stack.js';

jest.setTimeout(120_000);

const STRIPE_KEY = 'sk_test_tween_local_0000000000000000';
const TABLE = tableDefinition.localName;
const client = localDocumentClient();
const ledger = localLedger();
const balances = new DynamoDbMerchantBalances(client, TABLE, ledger);
const payouts = new DynamoDbPayouts(client, TABLE, ledger);

interface Transaction {
  type: string;
  amount: number;
  net: number;
  source: string;
}

afterAll(async () => {
  expect(await ledgerProblems()).toEqual([]);
});

async function stripeGet(path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${endpoint('stripe')}${path}`, {
    headers: { authorization: `Bearer ${STRIPE_KEY}` },
  });
  return (await response.json()) as Record<string, unknown>;
}

async function transactions(key: string): Promise<Transaction[]> {
  const answer = await call<{ data: Transaction[] }>(
    'GET',
    '/v1/balance_transactions?limit=100',
    withKey(key, undefined, null),
  );
  return answer.body.data;
}

async function balanceUsd(key: string): Promise<number> {
  type Amounts = { amount: number; currency: string }[];
  const answer = await call<{ available: Amounts; pending: Amounts }>(
    'GET',
    '/v1/balance',
    withKey(key, undefined, null),
  );
  const usd = (entries: { amount: number; currency: string }[]) =>
    entries.find((entry) => entry.currency === 'USD')?.amount ?? 0;
  return usd(answer.body.available) + usd(answer.body.pending);
}

async function posted(accountId: string): Promise<number> {
  const account = await ledger.account(accountId);
  return account === undefined ? 0 : account.creditsPosted - account.debitsPosted;
}

describe('Transfer reversals over HTTP', () => {
  it("takes a refunded split back from the split merchant's paid payout transfer, once", async () => {
    // Arrange: a split of 20 000 to a merchant with a connected account; its share settled and paid out
    const shop = await payoutShop(0);
    const partner = await payoutShop(0);
    const intent = await call<{ id: string; status: string }>(
      'POST',
      '/v1/payment_intents',
      withKey(shop.test, {
        amount: 50_000,
        currency: 'USD',
        payment_method: 'pm_card_visa',
        confirm: true,
        splits: [{ merchant: partner.merchantId, amount: 20_000 }],
      }),
    );
    expect([intent.status, intent.body.status]).toEqual([201, 'succeeded']);
    const { transactions: listed } = await balances.transactions({
      merchantId: partner.merchantId,
      mode: 'test',
      limit: 10,
    });
    const share = listed.find((transaction) => transaction.kind === 'split');
    if (share === undefined) throw new Error('The split merchant was paid its share');
    // Settlement, as the settlement job does once the share is due.
    expect(await balances.settle(share)).toBe(true);
    const payout = await call<{ id: string }>(
      'POST',
      '/v1/payouts',
      withKey(partner.test, { amount: 20_000, currency: 'USD', method: 'standard' }),
    );
    expect(payout.status).toBe(201);
    const paid = await waitFor(async () => {
      const stored = await payouts.get({ merchantId: partner.merchantId, mode: 'test' }, payout.body.id);
      return stored?.status === 'paid' ? stored : undefined;
    }, 'the payout to be paid');
    const transferId = paid.providerTransferId;
    if (transferId === undefined) throw new Error('A paid payout has its transfer');

    // Act: a full refund
    const refund = await call<{ id: string; status: string }>(
      'POST',
      '/v1/refunds',
      withKey(shop.test, { payment_intent: intent.body.id }),
    );
    expect([refund.status, refund.body.status]).toEqual([201, 'succeeded']);

    // Assert: the transfer reversal at the local Stripe server, and the merchant's side
    const adjustment = await waitFor(
      async () => {
        const found = (await transactions(partner.test)).find((t) => t.type === 'adjustment');
        return found;
      },
      'the reversal to be recorded',
      60_000,
    );
    expect(adjustment).toMatchObject({ amount: 20_000, net: 20_000, source: refund.body.id });
    const transfer = await stripeGet(`/v1/transfers/${transferId}`);
    expect(transfer).toMatchObject({ amount: 20_000, amount_reversed: 20_000 });
    expect(await balanceUsd(partner.test)).toBe(0);
    expect((await transactions(partner.test)).map((t) => [t.type, t.net]).sort()).toEqual(
      [
        ['adjustment', 20_000],
        ['payout', -20_000],
        ['split', -20_000],
        ['split', 20_000],
      ].sort(),
    );
    expect(await posted(payoutAccounts.paidOut(partner.merchantId, 'test', 'USD').id)).toBe(0);

    // A retried and a twin run: the same reversal, nothing more at Stripe or on the ledger.
    const deps = {
      intentRefunds: new DynamoDbIntentRefunds(client, TABLE, ledger),
      intents: new DynamoDbPaymentIntents(client, TABLE),
      balances,
      reversals: new DynamoDbTransferReversals(client, TABLE, ledger, payouts),
      rails: new StripeConnectPayouts({ secretKey: STRIPE_KEY, apiBase: endpoint('stripe') }),
      ids: randomIds,
      clock: { now: () => new Date() },
    };
    const ref = { merchantId: shop.merchantId, mode: 'test', refundId: refund.body.id } as const;
    const [again, twin] = await Promise.all([
      reverseSplitTransfers(ref, deps),
      reverseSplitTransfers(ref, deps),
    ]);
    expect(again).toEqual(twin);
    expect(again).toEqual([expect.objectContaining({ merchantId: partner.merchantId, amount: 20_000 })]);
    const reversals = await stripeGet(`/v1/transfers/${transferId}/reversals`);
    expect(reversals.data).toHaveLength(1);
    expect(await balanceUsd(partner.test)).toBe(0);
    expect((await transactions(partner.test)).filter((t) => t.type === 'adjustment')).toHaveLength(1);
  });
});
