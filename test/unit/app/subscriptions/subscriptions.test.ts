import { runSubscriptionStep } from '../../../../shared/app/subscriptions/steps.js';
import {
  cancelSubscription,
  createSubscription,
  subscriptionStarter,
} from '../../../../shared/app/subscriptions/subscriptions.js';
import { API_KEY_SCOPES, type MerchantCaller } from '../../../../shared/domain/merchant.js';
import { parseDunningSchedule, periodEndOf } from '../../../../shared/domain/subscription.js';
import { customer, price, TENANT, type World, world } from './fakes.js';

const CALLER: MerchantCaller = { ...TENANT, scopes: [...API_KEY_SCOPES], keyId: 'key_1' };
const ITEMS = [{ price: 'price_month', quantity: 2 }];

/** Runs the step last scheduled, at its time. */
async function runDue(w: World) {
  const { step, at } = w.schedule.last();
  const wait = at.getTime() - w.clock.now().getTime();
  if (wait > 0) w.clock.advance(wait);
  return runSubscriptionStep(step, w.deps);
}

describe('creating a subscription', () => {
  it('bills the first period at once: paid → active, the renewal scheduled at the period end', async () => {
    const w = world();
    const sub = await createSubscription(CALLER, { customer: 'cus_1', items: ITEMS }, 'key-1', w.deps);
    expect(sub).toMatchObject({ status: 'active', dunningAttempt: 0, cancelAtPeriodEnd: false });
    expect(sub.latestInvoiceId).toMatch(/^in_/);
    expect(sub.currentPeriodEnd).toBe('2026-12-07T10:01:00.000Z');
    expect(w.invoicing.charges).toHaveLength(1);
    expect(w.store.events.map((event) => event.detailType)).toEqual(['customer.subscription.created']);
    expect(w.store.events[0]?.detail.object).toMatchObject({ object: 'subscription', status: 'active' });
    expect(w.schedule.last()).toEqual({
      step: {
        ...TENANT,
        subscriptionId: sub.subscriptionId,
        periodStart: sub.currentPeriodStart,
        attempt: 0,
      },
      at: new Date(sub.currentPeriodEnd),
    });
  });

  it('answers a retried request (same Idempotency-Key) with the same subscription, charging once', async () => {
    const w = world();
    const first = await createSubscription(CALLER, { customer: 'cus_1', items: ITEMS }, 'key-1', w.deps);
    const again = await createSubscription(CALLER, { customer: 'cus_1', items: ITEMS }, 'key-1', w.deps);
    expect(again.subscriptionId).toBe(first.subscriptionId);
    expect(w.invoicing.charges).toHaveLength(1);
    expect(w.store.stored.size).toBe(1);
  });

  it('a declined first charge makes it past_due with dunning retry 1 scheduled', async () => {
    const w = world();
    w.invoicing.declining = true;
    const sub = await createSubscription(CALLER, { customer: 'cus_1', items: ITEMS }, undefined, w.deps);
    expect(sub).toMatchObject({ status: 'past_due', dunningAttempt: 1 });
    expect(w.schedule.last().step.attempt).toBe(1);
    expect(w.schedule.last().at.getTime() - w.clock.now().getTime()).toBe(3_000);
  });

  it('refuses a customer without a default payment method unless there is a trial, creating nothing', async () => {
    const w = world();
    w.customers.set('cus_1', customer(true));
    await expect(
      createSubscription(CALLER, { customer: 'cus_1', items: ITEMS }, 'k', w.deps),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(w.store.stored.size).toBe(0);
    expect(w.invoicing.charges).toHaveLength(0);
    const trial = await createSubscription(
      CALLER,
      { customer: 'cus_1', items: ITEMS, trial_period_days: 7 },
      'k2',
      w.deps,
    );
    expect(trial).toMatchObject({ status: 'trialing', latestInvoiceId: null });
    expect(trial.trialEnd).toBe('2026-12-14T10:00:00.000Z');
    expect(w.schedule.last().at.toISOString()).toBe('2026-12-14T10:00:00.000Z');
  });

  it.each([
    ['a one-time price', [price('price_month'), price('price_once', { recurring: null })]],
    ['two currencies', [price('price_month'), price('price_once', { currency: 'EUR' })]],
    ['two intervals', [price('price_month'), price('price_once', { recurring: { interval: 'year' } })]],
  ])('refuses %s (400 VALIDATION_ERROR)', async (_name, prices) => {
    const w = world(prices);
    const items = [{ price: 'price_month' }, { price: 'price_once' }];
    await expect(createSubscription(CALLER, { customer: 'cus_1', items }, 'k', w.deps)).rejects.toMatchObject(
      {
        code: 'VALIDATION_ERROR',
      },
    );
    expect(w.store.stored.size).toBe(0);
  });

  it('refuses an unknown customer or price, and a key without billing:write', async () => {
    const w = world();
    await expect(
      createSubscription(CALLER, { customer: 'cus_x', items: ITEMS }, 'k', w.deps),
    ).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    await expect(
      createSubscription(CALLER, { customer: 'cus_1', items: [{ price: 'price_x' }] }, 'k', w.deps),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await expect(
      createSubscription(
        { ...CALLER, scopes: ['billing:read'] },
        { customer: 'cus_1', items: ITEMS },
        'k',
        w.deps,
      ),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_SCOPE' });
  });

  it('the starter (hosted checkout) makes the given card the default first', async () => {
    const w = world();
    w.customers.set('cus_1', customer(true));
    const sub = await subscriptionStarter(w.deps).start({
      tenant: TENANT,
      customerId: 'cus_1',
      items: [{ priceId: 'price_month', quantity: 1 }],
      paymentMethodId: 'pm_card_visa',
      idempotencyKey: 'cs_1',
    });
    expect(sub.status).toBe('active');
    expect(w.customers.get('cus_1')?.defaultPaymentMethod).toBe('pm_card_visa');
  });
});

describe('renewal and dunning', () => {
  it('renews each period, once per step however often the step comes', async () => {
    const w = world();
    const sub = await createSubscription(CALLER, { customer: 'cus_1', items: ITEMS }, 'k', w.deps);
    const step = w.schedule.last().step;
    w.clock.advance(60_000);
    await expect(runSubscriptionStep(step, w.deps)).resolves.toMatchObject({ outcome: 'renewed' });
    await expect(runSubscriptionStep(step, w.deps)).resolves.toEqual({ outcome: 'stale' });
    const renewed = w.store.only();
    expect(renewed.currentPeriodStart).toBe(sub.currentPeriodEnd);
    expect(renewed.currentPeriodEnd).toBe('2026-12-07T10:02:00.000Z');
    expect(w.invoicing.charges).toHaveLength(2);
    expect(w.store.events.map((event) => event.detailType)).toEqual([
      'customer.subscription.created',
      'customer.subscription.updated',
    ]);
  });

  it('a step that comes early is put back to its time', async () => {
    const w = world();
    await createSubscription(CALLER, { customer: 'cus_1', items: ITEMS }, 'k', w.deps);
    const { step, at } = w.schedule.last();
    await expect(runSubscriptionStep(step, w.deps)).resolves.toEqual({ outcome: 'early' });
    expect(w.schedule.last()).toEqual({ step, at });
    expect(w.invoicing.charges).toHaveLength(1);
  });

  it('a declined renewal goes past_due and recovers on a later retry (the period stands)', async () => {
    const w = world();
    await createSubscription(CALLER, { customer: 'cus_1', items: ITEMS }, 'k', w.deps);
    w.invoicing.declining = true;
    await expect(runDue(w)).resolves.toMatchObject({ outcome: 'past_due' });
    const pastDue = w.store.only();
    expect(pastDue).toMatchObject({ status: 'past_due', dunningAttempt: 1 });
    await expect(runDue(w)).resolves.toMatchObject({ outcome: 'past_due' });
    expect(w.store.only().dunningAttempt).toBe(2);
    w.invoicing.declining = false;
    await expect(runDue(w)).resolves.toMatchObject({ outcome: 'recovered' });
    const recovered = w.store.only();
    expect(recovered).toMatchObject({ status: 'active', dunningAttempt: 0 });
    expect(recovered.currentPeriodStart).toBe(pastDue.currentPeriodStart);
    expect(w.schedule.last()).toMatchObject({
      step: { attempt: 0 },
      at: new Date(recovered.currentPeriodEnd),
    });
    expect(w.store.events.map((event) => event.detail.status)).toEqual(['active', 'past_due', 'active']);
  });

  it('after the last retry the invoice is uncollectible and the subscription canceled', async () => {
    const w = world();
    w.invoicing.declining = true;
    await createSubscription(CALLER, { customer: 'cus_1', items: ITEMS }, 'k', w.deps);
    for (const expected of ['past_due', 'past_due', 'canceled']) {
      await expect(runDue(w)).resolves.toMatchObject({ outcome: expected });
    }
    const ended = w.store.only();
    expect(ended).toMatchObject({ status: 'canceled' });
    expect(ended.canceledAt).not.toBeNull();
    expect(w.invoicing.uncollectible).toEqual([ended.latestInvoiceId]);
    expect(w.store.events.at(-1)?.detailType).toBe('customer.subscription.deleted');
    expect(w.invoicing.charges).toHaveLength(4);
  });

  it('a twin step that loses the write changes nothing and charges nothing more', async () => {
    const w = world();
    await createSubscription(CALLER, { customer: 'cus_1', items: ITEMS }, 'k', w.deps);
    const { step } = w.schedule.last();
    w.clock.advance(60_000);
    const results = await Promise.all([runSubscriptionStep(step, w.deps), runSubscriptionStep(step, w.deps)]);
    expect(results.map((result) => result.outcome).sort()).toEqual(['lost_race', 'renewed']);
    expect(w.invoicing.charges).toHaveLength(2);
    expect(w.store.events).toHaveLength(2);
  });

  it('a trial ends by the renewal step: its first invoice at trial end', async () => {
    const w = world();
    const trial = await createSubscription(
      CALLER,
      { customer: 'cus_1', items: ITEMS, trial_period_days: 1 },
      'k',
      w.deps,
    );
    await expect(runDue(w)).resolves.toMatchObject({ outcome: 'renewed' });
    expect(w.store.only()).toMatchObject({ status: 'active', currentPeriodStart: trial.trialEnd });
    expect(w.invoicing.charges).toHaveLength(1);
  });
});

describe('cancelling', () => {
  it('now: canceled with canceled_at, deleted event, its pending step does nothing; again is 409', async () => {
    const w = world();
    const sub = await createSubscription(CALLER, { customer: 'cus_1', items: ITEMS }, 'k', w.deps);
    const canceled = await cancelSubscription(CALLER, sub.subscriptionId, false, w.deps);
    expect(canceled).toMatchObject({ status: 'canceled', canceledAt: '2026-12-07T10:00:00.000Z' });
    expect(w.store.events.at(-1)?.detailType).toBe('customer.subscription.deleted');
    await expect(runDue(w)).resolves.toEqual({ outcome: 'stale' });
    await expect(cancelSubscription(CALLER, sub.subscriptionId, false, w.deps)).rejects.toMatchObject({
      code: 'INVALID_STATE_TRANSITION',
    });
  });

  it('at period end: cancel_at_period_end, then the renewal ends it without billing', async () => {
    const w = world();
    const sub = await createSubscription(CALLER, { customer: 'cus_1', items: ITEMS }, 'k', w.deps);
    const marked = await cancelSubscription(CALLER, sub.subscriptionId, true, w.deps);
    expect(marked).toMatchObject({ status: 'active', cancelAtPeriodEnd: true });
    await expect(runDue(w)).resolves.toMatchObject({ outcome: 'canceled' });
    expect(w.store.only().status).toBe('canceled');
    expect(w.invoicing.charges).toHaveLength(1);
  });
});

describe('subscription rules', () => {
  it('a calendar month clamps to the month end; the local knob makes a month that many seconds', () => {
    expect(periodEndOf(new Date('2026-01-31T08:00:00Z'), 'month').toISOString()).toBe(
      '2026-02-28T08:00:00.000Z',
    );
    expect(periodEndOf(new Date('2026-12-07T08:00:00Z'), 'year').toISOString()).toBe(
      '2027-12-07T08:00:00.000Z',
    );
    expect(periodEndOf(new Date('2026-12-07T08:00:00Z'), 'year', 10).toISOString()).toBe(
      '2026-12-07T08:02:00.000Z',
    );
  });

  it('reads DUNNING_SCHEDULE and refuses a bad one', () => {
    expect(parseDunningSchedule('259200,432000,604800')).toEqual([259200, 432000, 604800]);
    expect(() => parseDunningSchedule('3,x')).toThrow(/DUNNING_SCHEDULE/);
    expect(() => parseDunningSchedule('0')).toThrow(/DUNNING_SCHEDULE/);
  });
});
