/**
 * The PaymentIntent use cases on fakes: the processor (test/support/fakes/payment-provider.ts), an
 * in-memory store with the DynamoDB store's conditions, and a recording capture window.
 */

import { CursorCodec } from '../../../../shared/app/cursor.js';
import type { PaymentIntentDeps } from '../../../../shared/app/payment-intents/common.js';
import {
  confirmPaymentIntent,
  createPaymentIntent,
  listPaymentIntents,
} from '../../../../shared/app/payment-intents/intents.js';
import {
  cancelPaymentIntent,
  capturePaymentIntent,
  expireAuthorization,
} from '../../../../shared/app/payment-intents/settle.js';
import {
  DEFAULT_FEE_TIERS,
  DEFAULT_PROCESSING_FEE,
  parseFeeTiers,
  parseProcessingFee,
} from '../../../../shared/domain/fees.js';
import type { Merchant } from '../../../../shared/domain/merchant.js';
import { CurrencyPolicy } from '../../../../shared/domain/money.js';
import type { CaptureMethod } from '../../../../shared/domain/payment-intent.js';
import { fixedClock, type TestClock } from '../../../support/fakes/clock.js';
import { sequentialIds } from '../../../support/fakes/ids.js';
import {
  FakeIntentCustomers,
  InMemoryPaymentIntents,
  RecordingCaptureWindow,
} from '../../../support/fakes/payment-intents.js';
import { FakePaymentProvider } from '../../../support/fakes/payment-provider.js';

const tenant = { merchantId: 'mch_seller', mode: 'test' as const };
const WINDOW_SECONDS = 604_800;

function setup() {
  const clock: TestClock = fixedClock('2026-12-07T10:00:00.000Z');
  const intents = new InMemoryPaymentIntents();
  const provider = new FakePaymentProvider()
    .card('pm_card_visa', 'succeeded')
    .card('pm_card_chargeDeclined', { decline: 'generic_decline' })
    .card('pm_card_authenticationRequired', 'requires_action');
  const captureWindow = new RecordingCaptureWindow();
  const customers = new FakeIntentCustomers().add(tenant, {
    customerId: 'cus_1',
    providerCustomerId: 'cus_stripe_1',
  });
  const activeMerchants = new Map<string, Merchant['status']>([
    ['mch_venue', 'active'],
    ['mch_pending', 'kyc_required'],
  ]);
  const deps: PaymentIntentDeps = {
    intents,
    provider,
    customers,
    merchants: {
      get: async (merchantId) => {
        const status = activeMerchants.get(merchantId);
        return status === undefined ? undefined : ({ merchantId, status } as Merchant);
      },
    },
    captureWindow,
    currencies: CurrencyPolicy.fromList('USD,EUR,JPY'),
    ids: sequentialIds(),
    clock,
    captureWindowSeconds: WINDOW_SECONDS,
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
  return { deps, intents, provider, captureWindow, clock };
}

let keys = 0;
function create(
  deps: PaymentIntentDeps,
  overrides: Partial<Parameters<typeof createPaymentIntent>[0]> = {},
  captureMethod: CaptureMethod = 'automatic',
) {
  keys += 1;
  return createPaymentIntent(
    {
      tenant,
      idempotencyKey: `key-${keys}`,
      amount: 10_000,
      currency: 'USD',
      captureMethod,
      paymentMethodId: 'pm_card_visa',
      ...overrides,
    },
    deps,
  );
}

async function failureOf(promise: Promise<unknown>): Promise<{ code?: string; name?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string };
  }
  throw new Error('expected a failure');
}

