/**
 * A PaymentIntent with splits over the merchant API, handler by handler (functions/merchants/payment-intents.ts
 * and balance.ts invoked as API Gateway would after the API-key authorizer, on DynamoDB Local, a table of
 * their own, and the local stack's Stripe-compatible server): `pm_card_visa` confirmed and captured at once;
 * then each merchant's `GET /v1/balance` and `GET /v1/balance_transactions` show its part of the charge.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDbMerchants } from '../../shared/adapters/dynamodb/merchants.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { endpoint } from '../support/api.js';
import { createLocalTable, localDocumentClient } from '../support/ledger.js';
import {
  invokeAs,
  type MerchantCallerContext,
  type MerchantHandler,
  merchantCaller,
  useLocalHandlerEnv,
} from '../support/merchant-event.js';

const TABLE_NAME = `${tableDefinition.localName}-payment-intent-splits`;
// The handler modules read these when their clients are built: set them first.
useLocalHandlerEnv(TABLE_NAME, {
  STRIPE_API_BASE: endpoint('stripe'),
  // Automatic capture starts no execution: this test never reach the state machine.
  PAYMENT_INTENT_CAPTURE_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:unused',
});
const intentsHandler = (await import('../../functions/merchants/payment-intents.js'))
  .handler as unknown as MerchantHandler;
const balanceHandler = (await import('../../functions/merchants/balance.js'))
  .handler as unknown as MerchantHandler;
const refundsHandler = (await import('../../functions/merchants/refunds.js'))
  .handler as unknown as MerchantHandler;

interface IntentBody {
  id: string;
  status: string;
  amount_received: number;
  fees: { platform: number; processing: number } | null;
  net: number | null;
}
interface BalanceBody {
  available: { amount: number; currency: string }[];
  pending: { amount: number; currency: string }[];
  livemode: boolean;
}
interface TransactionsBody {
  object: string;
  data: { type: string; amount: number; fee: number; net: number; status: string; source: string }[];
}

async function activeMerchant(caller: MerchantCallerContext): Promise<void> {
  const at = new Date().toISOString();
  await new DynamoDbMerchants(localDocumentClient(), TABLE_NAME).create({
    merchantId: caller.merchantId,
    owner: '@owner:tween.example',
    name: 'Partner Shop',
    email: 'partner@tween.example',
    country: 'US',
    businessType: 'company',
    status: 'active',
    reserveBps: 0,
    createdAt: at,
    updatedAt: at,
  });
}

beforeAll(async () => {
  await createLocalTable(TABLE_NAME);
});

describe('PaymentIntents with splits over the merchant API', () => {
  it("pays each split merchant's pending balance with a split balance transaction, the fees borne by the charging merchant", async () => {
    // Arrange
    const [shop, partner, courier] = [merchantCaller(), merchantCaller(), merchantCaller()];
    await activeMerchant(shop);
    await activeMerchant(partner);
    await activeMerchant(courier);

    // Act
    const created = await invokeAs<IntentBody>(intentsHandler, shop, {
      routeKey: 'POST /v1/payment_intents',
      rawPath: '/v1/payment_intents',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: {
        amount: 10_000,
        currency: 'USD',
        payment_method: 'pm_card_visa',
        confirm: true,
        splits: [
          { merchant: partner.merchantId, amount: 3_000 },
          { merchant: courier.merchantId, amount: 1_000 },
        ],
      },
    });

    // Assert
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'succeeded', amount_received: 10_000 });
    const fees = created.body.fees;
    if (fees === null) throw new Error('A succeeded PaymentIntent has its fees');
    // The intent's net is what the shop keeps: less the fees and the 4000 its splits paid.
    expect(created.body.net).toBe(10_000 - fees.platform - fees.processing - 4_000);
    const read = async (caller: MerchantCallerContext) => {
      const balance = await invokeAs<BalanceBody>(balanceHandler, caller, { routeKey: 'GET /v1/balance' });
      const listed = await invokeAs<TransactionsBody>(balanceHandler, caller, {
        routeKey: 'GET /v1/balance_transactions',
      });
      expect(balance.status).toBe(200);
      expect(listed.status).toBe(200);
      return { balance: balance.body, transactions: listed.body.data };
    };
    const shopSide = await read(shop);
    expect(shopSide.balance.pending).toEqual([
      { amount: 10_000 - fees.platform - fees.processing - 4_000, currency: 'USD' },
    ]);
    expect(shopSide.transactions.map((t) => [t.type, t.amount, t.fee, t.net]).sort()).toEqual(
      [
        ['charge', 10_000, fees.platform + fees.processing, 10_000 - fees.platform - fees.processing],
        ['split', -4_000, 0, -4_000],
      ].sort(),
    );
    for (const [caller, share] of [
      [partner, 3_000],
      [courier, 1_000],
    ] as const) {
      const side = await read(caller);
      expect(side.balance).toMatchObject({
        livemode: false,
        available: [{ amount: 0, currency: 'USD' }],
        pending: [{ amount: share, currency: 'USD' }],
      });
      expect(side.transactions).toEqual([
        expect.objectContaining({
          type: 'split',
          amount: share,
          fee: 0,
          net: share,
          status: 'pending',
          source: created.body.id,
        }),
      ]);
    }
  });

  it('reverses the splits in proportion when the charge is refunded: each merchant gives back its part', async () => {
    // Arrange: 10000 with splits of 3000 and 1000, captured at once
    const [shop, partner, courier] = [merchantCaller(), merchantCaller(), merchantCaller()];
    for (const merchant of [shop, partner, courier]) await activeMerchant(merchant);
    const created = await invokeAs<IntentBody>(intentsHandler, shop, {
      routeKey: 'POST /v1/payment_intents',
      rawPath: '/v1/payment_intents',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: {
        amount: 10_000,
        currency: 'USD',
        payment_method: 'pm_card_visa',
        confirm: true,
        splits: [
          { merchant: partner.merchantId, amount: 3_000 },
          { merchant: courier.merchantId, amount: 1_000 },
        ],
      },
    });
    const fees = created.body.fees;
    if (fees === null) throw new Error('A succeeded PaymentIntent has its fees');

    // Act: half of it refunded
    const refund = await invokeAs<{ status: string; amount: number }>(refundsHandler, shop, {
      routeKey: 'POST /v1/refunds',
      rawPath: '/v1/refunds',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: { payment_intent: created.body.id, amount: 5_000 },
    });

    // Assert: the splits give back 1500 and 500; the platform fee comes back in half, the processing fee not
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({ status: 'succeeded', amount: 5_000 });
    const total = async (caller: MerchantCallerContext) => {
      const { body } = await invokeAs<BalanceBody>(balanceHandler, caller, { routeKey: 'GET /v1/balance' });
      const sum = (list: BalanceBody['pending']) => list.reduce((all, entry) => all + entry.amount, 0);
      return sum(body.pending) + sum(body.available);
    };
    expect(await total(partner)).toBe(1_500);
    expect(await total(courier)).toBe(500);
    const feeReturned = fees.platform / 2;
    expect(await total(shop)).toBe(
      10_000 - fees.platform - fees.processing - 4_000 - 5_000 + feeReturned + 2_000,
    );
  });
});
