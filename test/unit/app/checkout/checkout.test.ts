/**
 * Hosted checkout's use cases on fakes: sessions priced from a fake PriceReader, the page paying them through
 * the PaymentIntent use cases (the fake processor) or starting a subscription (a recording starter).
 */
import type { SubscriptionStarter, SubscriptionToStart } from '../../../../shared/app/billing/ports.js';
import { type CheckoutPageDeps, payCheckoutSession } from '../../../../shared/app/checkout/pay.js';
import {
  type CheckoutDeps,
  createCheckoutSession,
  expireCheckoutSession,
  getCheckoutSession,
  type NewCheckoutSession,
} from '../../../../shared/app/checkout/sessions.js';
import type { PaymentIntentDeps } from '../../../../shared/app/payment-intents/common.js';
import { CheckoutSessionClosedError } from '../../../../shared/domain/checkout-session.js';
import { InvalidStateTransitionError, ValidationError } from '../../../../shared/domain/errors.js';
import {
  DEFAULT_FEE_TIERS,
  DEFAULT_PROCESSING_FEE,
  parseFeeTiers,
  parseProcessingFee,
} from '../../../../shared/domain/fees.js';
import { API_KEY_SCOPES, type Merchant, type MerchantCaller } from '../../../../shared/domain/merchant.js';
import { CurrencyPolicy } from '../../../../shared/domain/money.js';
import { formatAmount } from '../../../../shared/domain/money-format.js';
import type { Price } from '../../../../shared/domain/price.js';
import { PaymentDeclinedError } from '../../../../shared/domain/provider-errors.js';
import type { Subscription } from '../../../../shared/domain/subscription.js';
import { InMemoryCheckoutSessions } from '../../../support/fakes/checkout-sessions.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { sequentialIds } from '../../../support/fakes/ids.js';
import { FakeCustomerStore, FakeProviderCustomers } from '../../../support/fakes/merchant-customers.js';
import { InMemoryPaymentIntents, RecordingCaptureWindow } from '../../../support/fakes/payment-intents.js';
import { FakePaymentProvider } from '../../../support/fakes/payment-provider.js';

const caller: MerchantCaller = { merchantId: 'mch_a', mode: 'test', scopes: API_KEY_SCOPES, keyId: 'key_a' };
const price = (priceId: string, unitAmount: number, recurring: Price['recurring'] = null): Price => ({
  merchantId: 'mch_a',
  mode: 'test',
  priceId,
  productId: 'prod_1',
  unitAmount,
  currency: 'USD',
  recurring,
  active: true,
  createdAt: '2026-12-01T00:00:00.000Z',
});
const PRICES = [price('price_ticket', 1_500), price('price_monthly', 900, { interval: 'month' })];

function setup() {
  const clock = fixedClock('2026-12-07T10:00:00.000Z');
  const sessions = new InMemoryCheckoutSessions();
  const provider = new FakePaymentProvider()
    .card('pm_card_visa', 'succeeded')
    .card('pm_card_chargeDeclined', { decline: 'generic_decline' })
    .card('pm_card_authenticationRequired', 'requires_action');
  const intents = new InMemoryPaymentIntents();
  const customers = new FakeCustomerStore();
  const started: SubscriptionToStart[] = [];
  const starter: SubscriptionStarter = {
    start: async (subscription) => {
      started.push(subscription);
      return { subscriptionId: 'sub_1', customerId: subscription.customerId } as Subscription;
    },
  };
  const paymentIntents: PaymentIntentDeps = {
    intents,
    provider,
    // The merchant's customers, as the intents read them: the payer the page made from the email.
    customers: { find: (tenant, customerId) => customers.get(tenant, customerId) },
    merchants: { get: async () => undefined },
    captureWindow: new RecordingCaptureWindow(),
    currencies: CurrencyPolicy.fromList('USD'),
    ids: sequentialIds(),
    clock,
    captureWindowSeconds: 604_800,
    ledger: {
      balances: { monthlyVolume: async () => 0, accounts: async () => [] },
      fees: {
        tiers: parseFeeTiers(DEFAULT_FEE_TIERS),
        processing: parseProcessingFee(DEFAULT_PROCESSING_FEE),
      },
      settlementDelaySeconds: 172_800,
      ids: sequentialIds(),
    },
  };
  const deps: CheckoutDeps = {
    sessions,
    prices: { get: async (_tenant, id) => PRICES.find((candidate) => candidate.priceId === id) },
    customers: { exists: async (_tenant, id) => id === 'cus_known' },
    ids: sequentialIds(),
    clock,
    objectView: (session) => ({ id: session.sessionId, status: session.status }),
    paymentIntents: async () => paymentIntents,
  };
  const page: CheckoutPageDeps = {
    ...deps,
    merchants: { get: async () => ({ name: 'Harbor Lights Records' }) as Merchant },
    customers: async () => ({
      customers,
      providerCustomers: async () => new FakeProviderCustomers(),
      ids: sequentialIds(),
      clock,
    }),
    subscriptions: async () => starter,
  };
  return { clock, sessions, provider, deps, page, started, customers, intents };
}

