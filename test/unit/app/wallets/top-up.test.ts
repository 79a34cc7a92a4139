import type { Topup } from '../../../../shared/app/wallets/ports.js';
import {
  completeTopup,
  type TopUpCommand,
  type TopUpDeps,
  topUpWallet,
} from '../../../../shared/app/wallets/top-up.js';
import { accounts, checkLedgerInvariant } from '../../../../shared/domain/ledger.js';
import { CurrencyPolicy, MAX_AMOUNT } from '../../../../shared/domain/money.js';
import { ExpiredCardError, PaymentDeclinedError } from '../../../../shared/domain/provider-errors.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { sequentialIds } from '../../../support/fakes/ids.js';
import { FakePaymentProvider } from '../../../support/fakes/payment-provider.js';
import { InMemoryProviderCustomers } from '../../../support/fakes/provider-customers.js';
import { InMemorySavedCards } from '../../../support/fakes/saved-cards.js';
import { InMemoryTopups } from '../../../support/fakes/topups.js';
import { InMemoryWallets } from '../../../support/fakes/wallets.js';
import { InMemoryLedger } from '../../../support/in-memory-ledger.js';

const USER = 'user_alice';
const CARD = 'pm_card_visa';
const NOW = '2026-03-01T12:00:00.000Z';

function setup() {
  const clock = fixedClock(NOW);
  const ids = sequentialIds();
  const ledger = new InMemoryLedger(() => clock.now());
  const provider = new FakePaymentProvider().card(CARD, 'succeeded');
  const wallets = new InMemoryWallets(ids, clock);
  const topups = new InMemoryTopups(ledger);
  const savedCards = new InMemorySavedCards();
  const deps: TopUpDeps = {
    wallets,
    ledger,
    provider,
    customers: new InMemoryProviderCustomers(),
    topups,
    savedCards,
    currencies: new CurrencyPolicy(['USD', 'JPY']),
    ids,
    clock,
  };
  return { deps, clock, ids, ledger, provider, wallets, topups, savedCards };
}

function command(overrides: Partial<TopUpCommand> = {}): TopUpCommand {
  return {
    userId: USER,
    idempotencyKey: 'key-1',
    amount: 1_500,
    currency: 'USD',
    paymentMethodId: CARD,
    ...overrides,
  };
}

async function walletIdOf(deps: TopUpDeps, userId = USER): Promise<string> {
  const wallet = await deps.wallets.find(userId);
  if (wallet === undefined) throw new Error(`${userId} has no wallet`);
  return wallet.walletId;
}

