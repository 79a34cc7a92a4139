import {
  finishRefund,
  type RefundCommand,
  refundPayment,
} from '../../../../shared/app/payments/refund-payment.js';
import type { Wallet } from '../../../../shared/app/ports.js';
import { accounts, available, checkLedgerInvariant } from '../../../../shared/domain/ledger.js';
import { paymentTransferIds } from '../../../../shared/domain/payment.js';
import { statusOf } from '../../../../shared/http/errors.js';
import type { InMemoryLedger } from '../../../support/in-memory-ledger.js';
import {
  availableIn,
  CARD,
  completedWalletPayment,
  failureOf,
  fundedWallet,
  MERCHANT_PENDING_USD,
  STRANGER,
  setup,
  stored,
  USER,
} from './harness.js';

/** What every payment in this file pays: the amount of `harness.pay()`. */
const PAID = 1_000;
/** An ops user: only ops refund mini-app payments. */
const OPS = 'user_ops';

function command(paymentId: string, overrides: Partial<RefundCommand> = {}): RefundCommand {
  return { userId: OPS, roles: ['ops'], idempotencyKey: 'refund-key-1', paymentId, ...overrides };
}

/** What the wallet and the app can each spend, in USD. */
async function moneyOf(ledger: InMemoryLedger, wallet: Wallet) {
  const app = await ledger.account(MERCHANT_PENDING_USD.id);
  return { wallet: await availableIn(ledger, wallet), app: app === undefined ? 0 : available(app) };
}

