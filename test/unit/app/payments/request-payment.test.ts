import { paymentCompletedDetail } from '../../../../shared/app/payments/events.js';
import { paymentCharge } from '../../../../shared/app/payments/lifecycle.js';
import { requestPayment } from '../../../../shared/app/payments/request-payment.js';
import { accounts, checkLedgerInvariant } from '../../../../shared/domain/ledger.js';
import { paymentTransferIds } from '../../../../shared/domain/payment.js';
import { statusOf } from '../../../../shared/http/errors.js';
import {
  APP,
  availableIn,
  CARD,
  failureOf,
  fundedWallet,
  MERCHANT_PENDING_USD,
  NOW,
  PENDING_MERCHANT_APP,
  paymentCommand,
  ROOM,
  STRANGER,
  setup,
  TEST_APP,
  USER,
} from './harness.js';

/** A card the app created for USER (not a test token): whoever attaches it first owns it. */
const OWNED_CARD = 'pm_1AliceOwnCard';

/** A payer with no second factor enrolled. */
const NO_FACTOR_USER = 'user_bob';

describe('Use case: requestPayment', () => {
  describe('when a wallet payment is below the MFA threshold', () => {
    it('returns the payment Completed in its request, through every protocol step', async () => {
      // Arrange
      const harness = setup();
      await fundedWallet(harness, 10_000);

      // Act
      const payment = await requestPayment(paymentCommand({ roomId: ROOM }), harness.deps);

      // Assert
      expect(payment).toMatchObject({
        userId: USER,
        appId: APP,
        amount: { value: 1_000, currency: 'USD' },
        paymentMethod: { type: 'wallet' },
        description: 'Sticker pack',
        metadata: { orderId: 'order-1' },
        roomId: ROOM,
        state: 'Completed',
        mfaRequired: false,
        refundedAmount: 0,
        completedAt: NOW,
      });
      expect(payment.history.map((entry) => [entry.state, entry.event, entry.actor])).toEqual([
        ['Initiated', 'created', USER],
        ['Validating', 'validate', USER],
        ['Authorized', 'authorized', USER],
        ['Processing', 'process', 'system'],
        ['Completed', 'completed', 'system'],
      ]);
      expect(harness.payments.peek(payment.paymentId)).toEqual(payment);
    });

    it('posts the amount from the wallet to the app under the hold id, with nothing left pending', async () => {
      // Arrange
      const harness = setup();
      const wallet = await fundedWallet(harness, 10_000);

      // Act
      const payment = await requestPayment(paymentCommand(), harness.deps);

      // Assert
      const transfer = await harness.ledger.transfer(paymentTransferIds.hold(payment.paymentId));
      expect(transfer).toMatchObject({
        type: 'post',
        debitAccountId: accounts.wallet(wallet.walletId, 'USD').id,
        creditAccountId: MERCHANT_PENDING_USD.id,
        amount: 1_000,
        code: 'payment',
        metadata: { paymentId: payment.paymentId },
      });
      expect(await availableIn(harness.ledger, wallet)).toBe(9_000);
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });

    it('writes the payment.completed event the lifecycle would publish, and starts no lifecycle', async () => {
      // Arrange
      const harness = setup();
      await fundedWallet(harness, 10_000);

      // Act
      const payment = await requestPayment(paymentCommand({ roomId: ROOM }), harness.deps);

      // Assert
      expect(harness.workflows.starts).toEqual([]);
      expect(harness.payments.outbox).toEqual([
        { detailType: 'payment.completed', detail: paymentCompletedDetail(payment) },
      ]);
      expect(paymentCompletedDetail(payment)).toMatchObject({ roomId: ROOM, completedAt: NOW });
    });

    it('completes an amount exactly at the threshold without MFA', async () => {
      // Arrange
      const harness = setup();
      await fundedWallet(harness, 10_000);

      // Act
      const payment = await requestPayment(
        paymentCommand({ amount: { value: 5_000, currency: 'USD' } }),
        harness.deps,
      );

      // Assert
      expect(payment).toMatchObject({ state: 'Completed', mfaRequired: false });
    });
  });

  describe('when the amount is above the threshold and the payer has a factor', () => {
    it('returns the payment MFA_Required, with the hold reserved and the lifecycle started with MFA', async () => {
      // Arrange
      const harness = setup();
      const wallet = await fundedWallet(harness, 10_000);

      // Act
      const payment = await requestPayment(
        paymentCommand({ amount: { value: 5_001, currency: 'USD' } }),
        harness.deps,
      );

      // Assert
      expect(payment).toMatchObject({ state: 'MFA_Required', mfaRequired: true });
      expect(await availableIn(harness.ledger, wallet)).toBe(4_999);
      expect(harness.workflows.starts).toEqual([
        {
          paymentId: payment.paymentId,
          input: {
            paymentId: payment.paymentId,
            mfaRequired: true,
            mfaTimeoutSeconds: 300,
            providerTimeoutSeconds: 900,
          },
        },
      ]);
    });
  });

  describe('when MFA is required but the payer has no factor', () => {
    it('refuses with MFA_REQUIRED (428) and stores, reserves and starts nothing', async () => {
      // Arrange
      const harness = setup();
      const wallet = await fundedWallet(harness, 10_000, 'USD', NO_FACTOR_USER);

      // Act
      const error = await failureOf(
        requestPayment(
          paymentCommand({ userId: NO_FACTOR_USER, amount: { value: 9_000, currency: 'USD' } }),
          harness.deps,
        ),
      );

      // Assert
      expect(error).toMatchObject({ code: 'MFA_REQUIRED' });
      expect(statusOf.MFA_REQUIRED).toBe(428);
      expect(harness.payments.all()).toEqual([]);
      expect(await availableIn(harness.ledger, wallet)).toBe(10_000);
      expect(harness.workflows.starts).toEqual([]);
    });
  });

  describe('when the payer has reached the velocity limit', () => {
    it('requires MFA even below the threshold', async () => {
      // Arrange
      const harness = setup();
      await fundedWallet(harness, 10_000);
      for (const key of ['v-1', 'v-2', 'v-3']) {
        await requestPayment(
          paymentCommand({ idempotencyKey: key, amount: { value: 100, currency: 'USD' } }),
          harness.deps,
        );
      }

      // Act
      const payment = await requestPayment(
        paymentCommand({ idempotencyKey: 'v-4', amount: { value: 100, currency: 'USD' } }),
        harness.deps,
      );

      // Assert
      expect(payment).toMatchObject({ state: 'MFA_Required', mfaRequired: true });
    });

    it('counts only the payments of the last hour', async () => {
      // Arrange
      const harness = setup();
      await fundedWallet(harness, 10_000);
      for (const key of ['v-1', 'v-2', 'v-3']) {
        await requestPayment(
          paymentCommand({ idempotencyKey: key, amount: { value: 100, currency: 'USD' } }),
          harness.deps,
        );
      }
      harness.clock.advance(3_600_001);

      // Act
      const payment = await requestPayment(
        paymentCommand({ idempotencyKey: 'v-4', amount: { value: 100, currency: 'USD' } }),
        harness.deps,
      );

      // Assert
      expect(payment).toMatchObject({ state: 'Completed', mfaRequired: false });
    });
  });

  describe('when the currency has no MFA threshold', () => {
    it('requires MFA for any amount', async () => {
      // Arrange
      const harness = setup();
      await fundedWallet(harness, 10_000, 'EUR');

      // Act
      const payment = await requestPayment(
        paymentCommand({ amount: { value: 1, currency: 'EUR' } }),
        harness.deps,
      );

      // Assert
      expect(payment).toMatchObject({ state: 'MFA_Required', mfaRequired: true });
    });
  });

  describe('when the app is not a live app of an active merchant', () => {
    it.each([
      ['an unknown app', 'app_nobody'],
      ['a test-mode app', TEST_APP],
      ['a live app of a merchant not active yet', PENDING_MERCHANT_APP],
    ])('refuses %s with NOT_FOUND (404) and stores, reserves and starts nothing', async (_what, appId) => {
      // Arrange
      const harness = setup();
      const wallet = await fundedWallet(harness, 5_000);

      // Act
      const error = await failureOf(requestPayment(paymentCommand({ appId }), harness.deps));

      // Assert
      expect(error).toMatchObject({ code: 'NOT_FOUND' });
      expect(harness.payments.all()).toEqual([]);
      expect(await availableIn(harness.ledger, wallet)).toBe(5_000);
      expect(harness.workflows.starts).toEqual([]);
    });

    it('takes the payment for a live app of an active merchant', async () => {
      // Arrange
      const harness = setup();
      await fundedWallet(harness, 5_000);

      // Act
      const payment = await requestPayment(paymentCommand({ appId: APP }), harness.deps);

      // Assert
      expect(payment).toMatchObject({ appId: APP, state: 'Completed' });
    });
  });

  describe('when the wallet and the fee volume are read together', () => {
    it('reads them in one walletAndVolume and prices the fees at that volume', async () => {
      // Arrange
      const harness = setup();
      const wallet = await fundedWallet(harness, 10_000);
      const reads: unknown[][] = [];
      const volumeReads: unknown[][] = [];
      const ensures: string[] = [];
      const deps = {
        ...harness.deps,
        wallets: {
          ensure: (userId: string) => {
            ensures.push(userId);
            return harness.wallets.ensure(userId);
          },
          find: (userId: string) => harness.wallets.find(userId),
        },
        walletPaymentReads: {
          walletAndVolume: async (...args: [string, string, string]) => {
            reads.push(args);
            return { wallet, volume: 20_000_000 };
          },
        },
        merchantLedger: {
          ...(harness.deps.merchantLedger as NonNullable<typeof harness.deps.merchantLedger>),
          balances: {
            monthlyVolume: async (...args: unknown[]) => {
              volumeReads.push(args);
              return 0;
            },
            accounts: async () => [],
          },
          // 1% up to $100,000 a month, 0.5% above: the volume read decides which.
          fees: {
            tiers: [
              { fromVolume: 0, bps: 100 },
              { fromVolume: 10_000_000, bps: 50 },
            ],
            processing: { bps: 0, fixed: 0 },
          },
        },
      };

      // Act
      const payment = await requestPayment(paymentCommand(), deps);

      // Assert
      expect(payment).toMatchObject({ state: 'Completed', fees: { platform: 5 } });
      expect(reads).toEqual([[USER, 'mch_shop', NOW.slice(0, 7)]]);
      expect(volumeReads).toEqual([]);
      expect(ensures).toEqual([]);
    });
  });

  describe('when the wallet cannot cover the amount', () => {
    it('refuses with INSUFFICIENT_FUNDS (402) and records the payment Failed', async () => {
      // Arrange
      const harness = setup();
      await fundedWallet(harness, 500);

      // Act
      const error = await failureOf(requestPayment(paymentCommand(), harness.deps));

      // Assert
      expect(error).toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
      expect(statusOf.INSUFFICIENT_FUNDS).toBe(402);
      expect(harness.payments.all()).toEqual([
        expect.objectContaining({ state: 'Failed', failureCode: 'insufficient_funds' }),
      ]);
      expect(harness.payments.all()[0]?.history.map((entry) => [entry.state, entry.event])).toEqual([
        ['Initiated', 'created'],
        ['Validating', 'validate'],
        ['Failed', 'invalid'],
      ]);
      expect(harness.payments.outbox).toEqual([]);
    });

    it('reserves nothing and starts no lifecycle', async () => {
      // Arrange
      const harness = setup();
      const wallet = await fundedWallet(harness, 500);

      // Act
      await failureOf(requestPayment(paymentCommand(), harness.deps));

      // Assert
      const [payment] = harness.payments.all();
      expect(payment).toBeDefined();
      expect(
        await harness.ledger.transfer(paymentTransferIds.hold(payment?.paymentId ?? '')),
      ).toBeUndefined();
      expect(await availableIn(harness.ledger, wallet)).toBe(500);
      expect(harness.workflows.starts).toEqual([]);
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });

    it('refuses a payer who has no wallet money at all', async () => {
      // Arrange
      const harness = setup();

      // Act
      const error = await failureOf(requestPayment(paymentCommand(), harness.deps));

      // Assert
      expect(error).toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });
  });

  describe('when the request is retried with the same Idempotency-Key', () => {
    it('returns the same payment and reserves once', async () => {
      // Arrange
      const harness = setup();
      const wallet = await fundedWallet(harness, 10_000);
      const first = await requestPayment(paymentCommand(), harness.deps);

      // Act
      const second = await requestPayment(paymentCommand(), harness.deps);

      // Assert
      expect(second).toEqual(first);
      expect(harness.payments.all()).toHaveLength(1);
      expect(await availableIn(harness.ledger, wallet)).toBe(9_000);
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });

    it('gives another payer with the same key a payment of their own', async () => {
      // Arrange
      const harness = setup();
      await fundedWallet(harness, 10_000);
      await fundedWallet(harness, 10_000, 'USD', 'user_carol');
      const alice = await requestPayment(paymentCommand(), harness.deps);

      // Act
      const carol = await requestPayment(paymentCommand({ userId: 'user_carol' }), harness.deps);

      // Assert
      expect(carol.paymentId).not.toBe(alice.paymentId);
      expect(harness.payments.all()).toHaveLength(2);
    });

    it('resumes a request interrupted before the lifecycle started, and starts it', async () => {
      // Arrange
      const harness = setup();
      const wallet = await fundedWallet(harness, 10_000);
      const command = paymentCommand({ amount: { value: 6_000, currency: 'USD' } });
      harness.workflows.failNextStart();
      await expect(requestPayment(command, harness.deps)).rejects.toThrow('Step Functions is unavailable');

      // Act
      const payment = await requestPayment(command, harness.deps);

      // Assert
      expect(payment).toMatchObject({ state: 'MFA_Required' });
      expect(harness.workflows.starts).toEqual([
        { paymentId: payment.paymentId, input: expect.objectContaining({ mfaRequired: true }) },
      ]);
      expect(await availableIn(harness.ledger, wallet)).toBe(4_000);
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });

    it('never reserves twice for a concurrent twin', async () => {
      // Arrange
      const harness = setup();
      const wallet = await fundedWallet(harness, 10_000);

      // Act
      const results = await Promise.allSettled([
        requestPayment(paymentCommand(), harness.deps),
        requestPayment(paymentCommand(), harness.deps),
      ]);

      // Assert
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
      expect(harness.payments.all()).toHaveLength(1);
      expect(harness.payments.outbox).toHaveLength(1);
      expect(await availableIn(harness.ledger, wallet)).toBe(9_000);
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });
  });

  describe('when the amount or the currency is not acceptable', () => {
    it.each([0, -100, 10.5, '1000', Number.NaN])(
      'refuses %p with INVALID_AMOUNT and stores nothing',
      async (value) => {
        // Arrange
        const harness = setup();

        // Act
        const error = await failureOf(
          requestPayment(paymentCommand({ amount: { value, currency: 'USD' } }), harness.deps),
        );

        // Assert
        expect(error).toMatchObject({ code: 'INVALID_AMOUNT' });
        expect(harness.payments.all()).toEqual([]);
      },
    );

    it.each(['GBP', 'usd', 'XTS', 42])(
      'refuses the currency %p with UNSUPPORTED_CURRENCY and stores nothing',
      async (currency) => {
        // Arrange
        const harness = setup();

        // Act
        const error = await failureOf(
          requestPayment(paymentCommand({ amount: { value: 1_000, currency } }), harness.deps),
        );

        // Assert
        expect(error).toMatchObject({ code: 'UNSUPPORTED_CURRENCY' });
        expect(harness.payments.all()).toEqual([]);
      },
    );
  });

  describe('when the payment is by card', () => {
    it('authorizes without reserving anything in the wallet', async () => {
      // Arrange
      const harness = setup();

      // Act
      const payment = await requestPayment(
        paymentCommand({ paymentMethod: { type: 'card', id: 'pm_card_visa' } }),
        harness.deps,
      );

      // Assert
      expect(payment).toMatchObject({
        state: 'Authorized',
        paymentMethod: { type: 'card', id: 'pm_card_visa' },
      });
      expect(await harness.ledger.transfer(paymentTransferIds.hold(payment.paymentId))).toBeUndefined();
      expect(harness.ledger.allAccounts()).toEqual([]);
      expect(harness.workflows.starts).toHaveLength(1);
    });

    it("records the payer's customer and the card attached to it, and the charge names both", async () => {
      // Arrange
      const harness = setup();

      // Act
      const payment = await harness.pay({ paymentMethod: { type: 'card', id: CARD } });

      // Assert
      expect(payment).toMatchObject({ state: 'Completed', customerId: 'cus_1', cardId: CARD });
      expect(harness.provider.charges().map((call) => call.input)).toEqual([
        expect.objectContaining({ paymentMethodId: CARD, customerId: 'cus_1' }),
      ]);
      // Reconciliation asks for exactly the same charge, so the provider answers it with the first.
      expect(paymentCharge(payment, CARD)).toEqual(harness.provider.charges()[0]?.input);
    });

    it("refuses another user's card exactly as an unknown card, storing, holding and charging nothing", async () => {
      // Arrange
      const harness = setup();
      harness.provider.card(OWNED_CARD, 'succeeded');
      await harness.pay({ paymentMethod: { type: 'card', id: OWNED_CARD } });
      const before = harness.payments.all().length;

      // Act
      const stolen = await failureOf(
        requestPayment(
          paymentCommand({ userId: STRANGER, paymentMethod: { type: 'card', id: OWNED_CARD } }),
          harness.deps,
        ),
      );
      const unknown = await failureOf(
        requestPayment(
          paymentCommand({
            userId: STRANGER,
            idempotencyKey: 'key-2',
            paymentMethod: { type: 'card', id: 'pm_nope' },
          }),
          harness.deps,
        ),
      );

      // Assert
      expect(stolen).toMatchObject({ code: 'VALIDATION_ERROR' });
      expect(stolen).toEqual(unknown);
      expect(harness.payments.all()).toHaveLength(before);
      expect(harness.provider.charges()).toHaveLength(1);
      expect(harness.workflows.starts).toHaveLength(1);
    });

    it('lets the owner pay again with the card attached to their customer', async () => {
      // Arrange
      const harness = setup();
      harness.provider.card(OWNED_CARD, 'succeeded');
      await harness.pay({ paymentMethod: { type: 'card', id: OWNED_CARD } });

      // Act
      const again = await harness.pay({
        idempotencyKey: 'key-2',
        paymentMethod: { type: 'card', id: OWNED_CARD },
      });

      // Assert
      expect(again).toMatchObject({ state: 'Completed', customerId: 'cus_1', cardId: OWNED_CARD });
    });

    it('asks nothing of the card processor for a wallet payment', async () => {
      // Arrange
      const harness = setup();
      await fundedWallet(harness, 10_000);

      // Act
      const payment = await requestPayment(paymentCommand(), harness.deps);

      // Assert
      expect(payment.customerId).toBeUndefined();
      expect(harness.provider.calls).toEqual([]);
    });
  });

  describe('when the payment names a room', () => {
    it('accepts a room the payer has joined and keeps it on the payment', async () => {
      // Arrange
      const harness = setup();
      await fundedWallet(harness);

      // Act
      const payment = await harness.request({ roomId: ROOM });

      // Assert
      expect(payment).toMatchObject({ state: 'Completed', roomId: ROOM });
    });

    it.each([
      ['a room the payer is not in', '!elsewhere:tween.example', USER],
      ['a room only others are in', ROOM, STRANGER],
    ])(
      'refuses %s with NOT_ROOM_MEMBER (403) and stores, reserves and starts nothing',
      async (_what, roomId, userId) => {
        // Arrange
        const harness = setup();
        const wallet = await fundedWallet(harness, 10_000, 'USD', userId);

        // Act
        const error = await failureOf(requestPayment(paymentCommand({ userId, roomId }), harness.deps));

        // Assert
        expect(error).toMatchObject({ code: 'NOT_ROOM_MEMBER' });
        expect(statusOf.NOT_ROOM_MEMBER).toBe(403);
        expect(harness.payments.all()).toEqual([]);
        expect(await availableIn(harness.ledger, wallet)).toBe(10_000);
        expect(harness.workflows.starts).toEqual([]);
      },
    );
  });
});