const payment = (overrides: Partial<NewCheckoutSession> = {}): NewCheckoutSession => ({
  mode: 'payment',
  lineItems: [{ priceId: 'price_ticket', quantity: 2 }],
  successUrl: 'https://shop.example/thanks',
  cancelUrl: 'https://shop.example/cart',
  ...overrides,
});

describe('Use case: createCheckoutSession', () => {
  it('prices the lines, totals them and opens the session for 24 hours under a new random id', async () => {
    // Arrange
    const { deps } = setup();

    // Act
    const session = await createCheckoutSession(caller, payment(), deps);

    // Assert
    expect(session).toMatchObject({
      sessionId: expect.stringMatching(/^cs_/),
      status: 'open',
      paymentStatus: 'unpaid',
      amountTotal: 3_000,
      currency: 'USD',
      expiresAt: '2026-12-08T10:00:00.000Z',
      lineItems: [{ priceId: 'price_ticket', quantity: 2, unitAmount: 1_500, amountTotal: 3_000 }],
    });
    expect(formatAmount(session.amountTotal, session.currency)).toBe('$30.00');
  });

  it.each([
    [
      'a recurring price in payment mode',
      payment({ lineItems: [{ priceId: 'price_monthly', quantity: 1 }] }),
    ],
    ['a one-time price in subscription mode', payment({ mode: 'subscription' })],
    ['an unknown price', payment({ lineItems: [{ priceId: 'price_nobody', quantity: 1 }] })],
    ['an unknown customer', payment({ customerId: 'cus_nobody' })],
  ])('refuses %s with VALIDATION_ERROR and stores nothing', async (_what, input) => {
    // Arrange
    const { deps, sessions } = setup();

    // Act
    const attempt = createCheckoutSession(caller, input, deps);

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    expect(sessions.sessions.size).toBe(0);
  });
});

describe('Use case: createCheckoutSession in live mode', () => {
  it('refuses a live key with VALIDATION_ERROR: the page has no live card entry (Stripe Elements)', async () => {
    // Arrange
    const { deps, sessions } = setup();

    // Act
    const attempt = createCheckoutSession({ ...caller, mode: 'live' }, payment(), deps);

    // Assert
    await expect(attempt).rejects.toThrow(/Stripe Elements/);
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    expect(sessions.sessions.size).toBe(0);
  });
});