describe('Use case: refundPayment', () => {
  describe('when the amount is omitted', () => {
    it('refunds everything paid to the wallet and marks the payment Refunded', async () => {
      // Arrange
      const harness = setup();
      const { wallet, payment } = await completedWalletPayment(harness);

      // Act
      const { refund, payment: after } = await refundPayment(
        command(payment.paymentId, { reason: 'requested_by_customer' }),
        harness.deps,
      );

      // Assert
      expect(refund).toMatchObject({
        paymentId: payment.paymentId,
        userId: USER,
        amount: PAID,
        currency: 'USD',
        status: 'succeeded',
        reason: 'requested_by_customer',
      });
      expect(after).toMatchObject({ state: 'Refunded', refundedAmount: PAID });
      expect(after.history.at(-1)).toMatchObject({ state: 'Refunded', event: 'refund', actor: OPS });
      expect(await moneyOf(harness.ledger, wallet)).toEqual({ wallet: 10_000, app: 0 });
      expect(await harness.ledger.transfer(paymentTransferIds.refund(refund.refundId))).toMatchObject({
        type: 'post',
        debitAccountId: MERCHANT_PENDING_USD.id,
        creditAccountId: accounts.wallet(wallet.walletId, 'USD').id,
        amount: PAID,
        code: 'refund',
        metadata: { paymentId: payment.paymentId, refundId: refund.refundId },
      });
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });
  });

  describe('when part is refunded, then the rest', () => {
    it('keeps the payment Completed after the part and marks it Refunded after the rest', async () => {
      // Arrange
      const harness = setup();
      const { wallet, payment } = await completedWalletPayment(harness);

      // Act
      const part = await refundPayment(command(payment.paymentId, { amount: 300 }), harness.deps);
      const rest = await refundPayment(
        command(payment.paymentId, { idempotencyKey: 'refund-key-2' }),
        harness.deps,
      );

      // Assert
      expect(part.payment).toMatchObject({ state: 'Completed', refundedAmount: 300 });
      expect(part.refund).toMatchObject({ amount: 300, status: 'succeeded' });
      expect(rest.refund).toMatchObject({ amount: 700, status: 'succeeded' });
      expect(rest.refund.refundId).not.toBe(part.refund.refundId);
      expect(rest.payment).toMatchObject({ state: 'Refunded', refundedAmount: PAID });
      expect(await moneyOf(harness.ledger, wallet)).toEqual({ wallet: 10_000, app: 0 });
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });
  });

  describe('when the amount is more than is left to refund', () => {
    it.each([PAID + 1, 2 * PAID])('refuses %p with INVALID_AMOUNT and moves nothing', async (amount) => {
      // Arrange
      const harness = setup();
      const { wallet, payment } = await completedWalletPayment(harness);

      // Act
      const error = await failureOf(refundPayment(command(payment.paymentId, { amount }), harness.deps));

      // Assert
      expect(error).toMatchObject({ code: 'INVALID_AMOUNT' });
      expect(statusOf.INVALID_AMOUNT).toBe(400);
      expect(stored(harness, payment.paymentId)).toMatchObject({
        state: 'Completed',
        refundedAmount: 0,
      });
      expect(harness.payments.refunds()).toEqual([]);
      expect(await moneyOf(harness.ledger, wallet)).toEqual({ wallet: 9_000, app: PAID });
    });

    it('refuses more than the rest after a partial refund', async () => {
      // Arrange
      const harness = setup();
      const { wallet, payment } = await completedWalletPayment(harness);
      await refundPayment(command(payment.paymentId, { amount: 600 }), harness.deps);

      // Act
      const error = await failureOf(
        refundPayment(
          command(payment.paymentId, { idempotencyKey: 'refund-key-2', amount: 401 }),
          harness.deps,
        ),
      );

      // Assert
      expect(error).toMatchObject({ code: 'INVALID_AMOUNT' });
      expect(stored(harness, payment.paymentId).refundedAmount).toBe(600);
      expect(await moneyOf(harness.ledger, wallet)).toEqual({ wallet: 9_600, app: 400 });
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });

    it.each([0, -5, 10.5])('refuses the amount %p with INVALID_AMOUNT', async (amount) => {
      // Arrange
      const harness = setup();
      const { payment } = await completedWalletPayment(harness);

      // Act
      const error = await failureOf(refundPayment(command(payment.paymentId, { amount }), harness.deps));

      // Assert
      expect(error).toMatchObject({ code: 'INVALID_AMOUNT' });
      expect(harness.payments.refunds()).toEqual([]);
    });
  });

  describe('when the request is retried with the same Idempotency-Key', () => {
    it('returns the same refund and moves the money once', async () => {
      // Arrange
      const harness = setup();
      const { wallet, payment } = await completedWalletPayment(harness);
      const first = await refundPayment(command(payment.paymentId, { amount: 400 }), harness.deps);

      // Act
      const second = await refundPayment(command(payment.paymentId, { amount: 400 }), harness.deps);

      // Assert
      expect(second.refund).toEqual(first.refund);
      expect(second.payment).toMatchObject({ state: 'Completed', refundedAmount: 400 });
      expect(harness.payments.refunds()).toHaveLength(1);
      expect(await moneyOf(harness.ledger, wallet)).toEqual({ wallet: 9_400, app: 600 });
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });

    it('moves the money once for a concurrent twin', async () => {
      // Arrange
      const harness = setup();
      const { wallet, payment } = await completedWalletPayment(harness);

      // Act
      const [first, second] = await Promise.all([
        refundPayment(command(payment.paymentId, { amount: 400 }), harness.deps),
        refundPayment(command(payment.paymentId, { amount: 400 }), harness.deps),
      ]);

      // Assert
      expect(second.refund.refundId).toBe(first.refund.refundId);
      expect(stored(harness, payment.paymentId).refundedAmount).toBe(400);
      expect(await moneyOf(harness.ledger, wallet)).toEqual({ wallet: 9_400, app: 600 });
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });

    it('finishes a partial refund interrupted after it was reserved', async () => {
      // Arrange
      const harness = setup();
      const { wallet, payment } = await completedWalletPayment(harness);
      const execute = harness.ledger.execute.bind(harness.ledger);
      let interrupted = false;
      harness.ledger.execute = async (transfer) => {
        if (!interrupted) {
          interrupted = true;
          throw new Error('Lambda timed out');
        }
        return execute(transfer);
      };
      await expect(refundPayment(command(payment.paymentId, { amount: 400 }), harness.deps)).rejects.toThrow(
        'Lambda timed out',
      );

      // Act
      const { refund, payment: after } = await refundPayment(
        command(payment.paymentId, { amount: 400 }),
        harness.deps,
      );

      // Assert
      expect(refund).toMatchObject({ amount: 400, status: 'succeeded' });
      expect(after.refundedAmount).toBe(400);
      expect(await moneyOf(harness.ledger, wallet)).toEqual({ wallet: 9_400, app: 600 });
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });
  });

  describe('when two refunds race for more than is left', () => {
    it('lets only the one that fits succeed', async () => {
      // Arrange
      const harness = setup();
      const { wallet, payment } = await completedWalletPayment(harness);

      // Act
      const results = await Promise.allSettled([
        refundPayment(command(payment.paymentId, { idempotencyKey: 'refund-a', amount: 700 }), harness.deps),
        refundPayment(command(payment.paymentId, { idempotencyKey: 'refund-b', amount: 700 }), harness.deps),
      ]);

      // Assert
      const fulfilled = results.filter((result) => result.status === 'fulfilled');
      const rejected = results.filter((result) => result.status === 'rejected');
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toEqual([
        { status: 'rejected', reason: expect.objectContaining({ code: 'INVALID_AMOUNT' }) },
      ]);
      expect(harness.payments.refunds()).toEqual([
        expect.objectContaining({ amount: 700, status: 'succeeded' }),
      ]);
      expect(stored(harness, payment.paymentId)).toMatchObject({
        state: 'Completed',
        refundedAmount: 700,
      });
      expect(await moneyOf(harness.ledger, wallet)).toEqual({ wallet: 9_700, app: 300 });
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });
  });

  describe('when the payment is not Completed', () => {
    it('refuses a Refunded payment with INVALID_STATE_TRANSITION (409)', async () => {
      // Arrange
      const harness = setup();
      const { wallet, payment } = await completedWalletPayment(harness);
      await refundPayment(command(payment.paymentId), harness.deps);

      // Act
      const error = await failureOf(
        refundPayment(
          command(payment.paymentId, { idempotencyKey: 'refund-key-2', amount: 1 }),
          harness.deps,
        ),
      );

      // Assert
      expect(error).toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
      expect(statusOf.INVALID_STATE_TRANSITION).toBe(409);
      expect(await moneyOf(harness.ledger, wallet)).toEqual({ wallet: 10_000, app: 0 });
    });

    it.each<[string, Partial<RefundCommand>]>([
      ['the whole amount', {}],
      ['a part', { amount: 100 }],
    ])(
      'refuses %s of an Authorized payment with INVALID_STATE_TRANSITION and moves nothing',
      async (_what, overrides) => {
        // Arrange
        const harness = setup();
        const wallet = await fundedWallet(harness);
        const payment = await harness.authorizeHeld();

        // Act
        const error = await failureOf(refundPayment(command(payment.paymentId, overrides), harness.deps));

        // Assert
        expect(payment.state).toBe('Authorized');
        expect(error).toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
        expect(harness.payments.refunds()).toEqual([]);
        expect(await moneyOf(harness.ledger, wallet)).toEqual({ wallet: 9_000, app: 0 });
      },
    );
  });

  describe('when the payment was by card', () => {
    it('refunds through the provider with the refund id as idempotency key, posting the app back to Stripe clearing', async () => {
      // Arrange
      const harness = setup();
      const payment = await harness.pay({ paymentMethod: { type: 'card', id: CARD } });

      // Act
      const { refund, payment: after } = await refundPayment(
        command(payment.paymentId, { amount: 250 }),
        harness.deps,
      );

      // Assert
      expect(harness.provider.calls.filter((call) => call.method === 'refund')).toEqual([
        { method: 'refund', idempotencyKey: refund.refundId, paymentId: 'pi_1', amount: 250 },
      ]);
      expect(refund).toMatchObject({ amount: 250, status: 'succeeded', providerRefundId: 're_2' });
      expect(after).toMatchObject({ state: 'Completed', refundedAmount: 250 });
      const clearing = await harness.ledger.account(accounts.providerClearing('stripe', 'USD').id);
      const app = await harness.ledger.account(MERCHANT_PENDING_USD.id);
      expect(clearing).toMatchObject({ debitsPosted: PAID, creditsPosted: 250 });
      expect(app).toMatchObject({ creditsPosted: PAID, debitsPosted: 250 });
      expect(harness.ledger.allAccounts().filter((a) => a.kind === 'user_wallet')).toEqual([]);
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });

    it("lists the card payment and its refund in the payer's history", async () => {
      // Arrange
      const harness = setup();
      const payment = await harness.pay({ paymentMethod: { type: 'card', id: CARD } });
      const { refund } = await refundPayment(command(payment.paymentId, { amount: 250 }), harness.deps);

      // Act
      const wallet = await harness.wallets.ensure(USER);
      const { entries } = await harness.ledger.history(wallet.walletId, { limit: 10 });

      // Assert
      expect(
        entries.map(({ transferId, code, direction, amount, status, metadata }) => ({
          transferId,
          code,
          direction,
          amount,
          status,
          method: metadata.method,
        })),
      ).toEqual([
        {
          transferId: paymentTransferIds.refund(refund.refundId),
          code: 'refund',
          direction: 'credit',
          amount: 250,
          status: 'posted',
          method: 'card',
        },
        {
          transferId: paymentTransferIds.capture(payment.paymentId),
          code: 'payment',
          direction: 'debit',
          amount: PAID,
          status: 'posted',
          method: 'card',
        },
      ]);
    });

    it('asks the provider once per refund id when retried', async () => {
      // Arrange
      const harness = setup();
      const payment = await harness.pay({ paymentMethod: { type: 'card', id: CARD } });
      const first = await refundPayment(command(payment.paymentId), harness.deps);

      // Act
      const second = await refundPayment(command(payment.paymentId, { amount: PAID }), harness.deps);

      // Assert
      expect(second.refund).toEqual(first.refund);
      expect(second.payment).toMatchObject({ state: 'Refunded', refundedAmount: PAID });
      expect(harness.provider.calls.filter((call) => call.method === 'refund')).toHaveLength(1);
    });
  });

  describe('when the provider leaves the card refund pending', () => {
    it('answers it pending with nothing posted, then succeeds it with the money and Refunded together', async () => {
      // Arrange
      const harness = setup();
      const payment = await harness.pay({ paymentMethod: { type: 'card', id: CARD } });
      harness.provider.refundsStartAs('pending');
      const appBefore = await harness.ledger.account(MERCHANT_PENDING_USD.id);

      // Act
      const pending = await refundPayment(command(payment.paymentId), harness.deps);
      const appWhilePending = await harness.ledger.account(MERCHANT_PENDING_USD.id);
      harness.provider.settleRefund(pending.refund.providerRefundId ?? '', 'succeeded');
      const done = await finishRefund(pending.payment, pending.refund, 'system', harness.deps);

      // Assert
      expect(pending.refund).toMatchObject({ status: 'pending', amount: PAID });
      expect(pending.payment).toMatchObject({ state: 'Completed', refundedAmount: PAID });
      expect(appWhilePending).toEqual(appBefore);
      expect(done.refund).toMatchObject({ status: 'succeeded' });
      expect(done.payment).toMatchObject({ state: 'Refunded', refundedAmount: PAID });
      expect(await harness.ledger.transfer(paymentTransferIds.refund(pending.refund.refundId))).toMatchObject(
        {
          debitAccountId: MERCHANT_PENDING_USD.id,
          creditAccountId: accounts.providerClearing('stripe', 'USD').id,
          amount: PAID,
        },
      );
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });

    it.each(['failed', 'canceled'] as const)(
      'puts the money back when the provider says %s: failed, refundable again, nothing posted',
      async (status) => {
        // Arrange
        const harness = setup();
        const payment = await harness.pay({ paymentMethod: { type: 'card', id: CARD } });
        harness.provider.refundsStartAs('pending');
        const pending = await refundPayment(command(payment.paymentId, { amount: 400 }), harness.deps);
        harness.provider.settleRefund(pending.refund.providerRefundId ?? '', status);

        // Act
        const failed = await finishRefund(pending.payment, pending.refund, 'system', harness.deps);
        const again = await finishRefund(failed.payment, pending.refund, 'system', harness.deps);
        harness.provider.refundsStartAs('succeeded');
        const retried = await refundPayment(
          command(payment.paymentId, { idempotencyKey: 'refund-key-2' }),
          harness.deps,
        );

        // Assert
        expect(failed.refund).toMatchObject({ status: 'failed' });
        expect(failed.payment).toMatchObject({ state: 'Completed', refundedAmount: 0 });
        expect(again.payment).toMatchObject({ refundedAmount: 0 });
        expect(
          await harness.ledger.transfer(paymentTransferIds.refund(pending.refund.refundId)),
        ).toBeUndefined();
        expect(retried.refund).toMatchObject({ amount: PAID, status: 'succeeded' });
        expect(retried.payment).toMatchObject({ state: 'Refunded', refundedAmount: PAID });
        expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
      },
    );
  });

  describe('when the caller does not have the ops role', () => {
    it.each([
      ['the payer', USER],
      ['another user', STRANGER],
    ])('refuses %s with FORBIDDEN (403) and moves nothing', async (_who, userId) => {
      // Arrange
      const harness = setup();
      const { wallet, payment } = await completedWalletPayment(harness);

      // Act
      const error = await failureOf(
        refundPayment(command(payment.paymentId, { userId, roles: [] }), harness.deps),
      );

      // Assert
      expect(error).toMatchObject({ code: 'FORBIDDEN' });
      expect(statusOf.FORBIDDEN).toBe(403);
      expect(harness.payments.refunds()).toEqual([]);
      expect(stored(harness, payment.paymentId)).toMatchObject({ state: 'Completed', refundedAmount: 0 });
      expect(await moneyOf(harness.ledger, wallet)).toEqual({ wallet: 9_000, app: PAID });
    });
  });

  describe('when the payment does not exist', () => {
    it('answers NOT_FOUND (404) to ops', async () => {
      // Arrange
      const harness = setup();

      // Act
      const error = await failureOf(refundPayment(command('pay_unknown'), harness.deps));

      // Assert
      expect(error).toMatchObject({ code: 'NOT_FOUND', message: 'Payment was not found' });
      expect(harness.payments.refunds()).toEqual([]);
    });
  });
});

