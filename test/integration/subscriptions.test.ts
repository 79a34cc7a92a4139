/**
 * Subscriptions over HTTP on the local stack, as a merchant's server calls them (API.md "Billing and
 * checkout"): what a subscription may be made of (recurring prices in one currency at one interval, a
 * customer with a default payment method unless there is a trial; else 400 and nothing made), a trial
 * subscription read, listed by customer and status, cancelled at period end and then now (409 after), with
 * its customer.subscription.* events at the merchant's webhook endpoint. Renewal and dunning:
 * subscriptions-renewal.test.ts.
 */
import { jest } from '@jest/globals';
import { type BillingShop, billingShop, type SubscriptionBody } from '../support/billing-shops.js';
import { waitFor } from '../support/stack.js';

jest.setTimeout(90_000);

interface ListBody {
  object: string;
  data: SubscriptionBody[];
  has_more: boolean;
  next_cursor: string | null;
}

let billing: BillingShop;

beforeAll(async () => {
  billing = await billingShop();
});

afterAll(async () => {
  await billing.receiver.close();
});

describe('Subscriptions over HTTP', () => {
  it('refuses what cannot make a subscription with 400 VALIDATION_ERROR, making none', async () => {
    // Arrange
    const monthly = await billing.price(1_500);
    const yearly = await billing.price(15_000, 'year');
    const euros = await billing.price(1_500, 'month', 'EUR');
    const once = await billing.oneTimePrice(1_500);
    const withCard = await billing.customer('pm_card_visa');
    const withoutCard = await billing.customer();

    // Act
    const answers = await Promise.all([
      billing.post('/v1/subscriptions', { customer: withoutCard, items: [{ price: monthly }] }),
      billing.post('/v1/subscriptions', { customer: withCard, items: [{ price: once }] }),
      billing.post('/v1/subscriptions', {
        customer: withCard,
        items: [{ price: monthly }, { price: yearly }],
      }),
      billing.post('/v1/subscriptions', {
        customer: withCard,
        items: [{ price: monthly }, { price: euros }],
      }),
      billing.post('/v1/subscriptions', { customer: 'cus_nobody', items: [{ price: monthly }] }),
      billing.post('/v1/subscriptions', { customer: withCard, items: [] }),
    ]);

    // Assert
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
    }
    const listed = await billing.get<ListBody>('/v1/subscriptions?limit=100');
    expect(listed.body).toEqual({ object: 'list', data: [], has_more: false, next_cursor: null });
  });

  it('starts a trial without a card, lists it, cancels it at period end and then now, with its events', async () => {
    // Arrange
    const price = await billing.price(2_000);
    const customer = await billing.customer();

    // Act
    const created = await billing.post<SubscriptionBody>('/v1/subscriptions', {
      customer,
      items: [{ price, quantity: 2 }],
      trial_period_days: 14,
      metadata: { plan: 'team' },
    });

    // Assert
    expect(created.status).toBe(201);
    const sub = created.body;
    expect(sub).toMatchObject({
      object: 'subscription',
      status: 'trialing',
      customer,
      items: { object: 'list', data: [{ price, quantity: 2 }] },
      cancel_at_period_end: false,
      canceled_at: null,
      latest_invoice: null,
      livemode: false,
      metadata: { plan: 'team' },
    });
    expect(sub.id).toMatch(/^sub_/);
    expect(sub.trial_end).toBe(sub.current_period_end);
    expect(sub.current_period_end - sub.current_period_start).toBe(14 * 86_400);
    expect(Math.abs(sub.created - Date.now() / 1000)).toBeLessThan(60);
    expect((await billing.get(`/v1/subscriptions/${sub.id}`)).body).toEqual(sub);
    const byCustomer = await billing.get<ListBody>(`/v1/subscriptions?customer=${customer}&status=trialing`);
    expect(byCustomer.body.data.map((item) => item.id)).toEqual([sub.id]);
    const none = await billing.get<ListBody>(`/v1/subscriptions?customer=${customer}&status=active`);
    expect(none.body.data).toEqual([]);

    // Each event reaches the merchant before the next change: two events of one object written within the
    // same moment may be sequenced either way (README, Outbound webhooks: a known limit).
    await waitFor(() => {
      const seen = billing.receiver.acknowledged().filter((delivery) => delivery.objectId === sub.id);
      return Promise.resolve(seen.length >= 1 ? seen : undefined);
    }, 'the created event');
    const atEnd = await billing.post<SubscriptionBody>(`/v1/subscriptions/${sub.id}/cancel`, {
      at_period_end: true,
    });
    expect(atEnd.status).toBe(200);
    expect(atEnd.body).toMatchObject({ status: 'trialing', cancel_at_period_end: true, canceled_at: null });
    await waitFor(() => {
      const seen = billing.receiver.acknowledged().filter((delivery) => delivery.objectId === sub.id);
      return Promise.resolve(seen.length >= 2 ? seen : undefined);
    }, 'the created and updated events');
    const now = await billing.post<SubscriptionBody>(`/v1/subscriptions/${sub.id}/cancel`, {});
    expect(now.status).toBe(200);
    expect(now.body.status).toBe('canceled');
    expect(now.body.canceled_at).toEqual(expect.any(Number));
    const again = await billing.post(`/v1/subscriptions/${sub.id}/cancel`, {});
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'INVALID_STATE_TRANSITION' } });
    expect((await billing.get('/v1/subscriptions/sub_nobody000000')).status).toBe(404);

    const events = await waitFor(() => {
      const types = billing.receiver
        .acknowledged()
        .filter((delivery) => delivery.objectId === sub.id)
        .map((delivery) => delivery.type);
      return Promise.resolve(types.length >= 3 ? types : undefined);
    }, 'the subscription events');
    expect(events).toEqual([
      'customer.subscription.created',
      'customer.subscription.updated',
      'customer.subscription.deleted',
    ]);
    const deleted = billing.receiver.acknowledged().find((d) => d.type === 'customer.subscription.deleted');
    expect(deleted?.body).toMatchObject({
      data: { object: { id: sub.id, object: 'subscription', status: 'canceled' } },
    });
  });

  it('answers a retried create (same Idempotency-Key) with the same subscription', async () => {
    // Arrange
    const price = await billing.price(900);
    const customer = await billing.customer();
    const body = { customer, items: [{ price }], trial_period_days: 3 };

    // Act
    const first = await billing.post<SubscriptionBody>('/v1/subscriptions', body, 'sub-retry-1');
    const retry = await billing.post<SubscriptionBody>('/v1/subscriptions', body, 'sub-retry-1');

    // Assert
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    const listed = await billing.get<ListBody>(`/v1/subscriptions?customer=${customer}`);
    expect(listed.body.data).toHaveLength(1);
  });
});