describe('Use case: getCheckoutSession and expireCheckoutSession', () => {
  it('reads a session past its 24 hours as expired, durably and with one checkout.session.expired', async () => {
    // Arrange
    const { deps, sessions, clock } = setup();
    const created = await createCheckoutSession(caller, payment(), deps);
    clock.advance(24 * 3600 * 1000);

    // Act
    const first = await getCheckoutSession(caller, created.sessionId, deps);
    const again = await getCheckoutSession(caller, created.sessionId, deps);

    // Assert
    expect([first.status, again.status]).toEqual(['expired', 'expired']);
    expect(sessions.events.map((event) => event.type)).toEqual(['checkout.session.expired']);
  });

  it('expires an open session once; a second expiry is 409', async () => {
    // Arrange
    const { deps, sessions } = setup();
    const created = await createCheckoutSession(caller, payment(), deps);

    // Act
    const expired = await expireCheckoutSession(caller, created.sessionId, deps);
    const again = expireCheckoutSession(caller, created.sessionId, deps);

    // Assert
    expect(expired.status).toBe('expired');
    await expect(again).rejects.toBeInstanceOf(InvalidStateTransitionError);
    expect(sessions.events).toHaveLength(1);
  });
});

describe('Use case: payCheckoutSession', () => {
  const pay = (page: CheckoutPageDeps, sessionId: string, paymentMethodId: string) =>
    payCheckoutSession(
      { sessionId, paymentMethodId, email: 'buyer@example.com', returnUrl: 'https://api/return' },
      page,
    );

  it('completes the session with checkout.session.completed once the card pays, and charges once', async () => {
    // Arrange
    const { deps, page, sessions, provider, customers } = setup();
    const { sessionId } = await createCheckoutSession(caller, payment(), deps);

    // Act
    const declined = pay(page, sessionId, 'pm_card_chargeDeclined');
    await expect(declined).rejects.toBeInstanceOf(PaymentDeclinedError);
    const stillOpen = sessions.sessions.get(sessionId)?.status;
    const outcome = await pay(page, sessionId, 'pm_card_visa');
    const twice = pay(page, sessionId, 'pm_card_visa');

    // Assert
    expect(stillOpen).toBe('open');
    expect(outcome).toMatchObject({
      kind: 'complete',
      session: { status: 'complete', paymentStatus: 'paid', customerEmail: 'buyer@example.com' },
    });
    await expect(twice).rejects.toEqual(new CheckoutSessionClosedError('complete'));
    expect(provider.charges().filter((call) => call.input.paymentMethodId === 'pm_card_visa')).toHaveLength(
      1,
    );
    expect(sessions.events.map((event) => event.type)).toEqual(['checkout.session.completed']);
    // The payer is the merchant's customer, as any PaymentIntent's: the receipt goes to the email.
    const customerId = outcome.kind === 'complete' ? outcome.session.customerId : null;
    expect(await customers.get(caller, String(customerId))).toMatchObject({ email: 'buyer@example.com' });
  });

  it('sends a 3-D Secure card to its authentication, with the page as where it returns', async () => {
    // Arrange
    const { deps, page, provider } = setup();
    const { sessionId } = await createCheckoutSession(caller, payment(), deps);

    // Act
    const outcome = await pay(page, sessionId, 'pm_card_authenticationRequired');

    // Assert
    expect(outcome.kind).toBe('authenticate');
    expect(provider.charges().at(-1)?.input.returnUrl).toBe('https://api/return');
  });

  it('never charges a session past its expiry: it is expired (410 on the page)', async () => {
    // Arrange
    const { deps, page, provider, clock } = setup();
    const { sessionId } = await createCheckoutSession(caller, payment(), deps);
    clock.advance(24 * 3600 * 1000);

    // Act
    const attempt = pay(page, sessionId, 'pm_card_visa');

    // Assert
    await expect(attempt).rejects.toEqual(new CheckoutSessionClosedError('expired'));
    expect(provider.charges()).toHaveLength(0);
  });

  it('starts a subscription-mode session: a customer from the email, the card attached, then the subscription once', async () => {
    // Arrange
    const { deps, page, started } = setup();
    const { sessionId } = await createCheckoutSession(
      caller,
      payment({ mode: 'subscription', lineItems: [{ priceId: 'price_monthly', quantity: 1 }] }),
      deps,
    );

    // Act
    const outcome = await pay(page, sessionId, 'pm_card_visa');

    // Assert
    expect(started).toEqual([
      expect.objectContaining({
        tenant: { merchantId: 'mch_a', mode: 'test' },
        items: [{ priceId: 'price_monthly', quantity: 1 }],
        paymentMethodId: expect.stringMatching(/^pm_made/),
        idempotencyKey: `checkout:${sessionId}`,
      }),
    ]);
    expect(outcome).toMatchObject({
      kind: 'complete',
      session: { status: 'complete', subscriptionId: 'sub_1' },
    });
  });
});