describe('Use case: refundPayment (interruptions and races)', () => {
  it('finishes an interrupted full refund when it is retried with the same key', async () => {
    // Arrange
    const harness = setup();
    const { wallet, payment } = await completedWalletPayment(harness);
    const execute = harness.ledger.execute.bind(harness.ledger);
    let failOnce = true;
    harness.ledger.execute = async (transfer) => {
      if (failOnce) {
        failOnce = false;
        throw new Error('the connection dropped');
      }
      return execute(transfer);
    };
    await expect(refundPayment(command(payment.paymentId), harness.deps)).rejects.toThrow(
      'the connection dropped',
    );

    // Act
    const retry = await refundPayment(command(payment.paymentId), harness.deps);

    // Assert
    expect(retry.refund).toMatchObject({ status: 'succeeded', amount: PAID });
    expect(retry.payment.state).toBe('Refunded');
    expect(await moneyOf(harness.ledger, wallet)).toEqual({ wallet: 10_000, app: 0 });
  });

  it('answers both refunds when two of them complete the payment at once', async () => {
    // Arrange
    const harness = setup();
    const { payment } = await completedWalletPayment(harness);

    // Act
    const both = await Promise.all([
      refundPayment(command(payment.paymentId, { idempotencyKey: 'a', amount: 500 }), harness.deps),
      refundPayment(command(payment.paymentId, { idempotencyKey: 'b', amount: 500 }), harness.deps),
    ]);

    // Assert
    expect(both.map((r) => r.refund.status)).toEqual(['succeeded', 'succeeded']);
    expect(stored(harness, payment.paymentId).state).toBe('Refunded');
  });

  it('keeps refunds of two payments apart when the client reuses one key for both', async () => {
    // Arrange
    const harness = setup();
    const { payment: first } = await completedWalletPayment(harness);
    const second = await harness.pay({ idempotencyKey: 'pay-key-2' });

    // Act
    const a = await refundPayment(
      command(first.paymentId, { idempotencyKey: 'same', amount: 100 }),
      harness.deps,
    );
    const b = await refundPayment(
      command(second.paymentId, { idempotencyKey: 'same', amount: 200 }),
      harness.deps,
    );

    // Assert
    expect(a.refund.paymentId).toBe(first.paymentId);
    expect(b.refund.paymentId).toBe(second.paymentId);
    expect(stored(harness, second.paymentId).refundedAmount).toBe(200);
  });
});
