/**
 * Refunds by the merchant (`POST /v1/refunds`, `GET /v1/refunds[/{id}]`) on the local stack, over HTTP as a
 * merchant's server calls them: a wallet mini-app payment refunded by its merchant's live key (the
 * merchant's balance debited, the platform fee returned in proportion, the payer's wallet credited), what
 * another merchant or the other mode sees (404), over-refunds (400), and a retried and a concurrent twin
 * POST making one refund with one ledger post. The ledger invariant holds at the end.
 */
import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { call, tokenFor } from '../support/api.js';
import { ledgerProblems } from '../support/ledger.js';
import { newShop, refundTransactions, type Shop, withKey } from '../support/merchant-shops.js';
import { waitFor } from '../support/stack.js';

jest.setTimeout(90_000);

interface RefundBody {
  id: string;
  object: string;
  amount: number;
  status: string;
  payment: string | null;
  payment_intent: string | null;
  livemode: boolean;
  error?: { code: string };
}

afterAll(async () => {
  expect(await ledgerProblems()).toEqual([]);
});

async function payer(funds: number) {
  const userId = `@mr${randomUUID().slice(0, 8)}:tween.example`;
  const token = await tokenFor(userId);
  const topup = await call('POST', '/wallet/v1/topup', {
    token,
    headers: { 'idempotency-key': randomUUID() },
    body: { amount: funds, currency: 'USD', paymentMethod: { type: 'card', id: 'pm_card_visa' } },
  });
  expect(topup.status).toBe(201);
  const wallet = async () => {
    const answer = await call<{ balances: { currency: string; available: number }[] }>(
      'GET',
      `/payments/v1/user/${encodeURIComponent(userId)}/balance`,
      { token },
    );
    return answer.body.balances.find((balance) => balance.currency === 'USD')?.available ?? 0;
  };
  await waitFor(async () => ((await wallet()) === funds ? true : undefined), 'the top-up');
  return { userId, token, wallet };
}

/** A completed wallet payment of `value` to the shop's app. */
async function walletPayment(shop: Shop, user: { token: string }, value: number): Promise<string> {
  const answer = await call<{ paymentId: string }>('POST', '/api/v1/payments/request', {
    token: user.token,
    headers: { 'idempotency-key': randomUUID() },
    body: {
      appId: shop.appId,
      paymentMethod: { type: 'wallet' },
      description: 'Stickers',
      amount: { value, currency: 'USD' },
    },
  });
  expect(answer.status).toBe(201);
  const { paymentId } = answer.body;
  await waitFor(async () => {
    const read = await call<{ state: string }>('GET', `/api/v1/payments/${paymentId}`, { token: user.token });
    return read.body.state === 'Completed' ? true : undefined;
  }, 'the payment completing');
  return paymentId;
}

async function balance(secret: string) {
  const answer = await call<{ available: { amount: number }[]; pending: { amount: number }[] }>(
    'GET',
    '/v1/balance',
    withKey(secret, undefined, null),
  );
  return { available: answer.body.available[0]?.amount ?? 0, pending: answer.body.pending[0]?.amount ?? 0 };
}