describe('Use case: topUpWallet', () => {
  describe('when the card payment succeeds', () => {
    it('credits the wallet once from provider clearing', async () => {
      // Arrange
      const { deps, ledger } = setup();

      // Act
      await topUpWallet(command(), deps);

      // Assert
      const walletId = await walletIdOf(deps);
      const wallet = await ledger.account(accounts.wallet(walletId, 'USD').id);
      const clearing = await ledger.account(accounts.providerClearing('stripe', 'USD').id);
      expect(wallet).toMatchObject({ kind: 'user_wallet', creditsPosted: 1_500, debitsPosted: 0 });
      expect(clearing).toMatchObject({ kind: 'provider_clearing', debitsPosted: 1_500, creditsPosted: 0 });
      const history = await ledger.history(walletId, { limit: 10 });
      expect(history.entries).toEqual([
        expect.objectContaining({ direction: 'credit', amount: 1_500, code: 'topup', status: 'posted' }),
      ]);
      expect(checkLedgerInvariant(ledger.allAccounts())).toEqual([]);
    });

    it('returns the top-up succeeded with the provider payment id', async () => {
      // Arrange
      const { deps, provider, topups } = setup();

      // Act
      const topup = await topUpWallet(command(), deps);

      // Assert
      expect(provider.charges().map((call) => call.idempotencyKey)).toEqual([topup.topupId]);
      expect(topup).toMatchObject({
        userId: USER,
        walletId: await walletIdOf(deps),
        amount: 1_500,
        currency: 'USD',
        paymentMethodId: CARD,
        provider: 'stripe',
        status: 'succeeded',
        providerPaymentId: 'pi_1',
        completedAt: NOW,
      });
      expect(await topups.get(topup.topupId)).toEqual(topup);
    });

    it('remembers the card the user paid with', async () => {
      // Arrange
      const { deps, savedCards } = setup();

      // Act
      await topUpWallet(command(), deps);

      // Assert
      expect(await savedCards.list(USER)).toEqual([
        {
          id: CARD,
          brand: 'visa',
          last4: '4242',
          expMonth: 12,
          expYear: 2030,
          fingerprint: `fp_${CARD}`,
          lastUsedAt: NOW,
        },
      ]);
    });

    it('charges with the top-up id as the provider idempotency key, for the stored amount', async () => {
      // Arrange
      const { deps, provider } = setup();

      // Act
      const topup = await topUpWallet(command({ amount: 2_000, currency: 'JPY' }), deps);

      // Assert
      expect(provider.charges()).toEqual([
        {
          method: 'createPayment',
          idempotencyKey: topup.topupId,
          input: expect.objectContaining({
            idempotencyKey: topup.topupId,
            amount: 2_000,
            currency: 'JPY',
            paymentMethodId: CARD,
            capture: 'automatic',
          }),
        },
      ]);
    });
  });

  describe('when the same request is retried', () => {
    it('returns the stored top-up without charging again when the Idempotency-Key is the same', async () => {
      // Arrange
      const { deps, clock, ledger, provider } = setup();
      const first = await topUpWallet(command(), deps);
      clock.advance(60_000);

      // Act
      const second = await topUpWallet(command(), deps);

      // Assert
      expect(second).toEqual(first);
      expect(provider.charges()).toHaveLength(1);
      const wallet = await ledger.account(accounts.wallet(first.walletId, 'USD').id);
      expect(wallet?.creditsPosted).toBe(1_500);
      expect(checkLedgerInvariant(ledger.allAccounts())).toEqual([]);
    });

    it('derives the top-up id from the caller and the Idempotency-Key', async () => {
      // Arrange
      const { deps, provider } = setup();

      // Act
      const first = await topUpWallet(command(), deps);
      const otherKey = await topUpWallet(command({ idempotencyKey: 'key-2' }), deps);
      const otherUser = await topUpWallet(command({ userId: 'user_bob' }), deps);

      // Assert
      expect(first.topupId).toBe(deps.ids.derive('tu_', USER, 'key-1'));
      expect(new Set([first.topupId, otherKey.topupId, otherUser.topupId]).size).toBe(3);
      expect(provider.charges().map((call) => call.idempotencyKey)).toEqual([
        first.topupId,
        otherKey.topupId,
        otherUser.topupId,
      ]);
    });

    it('charges under one key and credits once when two requests with the same Idempotency-Key run at once', async () => {
      // Arrange
      const { deps, ledger, provider, topups } = setup();

      // Act
      const both = await Promise.all([topUpWallet(command(), deps), topUpWallet(command(), deps)]);

      // Assert
      expect(both.map((t) => t.status)).toEqual(['succeeded', 'succeeded']);
      const stored = topups.all();
      expect(stored).toEqual([expect.objectContaining({ status: 'succeeded' })]);
      const [topup] = stored;
      if (topup === undefined) throw new Error('No top-up was stored');
      expect(new Set(provider.charges().map((call) => call.idempotencyKey))).toEqual(
        new Set([topup.topupId]),
      );
      const wallet = await ledger.account(accounts.wallet(topup.walletId, 'USD').id);
      expect(wallet?.creditsPosted).toBe(1_500);
      expect(checkLedgerInvariant(ledger.allAccounts())).toEqual([]);
    });
  });

  describe('when the processor is down', () => {
    it('answers PROCESSOR_ERROR and leaves the top-up pending', async () => {
      // Arrange
      const { deps, ledger, provider, topups } = setup();
      provider.card(CARD, 'processor_down');

      // Act
      const attempt = topUpWallet(command(), deps);

      // Assert
      await expect(attempt).rejects.toMatchObject({ code: 'PROCESSOR_ERROR' });
      expect(topups.all()).toEqual([expect.objectContaining({ status: 'pending' })]);
      expect(ledger.allAccounts()).toEqual([]);
    });

    it('resumes with the same provider idempotency key and credits once when retried', async () => {
      // Arrange
      const { deps, ledger, provider } = setup();
      provider.card(CARD, 'processor_down');
      await expect(topUpWallet(command(), deps)).rejects.toMatchObject({ code: 'PROCESSOR_ERROR' });
      provider.card(CARD, 'succeeded');

      // Act
      const topup = await topUpWallet(command(), deps);

      // Assert
      const keys = provider.charges().map((call) => call.idempotencyKey);
      expect(keys).toEqual([topup.topupId, topup.topupId]);
      expect(topup.status).toBe('succeeded');
      const wallet = await ledger.account(accounts.wallet(topup.walletId, 'USD').id);
      expect(wallet?.creditsPosted).toBe(1_500);
      expect(checkLedgerInvariant(ledger.allAccounts())).toEqual([]);
    });
  });

  describe('when the card is declined', () => {
    it('records the decline code on a failed top-up and answers PAYMENT_DECLINED', async () => {
      // Arrange
      const { deps, ledger, provider, topups, savedCards } = setup();
      provider.card(CARD, { decline: 'insufficient_funds' });

      // Act
      const attempt = topUpWallet(command(), deps);

      // Assert
      await expect(attempt).rejects.toBeInstanceOf(PaymentDeclinedError);
      await expect(attempt).rejects.toMatchObject({
        code: 'PAYMENT_DECLINED',
        declineCode: 'insufficient_funds',
      });
      expect(topups.all()).toEqual([
        expect.objectContaining({
          status: 'failed',
          failureCode: 'insufficient_funds',
          providerPaymentId: 'pi_1',
        }),
      ]);
      expect(ledger.allAccounts()).toEqual([]);
      expect(await savedCards.list(USER)).toEqual([]);
    });

    it('answers the stored decline again without charging when the request is retried', async () => {
      // Arrange
      const { deps, ledger, provider } = setup();
      provider.card(CARD, { decline: 'insufficient_funds' });
      await expect(topUpWallet(command(), deps)).rejects.toBeInstanceOf(PaymentDeclinedError);
      provider.card(CARD, 'succeeded');

      // Act
      const retry = topUpWallet(command(), deps);

      // Assert
      await expect(retry).rejects.toMatchObject({
        code: 'PAYMENT_DECLINED',
        declineCode: 'insufficient_funds',
      });
      expect(provider.charges()).toHaveLength(1);
      expect(ledger.allAccounts()).toEqual([]);
    });

    it('records failureCode expired_card and answers EXPIRED_CARD when the card has expired', async () => {
      // Arrange
      const { deps, ledger, provider, topups } = setup();
      provider.card(CARD, 'expired');

      // Act
      const attempt = topUpWallet(command(), deps);

      // Assert
      await expect(attempt).rejects.toBeInstanceOf(ExpiredCardError);
      await expect(attempt).rejects.toMatchObject({ code: 'EXPIRED_CARD' });
      expect(topups.all()).toEqual([
        expect.objectContaining({ status: 'failed', failureCode: 'expired_card' }),
      ]);
      expect(ledger.allAccounts()).toEqual([]);
    });

    it('answers EXPIRED_CARD again without charging when an expired-card top-up is retried', async () => {
      // Arrange
      const { deps, provider } = setup();
      provider.card(CARD, 'expired');
      await expect(topUpWallet(command(), deps)).rejects.toBeInstanceOf(ExpiredCardError);

      // Act
      const retry = topUpWallet(command(), deps);

      // Assert
      await expect(retry).rejects.toBeInstanceOf(ExpiredCardError);
      expect(provider.charges()).toHaveLength(1);
    });
  });

  describe('when the payment is not finished yet', () => {
    it('waits in requires_action with the next action URL, moving no money, when 3-D Secure is required', async () => {
      // Arrange
      const { deps, ledger, provider, savedCards } = setup();
      provider.card(CARD, 'requires_action');

      // Act
      const topup = await topUpWallet(command(), deps);

      // Assert
      expect(topup).toMatchObject({
        status: 'requires_action',
        providerPaymentId: 'pi_1',
        nextActionUrl: expect.stringMatching(/^https:\/\//),
      });
      expect(topup.completedAt).toBeUndefined();
      expect(ledger.allAccounts()).toEqual([]);
      expect(await savedCards.list(USER)).toEqual([]);
    });

    it('waits in processing, moving no money, when the processor is still processing', async () => {
      // Arrange
      const { deps, ledger, provider } = setup();
      provider.card(CARD, 'processing');

      // Act
      const topup = await topUpWallet(command(), deps);

      // Assert
      expect(topup).toMatchObject({ status: 'processing', providerPaymentId: 'pi_1' });
      expect(ledger.allAccounts()).toEqual([]);
    });

    it('returns the waiting top-up without charging again when the request is retried', async () => {
      // Arrange
      const { deps, provider } = setup();
      provider.card(CARD, 'requires_action');
      const first = await topUpWallet(command(), deps);

      // Act
      const second = await topUpWallet(command(), deps);

      // Assert
      expect(second).toEqual(first);
      expect(provider.charges()).toHaveLength(1);
    });
  });

  describe('when the request is invalid', () => {
    it('answers VALIDATION_ERROR before storing a top-up when the payment method is unknown', async () => {
      // Arrange
      const { deps, ledger, provider, topups } = setup();

      // Act
      const attempt = topUpWallet(command({ paymentMethodId: 'pm_nobody_knows' }), deps);

      // Assert
      await expect(attempt).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
      expect(topups.all()).toEqual([]);
      expect(provider.charges()).toEqual([]);
      expect(ledger.allAccounts()).toEqual([]);
    });

    it.each([
      ['zero', 0],
      ['a negative amount', -100],
      ['a fraction', 10.5],
      ['a string', '1500'],
      ['more than the maximum', MAX_AMOUNT + 1],
      ['nothing', undefined],
    ])('answers INVALID_AMOUNT before storing or charging anything for %s', async (_, amount) => {
      // Arrange
      const { deps, provider, topups, wallets } = setup();

      // Act
      const attempt = topUpWallet(command({ amount }), deps);

      // Assert
      await expect(attempt).rejects.toMatchObject({ code: 'INVALID_AMOUNT' });
      expect(topups.all()).toEqual([]);
      expect(provider.calls).toEqual([]);
      expect(wallets.size).toBe(0);
    });

    it.each([
      ['a currency not enabled here', 'EUR'],
      ['a lower-case code', 'usd'],
      ['a test code', 'XTS'],
      ['a number', 840],
      ['nothing', undefined],
    ])('answers UNSUPPORTED_CURRENCY before storing or charging anything for %s', async (_, currency) => {
      // Arrange
      const { deps, provider, topups, wallets } = setup();

      // Act
      const attempt = topUpWallet(command({ currency }), deps);

      // Assert
      await expect(attempt).rejects.toMatchObject({ code: 'UNSUPPORTED_CURRENCY' });
      expect(topups.all()).toEqual([]);
      expect(provider.calls).toEqual([]);
      expect(wallets.size).toBe(0);
    });
  });
});

describe('Use case: completeTopup', () => {
  async function waitingTopup() {
    const context = setup();
    context.provider.card(CARD, 'requires_action');
    const topup = await topUpWallet(command(), context.deps);
    const paymentId = topup.providerPaymentId;
    if (paymentId === undefined) throw new Error('The waiting top-up has no provider payment');
    const payment = context.provider.settle(paymentId);
    context.clock.advance(5_000);
    return { ...context, topup, payment };
  }

  async function creditsOf(context: Awaited<ReturnType<typeof waitingTopup>>, topup: Topup) {
    const wallet = await context.ledger.account(accounts.wallet(topup.walletId, 'USD').id);
    return wallet?.creditsPosted;
  }

  it('credits once and ends succeeded when the request and the webhook both complete the top-up', async () => {
    // Arrange
    const context = await waitingTopup();
    const { deps, ledger, topup, payment } = context;

    // Act
    const fromRequest = await completeTopup(topup, payment, deps);
    const fromWebhook = await completeTopup(topup, payment, deps);

    // Assert
    expect(fromRequest).toMatchObject({
      status: 'succeeded',
      providerPaymentId: payment.id,
      completedAt: '2026-03-01T12:00:05.000Z',
    });
    expect(fromWebhook).toEqual(fromRequest);
    expect(await creditsOf(context, topup)).toBe(1_500);
    expect((await ledger.history(topup.walletId, { limit: 10 })).entries).toHaveLength(1);
    expect(checkLedgerInvariant(ledger.allAccounts())).toEqual([]);
  });

  it('credits once and ends succeeded when the request and the webhook complete the top-up at once', async () => {
    // Arrange
    const context = await waitingTopup();
    const { deps, ledger, topups, topup, payment } = context;

    // Act
    const both = await Promise.all([
      completeTopup(topup, payment, deps),
      completeTopup(topup, payment, deps),
    ]);

    // Assert
    expect(both.map((t) => t.status)).toEqual(['succeeded', 'succeeded']);
    expect(await topups.get(topup.topupId)).toMatchObject({ status: 'succeeded' });
    expect(await creditsOf(context, topup)).toBe(1_500);
    expect(checkLedgerInvariant(ledger.allAccounts())).toEqual([]);
  });

  it('changes nothing when the top-up has already succeeded', async () => {
    // Arrange
    const context = await waitingTopup();
    const { deps, clock, ledger, topups, topup, payment } = context;
    const succeeded = await completeTopup(topup, payment, deps);
    const accountsBefore = ledger.allAccounts();
    clock.advance(60_000);

    // Act
    const again = await completeTopup(succeeded, payment, deps);

    // Assert
    expect(again).toEqual(succeeded);
    expect(await topups.get(topup.topupId)).toEqual(succeeded);
    expect(ledger.allAccounts()).toEqual(accountsBefore);
  });

  it('credits the amount recorded on the top-up from provider clearing', async () => {
    // Arrange
    const context = await waitingTopup();
    const { deps, ledger, topup, payment } = context;

    // Act
    await completeTopup(topup, payment, deps);

    // Assert
    const transfer = await ledger.transfer(`topup:${topup.topupId}`);
    expect(transfer).toMatchObject({
      type: 'post',
      debitAccountId: accounts.providerClearing('stripe', 'USD').id,
      creditAccountId: accounts.wallet(topup.walletId, 'USD').id,
      amount: 1_500,
      code: 'topup',
      metadata: { topupId: topup.topupId, providerPaymentId: payment.id },
    });
  });
});

describe('Use case: topUpWallet (retries of finished top-ups)', () => {
  it('answers the stored top-up without asking the provider when a succeeded top-up is retried', async () => {
    // Arrange
    const { deps, provider } = setup();
    const first = await topUpWallet(command(), deps);
    provider.card(CARD, 'unknown_pm');
    const callsBefore = provider.calls.length;

    // Act
    const retry = await topUpWallet(command(), deps);

    // Assert
    expect(retry).toEqual(first);
    expect(provider.calls.length).toBe(callsBefore);
  });
});

describe('Use case: completeTopup (refusals)', () => {
  it('refuses to credit a top-up that failed, and moves no money', async () => {
    // Arrange
    const { deps, ledger, provider } = setup();
    provider.card(CARD, { decline: 'generic_decline' });
    await expect(topUpWallet(command(), deps)).rejects.toBeInstanceOf(PaymentDeclinedError);
    const [failed] = await Promise.all([deps.topups.get(deps.ids.derive('tu_', USER, 'key-1'))]);
    if (failed === undefined) throw new Error('no top-up stored');
    const payment = {
      provider: 'stripe' as const,
      id: 'pi_x',
      status: 'succeeded' as const,
      amount: 1_500,
      amountReceived: 1_500,
      currency: 'USD',
    };

    // Act
    const completion = completeTopup(failed, payment, deps);

    // Assert
    await expect(completion).rejects.toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
    expect(ledger.allAccounts()).toEqual([]);
  });
  it("credits nothing when the top-up fails between the completer's read and its write", async () => {
    // Arrange: the completer reads the top-up still waiting; the provider's failure lands right after.
    const context = setup();
    context.provider.card(CARD, 'requires_action');
    const topup = await topUpWallet(command(), context.deps);
    const paymentId = topup.providerPaymentId;
    if (paymentId === undefined) throw new Error('The waiting top-up has no provider payment');
    const payment = context.provider.settle(paymentId);
    const real = context.topups;
    let failedMeanwhile = false;
    const racing: TopUpDeps['topups'] = {
      create: (t) => real.create(t),
      get: async (id) => {
        const read = await real.get(id);
        if (!failedMeanwhile) {
          failedMeanwhile = true;
          await real.transition(id, ['requires_action'], { status: 'failed', failureCode: 'expired' }, NOW);
        }
        return read;
      },
      transition: (...args) => real.transition(...args),
    };

    // Act
    const completion = completeTopup(topup, payment, { ...context.deps, topups: racing });

    // Assert
    await expect(completion).rejects.toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
    expect(await context.ledger.transfer(`topup:${topup.topupId}`)).toBeUndefined();
    expect(await context.ledger.account(accounts.wallet(topup.walletId, 'USD').id)).toBeUndefined();
  });
});

describe('Use case: topUpWallet (payment methods belong to their user)', () => {
  /** A card the app created for a user (not a test token): whoever attaches it first owns it. */
  const SAVED = 'pm_1AliceOwnCard';

  it("charges the card for the user's own customer, created once and attached to the card", async () => {
    // Arrange
    const { deps, provider } = setup();

    // Act
    const first = await topUpWallet(command(), deps);
    const second = await topUpWallet(command({ idempotencyKey: 'key-2' }), deps);

    // Assert
    expect(provider.calls.filter((call) => call.method === 'createCustomer')).toEqual([
      { method: 'createCustomer', idempotencyKey: `customer:${USER}`, userId: USER },
    ]);
    expect(provider.charges().map((call) => call.input.customerId)).toEqual(['cus_1', 'cus_1']);
    expect([first.customerId, second.customerId]).toEqual(['cus_1', 'cus_1']);
    expect(provider.calls).toContainEqual(
      expect.objectContaining({ method: 'attachCard', paymentMethodId: CARD, customerId: 'cus_1' }),
    );
  });

  it("refuses another user's card exactly as an unknown card, storing, holding and charging nothing", async () => {
    // Arrange
    const { deps, provider, topups, ledger } = setup();
    provider.card(SAVED, 'succeeded');
    await topUpWallet(command({ paymentMethodId: SAVED }), deps);
    const chargesBefore = provider.charges().length;

    // Act
    const stolen = await topUpWallet(command({ userId: 'user_bob', paymentMethodId: SAVED }), deps).catch(
      (error: unknown) => error,
    );
    const unknown = await topUpWallet(
      command({ userId: 'user_bob', idempotencyKey: 'key-2', paymentMethodId: 'pm_nope' }),
      deps,
    ).catch((error: unknown) => error);

    // Assert
    expect(stolen).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(stolen).toEqual(unknown);
    expect(provider.charges()).toHaveLength(chargesBefore);
    expect(await topups.get(deps.ids.derive('tu_', 'user_bob', 'key-1'))).toBeUndefined();
    const bob = await deps.wallets.find('user_bob');
    const bobsAccount =
      bob === undefined ? undefined : await ledger.account(accounts.wallet(bob.walletId, 'USD').id);
    expect(bobsAccount?.creditsPosted ?? 0).toBe(0);
  });

  it('lets the owner top up again with the card attached to their customer', async () => {
    // Arrange
    const { deps, provider } = setup();
    provider.card(SAVED, 'succeeded');
    await topUpWallet(command({ paymentMethodId: SAVED }), deps);

    // Act
    const again = await topUpWallet(command({ idempotencyKey: 'key-2', paymentMethodId: SAVED }), deps);

    // Assert
    expect(again).toMatchObject({ status: 'succeeded', paymentMethodId: SAVED, customerId: 'cus_1' });
    expect(provider.charges().map((call) => [call.input.paymentMethodId, call.input.customerId])).toEqual([
      [SAVED, 'cus_1'],
      [SAVED, 'cus_1'],
    ]);
  });

  it('lets every user top up with the same test token: each use attaches a new card to their own customer', async () => {
    // Arrange
    const { deps, provider } = setup();

    // Act
    const alice = await topUpWallet(command(), deps);
    const bob = await topUpWallet(command({ userId: 'user_bob' }), deps);

    // Assert
    expect([alice.status, bob.status]).toEqual(['succeeded', 'succeeded']);
    expect(provider.charges().map((call) => call.input.customerId)).toEqual(['cus_1', 'cus_2']);
  });

  it("records one customer when a user's first top-ups race, even if the provider made two", async () => {
    // Arrange: the provider's idempotency no longer joins them (its keys expire after 24 h).
    const { deps, provider } = setup();
    let made = 0;
    provider.createCustomer = async () => `cus_raced_${++made}`;

    // Act
    const [first, second] = await Promise.all([
      topUpWallet(command(), deps),
      topUpWallet(command({ idempotencyKey: 'key-2' }), deps),
    ]);

    // Assert
    expect(made).toBe(2);
    expect(first.customerId).toBe(second.customerId);
    expect(new Set(provider.charges().map((call) => call.input.customerId))).toEqual(
      new Set([first.customerId]),
    );
  });
});