describe('Use case: createPaymentIntent', () => {
  it('stores an intent needing confirmation, charging nothing, when it is not confirmed', async () => {
    // Arrange
    const { deps, provider } = setup();

    // Act
    const intent = await create(deps);

    // Assert
    expect(intent).toMatchObject({ status: 'requires_confirmation', amountReceived: 0, attempts: 0 });
    expect(provider.charges()).toHaveLength(0);
  });

  it('charges once and succeeds with `confirm`, writing payment_intent.succeeded with the change', async () => {
    // Arrange
    const { deps, provider, intents, captureWindow } = setup();

    // Act
    const intent = await create(deps, { confirm: true });

    // Assert
    expect(intent).toMatchObject({ status: 'succeeded', amountReceived: 10_000, amountCapturable: 0 });
    expect(provider.charges()).toHaveLength(1);
    expect(provider.charges()[0]?.idempotencyKey).toBe(`${intent.intentId}:attempt:1`);
    expect(intents.events.map((event) => event.type)).toEqual(['payment_intent.succeeded']);
    expect(captureWindow.started.size).toBe(0);
  });

  it('puts the intent as the API shows it after the change, fees included, into its event for webhooks', async () => {
    // Arrange
    const { deps, intents } = setup();
    const objectView = (i: { intentId: string; status: string; fees: unknown }) => ({
      id: i.intentId,
      status: i.status,
      fees: i.fees,
    });

    // Act
    const intent = await create({ ...deps, objectView }, { confirm: true });

    // Assert
    expect(intents.events[0]?.detail.object).toEqual({
      id: intent.intentId,
      status: 'succeeded',
      fees: intent.fees,
    });
    expect(intent.fees).not.toBeNull();
  });

  it('writes the charge with the change into succeeded: fees at the tier on the amount, net the rest', async () => {
    // Arrange
    const { deps, intents } = setup();

    // Act
    const intent = await create(deps, { confirm: true });

    // Assert: 820 bps of 10000 = 820; 290 bps + 30 = 320
    expect(intent.fees).toEqual({ platform: 820, processing: 320 });
    expect(intents.charges).toHaveLength(1);
    expect(intents.charges[0]?.transaction).toMatchObject({
      kind: 'charge',
      source: intent.intentId,
      mode: 'test',
      amount: 10_000,
      fee: 1_140,
      net: 8_860,
    });
  });

  it('answers a retry with the same key with the same intent and charges nothing again', async () => {
    // Arrange
    const { deps, provider } = setup();
    const command = {
      tenant,
      idempotencyKey: 'same-key',
      amount: 500,
      currency: 'USD',
      captureMethod: 'automatic' as const,
      paymentMethodId: 'pm_card_visa',
      confirm: true,
    };
    const first = await createPaymentIntent(command, deps);

    // Act
    const again = await createPaymentIntent(command, deps);

    // Assert
    expect(again).toEqual(first);
    expect(provider.charges()).toHaveLength(1);
  });

  it.each([
    [0, 'USD', 'INVALID_AMOUNT'],
    [10.5, 'USD', 'INVALID_AMOUNT'],
    [100, 'XXX', 'UNSUPPORTED_CURRENCY'],
  ])('refuses amount %p in %s with %s', async (amount, currency, code) => {
    const { deps } = setup();
    expect(await failureOf(create(deps, { amount, currency }))).toMatchObject({ code });
  });

  it("refuses a customer that is not the tenant's, and splits to a merchant that is not active", async () => {
    const { deps } = setup();
    expect(await failureOf(create(deps, { customerId: 'cus_other' }))).toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    expect(
      await failureOf(create(deps, { splits: [{ merchantId: 'mch_pending', amount: 100 }] })),
    ).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(
      await failureOf(create(deps, { splits: [{ merchantId: 'mch_venue', amount: 10_000 }] })),
    ).toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it("charges the customer's card as its processor customer", async () => {
    const { deps, provider } = setup();
    const intent = await create(deps, { customerId: 'cus_1', confirm: true });
    expect(intent.customerId).toBe('cus_1');
    expect(provider.charges()[0]?.input.customerId).toBe('cus_stripe_1');
  });
});

describe('Use case: confirmPaymentIntent', () => {
  it('records a decline as requires_payment_method with last_payment_error, its event, and answers 402', async () => {
    // Arrange
    const { deps, intents } = setup();
    const intent = await create(deps, { paymentMethodId: 'pm_card_chargeDeclined' });

    // Act
    const error = await failureOf(confirmPaymentIntent({ tenant, intentId: intent.intentId }, deps));

    // Assert
    expect(error.code).toBe('PAYMENT_DECLINED');
    const stored = await intents.get(tenant, intent.intentId);
    expect(stored).toMatchObject({
      status: 'requires_payment_method',
      lastPaymentError: { code: 'card_declined', declineCode: 'generic_decline' },
    });
    expect(intents.events.map((event) => event.type)).toEqual(['payment_intent.payment_failed']);
  });

  it('confirms again with another card under a new attempt key, and succeeds', async () => {
    // Arrange
    const { deps, provider } = setup();
    const intent = await create(deps, { paymentMethodId: 'pm_card_chargeDeclined' });
    await failureOf(confirmPaymentIntent({ tenant, intentId: intent.intentId }, deps));

    // Act
    const confirmed = await confirmPaymentIntent(
      { tenant, intentId: intent.intentId, paymentMethodId: 'pm_card_visa' },
      deps,
    );

    // Assert
    expect(confirmed).toMatchObject({ status: 'succeeded', attempts: 2, lastPaymentError: null });
    expect(provider.charges().map((call) => call.idempotencyKey)).toEqual([
      `${intent.intentId}:attempt:1`,
      `${intent.intentId}:attempt:2`,
    ]);
  });

  it('asks for 3-D Secure with next_action and payment_intent.requires_action', async () => {
    const { deps, intents } = setup();
    const intent = await create(deps, { paymentMethodId: 'pm_card_authenticationRequired', confirm: true });
    expect(intent.status).toBe('requires_action');
    expect(intent.nextActionUrl).toMatch(/^https:\/\//);
    expect(intents.events.map((event) => event.type)).toEqual(['payment_intent.requires_action']);
  });

  it('refuses to confirm a succeeded intent with INVALID_STATE_TRANSITION', async () => {
    const { deps } = setup();
    const intent = await create(deps, { confirm: true });
    expect(await failureOf(confirmPaymentIntent({ tenant, intentId: intent.intentId }, deps))).toMatchObject({
      code: 'INVALID_STATE_TRANSITION',
    });
  });

  it('of two concurrent confirmations, charges once: the other finds the attempt claimed', async () => {
    // Arrange
    const { deps, provider } = setup();
    const intent = await create(deps);

    // Act
    const results = await Promise.allSettled([
      confirmPaymentIntent({ tenant, intentId: intent.intentId }, deps),
      confirmPaymentIntent({ tenant, intentId: intent.intentId }, deps),
    ]);

    // Assert
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(provider.charges()).toHaveLength(1);
  });

  it('a NOT_FOUND for an intent of another merchant or mode', async () => {
    const { deps } = setup();
    const intent = await create(deps);
    for (const other of [
      { merchantId: 'mch_other', mode: 'test' as const },
      { merchantId: tenant.merchantId, mode: 'live' as const },
    ]) {
      expect(
        await failureOf(confirmPaymentIntent({ tenant: other, intentId: intent.intentId }, deps)),
      ).toMatchObject({ code: 'NOT_FOUND' });
    }
  });
});

describe('Use case: capturePaymentIntent', () => {
  it('authorizes a manual-capture intent and starts its capture window, named by the intent', async () => {
    // Arrange
    const { deps, captureWindow } = setup();

    // Act
    const intent = await create(deps, { confirm: true }, 'manual');

    // Assert
    expect(intent).toMatchObject({ status: 'requires_capture', amountCapturable: 10_000, amountReceived: 0 });
    expect(intent.captureBefore).toBe('2026-12-14T10:00:00.000Z');
    expect(captureWindow.started.get(intent.intentId)).toEqual({
      ...tenant,
      intentId: intent.intentId,
      captureBefore: '2026-12-14T10:00:00.000Z',
    });
  });

  it('captures part, releasing the rest, and answers a retry the same without capturing again', async () => {
    // Arrange
    const { deps, provider, intents } = setup();
    const intent = await create(deps, { confirm: true }, 'manual');

    // Act
    const captured = await capturePaymentIntent(
      { tenant, intentId: intent.intentId, amountToCapture: 6_000 },
      deps,
    );
    const again = await capturePaymentIntent(
      { tenant, intentId: intent.intentId, amountToCapture: 6_000 },
      deps,
    );

    // Assert
    expect(captured).toMatchObject({ status: 'succeeded', amountReceived: 6_000, amountCapturable: 0 });
    expect(again).toEqual(captured);
    expect(provider.calls.filter((call) => call.method === 'capturePayment')).toHaveLength(1);
    expect(intents.events.map((event) => event.type)).toEqual(['payment_intent.succeeded']);
    // Fees on what was captured, charged once: 820 bps of 6000 = 492; 290 bps of 6000 + 30 = 204
    expect(captured.fees).toEqual({ platform: 492, processing: 204 });
    expect(intents.charges.map((charge) => charge.transaction.amount)).toEqual([6_000]);
  });

  it('of two concurrent captures of the same amount, captures once and both answer succeeded', async () => {
    const { deps, intents } = setup();
    const intent = await create(deps, { confirm: true }, 'manual');
    const [a, b] = await Promise.all([
      capturePaymentIntent({ tenant, intentId: intent.intentId }, deps),
      capturePaymentIntent({ tenant, intentId: intent.intentId }, deps),
    ]);
    expect(a.status).toBe('succeeded');
    expect(b.status).toBe('succeeded');
    expect(intents.events.filter((event) => event.type === 'payment_intent.succeeded')).toHaveLength(1);
    expect(intents.charges).toHaveLength(1);
  });

  it('refuses more than is capturable with INVALID_AMOUNT, and an automatic intent with 409', async () => {
    const { deps } = setup();
    const manual = await create(deps, { confirm: true }, 'manual');
    expect(
      await failureOf(
        capturePaymentIntent({ tenant, intentId: manual.intentId, amountToCapture: 10_001 }, deps),
      ),
    ).toMatchObject({ code: 'INVALID_AMOUNT' });
    const automatic = await create(deps);
    expect(
      await failureOf(capturePaymentIntent({ tenant, intentId: automatic.intentId }, deps)),
    ).toMatchObject({
      code: 'INVALID_STATE_TRANSITION',
    });
  });
});

describe('Use case: cancelPaymentIntent and expireAuthorization', () => {
  it('releases an authorization at the processor and cancels with the reason and its event', async () => {
    const { deps, provider, intents } = setup();
    const intent = await create(deps, { confirm: true }, 'manual');
    const canceled = await cancelPaymentIntent(
      { tenant, intentId: intent.intentId, reason: 'requested_by_customer' },
      deps,
    );
    expect(canceled).toMatchObject({
      status: 'canceled',
      amountCapturable: 0,
      cancellationReason: 'requested_by_customer',
    });
    expect(provider.calls.filter((call) => call.method === 'cancelPayment')).toHaveLength(1);
    expect(intents.events.map((event) => event.type)).toEqual(['payment_intent.canceled']);
  });

  it('refuses to cancel a succeeded intent', async () => {
    const { deps } = setup();
    const intent = await create(deps, { confirm: true });
    expect(await failureOf(cancelPaymentIntent({ tenant, intentId: intent.intentId }, deps))).toMatchObject({
      code: 'INVALID_STATE_TRANSITION',
    });
  });

  it('cancels an authorization still uncaptured at capture_before, with cancellation_reason automatic', async () => {
    // Arrange
    const { deps, clock, intents, provider } = setup();
    const intent = await create(deps, { confirm: true }, 'manual');
    clock.advance(WINDOW_SECONDS * 1000);

    // Act
    const outcome = await expireAuthorization(tenant, intent.intentId, deps);

    // Assert
    expect(outcome).toBe('canceled');
    expect(await intents.get(tenant, intent.intentId)).toMatchObject({
      status: 'canceled',
      cancellationReason: 'automatic',
    });
    expect(provider.calls.filter((call) => call.method === 'cancelPayment')).toHaveLength(1);
  });

  it('leaves a captured intent as it is, and one not yet due', async () => {
    const { deps, clock, intents } = setup();
    const captured = await create(deps, { confirm: true }, 'manual');
    await capturePaymentIntent({ tenant, intentId: captured.intentId }, deps);
    const early = await create(deps, { confirm: true }, 'manual');
    clock.advance(1_000);

    expect(await expireAuthorization(tenant, early.intentId, deps)).toBe('unchanged');
    clock.advance(WINDOW_SECONDS * 1000);
    expect(await expireAuthorization(tenant, captured.intentId, deps)).toBe('unchanged');
    expect((await intents.get(tenant, captured.intentId))?.status).toBe('succeeded');
    expect((await intents.get(tenant, early.intentId))?.status).toBe('requires_capture');
  });
});

describe('Use case: listPaymentIntents', () => {
  it('pages newest first by status and customer, with a cursor bound to the list', async () => {
    // Arrange
    const { deps, clock, intents } = setup();
    const cursors = new CursorCodec('a-cursor-secret-of-at-least-32-characters');
    const made = [];
    for (let i = 0; i < 3; i += 1) {
      made.push(await create(deps, { customerId: 'cus_1' }));
      clock.advance(1_000);
    }
    await create(deps);

    // Act
    const first = await listPaymentIntents(tenant, { customerId: 'cus_1', limit: 2 }, { intents, cursors });
    const second = await listPaymentIntents(
      tenant,
      { customerId: 'cus_1', limit: 2, cursor: first.nextCursor ?? '' },
      { intents, cursors },
    );

    // Assert
    expect(first.intents.map((intent) => intent.intentId)).toEqual([made[2]?.intentId, made[1]?.intentId]);
    expect(second.intents.map((intent) => intent.intentId)).toEqual([made[0]?.intentId]);
    expect(second.nextCursor).toBeNull();
    expect(
      await failureOf(
        listPaymentIntents(tenant, { limit: 2, cursor: first.nextCursor ?? '' }, { intents, cursors }),
      ),
    ).toMatchObject({ code: 'VALIDATION_ERROR' });
  });
});