describe('Use case: payCheckoutSession across the expiry', () => {
  const DAY = 24 * 3600 * 1000;
  const pay = (page: CheckoutPageDeps, sessionId: string, paymentMethodId: string) =>
    payCheckoutSession(
      { sessionId, paymentMethodId, email: 'buyer@example.com', returnUrl: 'https://api/return' },
      page,
    );

  it('completes a session whose payment was charged as it expired; its expiry in between is refused', async () => {
    // Arrange: the charge runs across expires_at, with the page read and the merchant's expiry meanwhile
    const { deps, page, sessions, provider, clock } = setup();
    const { sessionId } = await createCheckoutSession(caller, payment(), deps);
    clock.advance(DAY - 1);
    const charge = provider.createPayment.bind(provider);
    const meanwhile: Promise<unknown>[] = [];
    provider.createPayment = async (input) => {
      clock.advance(60_000);
      meanwhile.push(
        getCheckoutSession(caller, sessionId, deps),
        expireCheckoutSession(caller, sessionId, deps).catch((error: unknown) => error),
      );
      await Promise.all(meanwhile);
      return charge(input);
    };

    // Act
    const outcome = await pay(page, sessionId, 'pm_card_visa');

    // Assert
    const [read, expiry] = await Promise.all(meanwhile);
    expect(read).toMatchObject({ status: 'open' });
    expect(expiry).toBeInstanceOf(InvalidStateTransitionError);
    expect(outcome).toMatchObject({
      kind: 'complete',
      session: { status: 'complete', paymentStatus: 'paid' },
    });
    expect(await getCheckoutSession(caller, sessionId, deps)).toMatchObject({ status: 'complete' });
    expect(sessions.events.map((event) => event.type)).toEqual(['checkout.session.completed']);
  });

  it('never charges a session whose expiry passed after the page read it open: no claim, 410', async () => {
    // Arrange: the page reads the session open a moment before it expires; the payment starts after
    const { deps, page, provider, clock } = setup();
    const { sessionId } = await createCheckoutSession(caller, payment(), deps);
    clock.advance(DAY - 1);
    const intents = await page.paymentIntents();
    const late: CheckoutPageDeps = {
      ...page,
      paymentIntents: async () => {
        clock.advance(60_000);
        return intents;
      },
    };

    // Act
    const attempt = pay(late, sessionId, 'pm_card_visa');

    // Assert
    await expect(attempt).rejects.toEqual(new CheckoutSessionClosedError('expired'));
    expect(provider.charges()).toHaveLength(0);
  });

  it('expires a session whose payment was declined by cancelling its PaymentIntent first: a late card charges nothing', async () => {
    // Arrange
    const { deps, page, provider, clock, intents } = setup();
    const { sessionId } = await createCheckoutSession(caller, payment(), deps);
    await expect(pay(page, sessionId, 'pm_card_chargeDeclined')).rejects.toBeInstanceOf(PaymentDeclinedError);
    clock.advance(DAY);

    // Act
    const read = await getCheckoutSession(caller, sessionId, deps);
    const late = await pay(page, sessionId, 'pm_card_visa').catch((error: unknown) => error);

    // Assert
    expect(read).toMatchObject({ status: 'expired' });
    expect(await intents.get(caller, String(read.paymentIntentId))).toMatchObject({ status: 'canceled' });
    expect(late).toEqual(new CheckoutSessionClosedError('expired'));
    expect(provider.charges().filter((call) => call.input.paymentMethodId === 'pm_card_visa')).toHaveLength(
      0,
    );
  });
});