describe('Merchant API: refunds (local stack)', () => {
  it("refunds a wallet mini-app payment with the merchant's live key: balance debited, fee returned in proportion, wallet credited", async () => {
    // Arrange: 1000 paid; the new merchant's platform fee is 820 bps (82), its pending 918
    const shop = await newShop();
    const user = await payer(5000);
    const paymentId = await walletPayment(shop, user, 1000);
    expect(await balance(shop.live)).toEqual({ available: 0, pending: 918 });

    // Act
    const refunded = await call<RefundBody>(
      'POST',
      '/v1/refunds',
      withKey(shop.live, { payment: paymentId, amount: 400, reason: 'requested_by_customer' }),
    );

    // Assert: 400 back to the payer; 33 of the fee (82 × 400/1000 = 32.8, half-even) back to the merchant
    expect(refunded.status).toBe(201);
    expect(refunded.body).toMatchObject({
      object: 'refund',
      amount: 400,
      currency: 'USD',
      status: 'succeeded',
      payment: paymentId,
      payment_intent: null,
      reason: 'requested_by_customer',
      livemode: true,
    });
    expect(refunded.body.id).toMatch(/^re_/);
    expect(await balance(shop.live)).toEqual({ available: 0, pending: 918 - 400 + 33 });
    expect(await user.wallet()).toBe(5000 - 1000 + 400);
    expect(await refundTransactions(shop.live)).toEqual([
      expect.objectContaining({ amount: -400, fee: -33, net: -367, source: paymentId }),
    ]);
    const read = await call<RefundBody>(
      'GET',
      `/v1/refunds/${refunded.body.id}`,
      withKey(shop.live, undefined, null),
    );
    expect(read.body).toEqual(refunded.body);
    const listed = await call<{ data: RefundBody[] }>(
      'GET',
      '/v1/refunds',
      withKey(shop.live, undefined, null),
    );
    expect(listed.body).toMatchObject({
      object: 'list',
      data: [refunded.body],
      has_more: false,
      next_cursor: null,
    });
  });

  it('refuses an over-refund (400 INVALID_AMOUNT) and hides the payment and its refund from another merchant and the test mode (404)', async () => {
    // Arrange
    const shop = await newShop();
    const other = await newShop();
    const user = await payer(3000);
    const paymentId = await walletPayment(shop, user, 1000);
    const first = await call<RefundBody>(
      'POST',
      '/v1/refunds',
      withKey(shop.live, { payment: paymentId, amount: 700 }),
    );

    // Act
    const over = await call<RefundBody>(
      'POST',
      '/v1/refunds',
      withKey(shop.live, { payment: paymentId, amount: 301 }),
    );
    const otherMerchant = await call<RefundBody>(
      'POST',
      '/v1/refunds',
      withKey(other.live, { payment: paymentId }),
    );
    const testMode = await call<RefundBody>(
      'POST',
      '/v1/refunds',
      withKey(shop.test, { payment: paymentId }),
    );
    const readByOther = await call<RefundBody>(
      'GET',
      `/v1/refunds/${first.body.id}`,
      withKey(other.live, undefined, null),
    );
    const readInTest = await call<RefundBody>(
      'GET',
      `/v1/refunds/${first.body.id}`,
      withKey(shop.test, undefined, null),
    );
    const listedByOther = await call<{ data: unknown[] }>(
      'GET',
      '/v1/refunds',
      withKey(other.live, undefined, null),
    );
    const both = await call<RefundBody>(
      'POST',
      '/v1/refunds',
      withKey(shop.live, { payment: paymentId, payment_intent: 'pi_123' }),
    );
    const rest = await call<RefundBody>('POST', '/v1/refunds', withKey(shop.live, { payment: paymentId }));

    // Assert
    expect(first.status).toBe(201);
    expect([over.status, over.body.error?.code]).toEqual([400, 'INVALID_AMOUNT']);
    expect([otherMerchant.status, otherMerchant.body.error?.code]).toEqual([404, 'NOT_FOUND']);
    expect([testMode.status, readByOther.status, readInTest.status]).toEqual([404, 404, 404]);
    expect(listedByOther.body.data).toEqual([]);
    expect([both.status, both.body.error?.code]).toEqual([400, 'VALIDATION_ERROR']);
    expect(rest.body).toMatchObject({ status: 'succeeded', amount: 300 });
    expect(await user.wallet()).toBe(3000);
  });

  it('makes one refund and one ledger post of a retried and a concurrent twin POST /v1/refunds', async () => {
    // Arrange
    const shop = await newShop();
    const user = await payer(2000);
    const paymentId = await walletPayment(shop, user, 1000);
    const key = randomUUID();
    const body = { payment: paymentId, amount: 250 };

    // Act
    const twins = await Promise.all(
      [1, 2, 3].map(() => call<RefundBody>('POST', '/v1/refunds', withKey(shop.live, body, key))),
    );
    const retried = await waitFor(async () => {
      const answer = await call<RefundBody>('POST', '/v1/refunds', withKey(shop.live, body, key));
      return answer.status === 201 ? answer : undefined;
    }, 'the replay');

    // Assert
    for (const twin of twins) expect([201, 409]).toContain(twin.status);
    const made = twins.filter((twin) => twin.status === 201);
    expect(made.length).toBeGreaterThanOrEqual(1);
    for (const twin of made) expect(twin.body.id).toBe(retried.body.id);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(await user.wallet()).toBe(2000 - 1000 + 250);
    expect(await refundTransactions(shop.live)).toHaveLength(1);
    const listed = await call<{ data: RefundBody[] }>(
      'GET',
      '/v1/refunds',
      withKey(shop.live, undefined, null),
    );
    expect(listed.body.data.map((refund) => refund.id)).toEqual([retried.body.id]);
  });

  it('refunds a PaymentIntent in part, then in full: the money back to clearing, the fee in proportion, never more than captured', async () => {
    // Arrange: 10000 captured in test mode; platform fee 820, processing 320 (290 bps + 30); pending 8860
    const shop = await newShop();
    const other = await newShop();
    const created = await call<{ id: string; status: string }>(
      'POST',
      '/v1/payment_intents',
      withKey(shop.test, { amount: 10_000, currency: 'USD', payment_method: 'pm_card_visa', confirm: true }),
    );
    expect(created.body.status).toBe('succeeded');
    const intentId = created.body.id;
    expect(await balance(shop.test)).toEqual({ available: 0, pending: 8_860 });

    // Act
    const part = await call<RefundBody>(
      'POST',
      '/v1/refunds',
      withKey(shop.test, { payment_intent: intentId, amount: 2_500 }),
    );
    const over = await call<RefundBody>(
      'POST',
      '/v1/refunds',
      withKey(shop.test, { payment_intent: intentId, amount: 7_501 }),
    );
    const otherMerchant = await call<RefundBody>(
      'POST',
      '/v1/refunds',
      withKey(other.test, { payment_intent: intentId }),
    );
    const otherMode = await call<RefundBody>(
      'POST',
      '/v1/refunds',
      withKey(shop.live, { payment_intent: intentId }),
    );
    const afterPart = await balance(shop.test);
    const rest = await call<RefundBody>(
      'POST',
      '/v1/refunds',
      withKey(shop.test, { payment_intent: intentId }),
    );
    const nothingLeft = await call<RefundBody>(
      'POST',
      '/v1/refunds',
      withKey(shop.test, { payment_intent: intentId }),
    );

    // Assert: 2500 refunded returns 205 of the fee (820 × 2500/10000); the rest returns the other 615
    expect(part.status).toBe(201);
    expect(part.body).toMatchObject({
      object: 'refund',
      amount: 2_500,
      status: 'succeeded',
      payment_intent: intentId,
      payment: null,
      livemode: false,
    });
    expect([over.status, over.body.error?.code]).toEqual([400, 'INVALID_AMOUNT']);
    expect([otherMerchant.status, otherMode.status]).toEqual([404, 404]);
    expect(afterPart).toEqual({ available: 0, pending: 8_860 - 2_500 + 205 });
    expect(rest.body).toMatchObject({ amount: 7_500, status: 'succeeded' });
    expect(nothingLeft.status).toBe(409);
    // Everything captured went back; the platform fee came back whole, the processing fee did not.
    expect(await balance(shop.test)).toEqual({ available: 0, pending: -320 });
    // Both may be created in the same second, so their order in the list is not asserted.
    const refunds = await refundTransactions(shop.test);
    expect(refunds).toHaveLength(2);
    expect(refunds).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ amount: -7_500, fee: -615, net: -6_885, source: intentId }),
        expect.objectContaining({ amount: -2_500, fee: -205, net: -2_295, source: intentId }),
      ]),
    );
    const read = await call<RefundBody>(
      'GET',
      `/v1/refunds/${part.body.id}`,
      withKey(shop.test, undefined, null),
    );
    expect(read.body).toEqual(part.body);
    const readByOther = await call<RefundBody>(
      'GET',
      `/v1/refunds/${part.body.id}`,
      withKey(other.test, undefined, null),
    );
    expect(readByOther.status).toBe(404);
  });

  it('makes one PaymentIntent refund and one ledger post of concurrent twins with the same key', async () => {
    // Arrange
    const shop = await newShop();
    const created = await call<{ id: string }>(
      'POST',
      '/v1/payment_intents',
      withKey(shop.test, { amount: 4_000, currency: 'USD', payment_method: 'pm_card_visa', confirm: true }),
    );
    const key = randomUUID();
    const body = { payment_intent: created.body.id, amount: 1_000 };

    // Act
    const twins = await Promise.all(
      [1, 2, 3].map(() => call<RefundBody>('POST', '/v1/refunds', withKey(shop.test, body, key))),
    );
    const retried = await waitFor(async () => {
      const answer = await call<RefundBody>('POST', '/v1/refunds', withKey(shop.test, body, key));
      return answer.status === 201 ? answer : undefined;
    }, 'the replay');

    // Assert
    for (const twin of twins) expect([201, 409]).toContain(twin.status);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(await refundTransactions(shop.test)).toHaveLength(1);
    const listed = await call<{ data: RefundBody[] }>(
      'GET',
      '/v1/refunds',
      withKey(shop.test, undefined, null),
    );
    expect(listed.body.data.map((refund) => refund.id)).toEqual([retried.body.id]);
  });
});
