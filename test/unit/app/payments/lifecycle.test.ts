import { paymentFailedDetail } from '../../../../shared/app/payments/events.js';
import {
  awaitOutcome,
  failPayment,
  MFA_FAILED_ERROR,
  PAYMENT_DECLINED_ERROR,
  processPayment,
} from '../../../../shared/app/payments/lifecycle.js';
import type { Wallet } from '../../../../shared/app/ports.js';
import { domainEventId, parseDomainEvent } from '../../../../shared/domain/events.js';
import { accounts, checkLedgerInvariant } from '../../../../shared/domain/ledger.js';
import { type Payment, paymentTransferIds } from '../../../../shared/domain/payment.js';
import { ProcessorError } from '../../../../shared/domain/provider-errors.js';
import type { CardOutcome } from '../../../support/fakes/payment-provider.js';
import type { InMemoryLedger } from '../../../support/in-memory-ledger.js';
import {
  APP,
  availableIn,
  CARD,
  fundedWallet,
  type Harness,
  MERCHANT_PENDING_USD,
  NOW,
  ROOM,
  setup,
  stored,
  TOKEN,
  USER,
} from './harness.js';

const LATER = '2026-03-01T12:00:05.000Z';

/** What the wallet can spend and what the app has received, in USD. */
async function balances(ledger: InMemoryLedger, wallet: Wallet) {
  const app = await ledger.account(MERCHANT_PENDING_USD.id);
  return { available: await availableIn(ledger, wallet), appReceived: app?.creditsPosted ?? 0 };
}

/**
 * An authorized wallet payment of 1000 with its hold (one that waited for MFA: a payment below the
 * threshold completes in its request), its wallet funded with 10000.
 */
async function authorizedWalletPayment(harness: Harness, roomId?: string) {
  const wallet = await fundedWallet(harness);
  const payment = await harness.authorizeHeld(roomId === undefined ? {} : { roomId });
  harness.clock.advance(5_000);
  return { wallet, payment };
}

async function authorizedCardPayment(harness: Harness, outcome: CardOutcome): Promise<Payment> {
  harness.provider.card(CARD, outcome);
  const payment = await harness.request({ paymentMethod: { type: 'card', id: CARD } });
  harness.clock.advance(5_000);
  return payment;
}

/** A wallet payment above the threshold, waiting for its second factor (challenge sent). */
async function paymentInChallenge(harness: Harness) {
  const wallet = await fundedWallet(harness);
  const requested = await harness.request({ amount: { value: 6_000, currency: 'USD' } });
  const payment = await harness.payments.transition(requested.paymentId, {
    from: 'MFA_Required',
    event: 'challenge_sent',
    actor: USER,
    at: NOW,
  });
  harness.clock.advance(5_000);
  return { wallet, payment };
}

describe('Use case: processPayment', () => {
  describe('when the payment is from the wallet', () => {
    it('posts the hold to the app and completes the payment', async () => {
      // Arrange
      const harness = setup();
      const { wallet, payment } = await authorizedWalletPayment(harness);

      // Act
      const outcome = await processPayment(payment.paymentId, harness.deps);

      // Assert
      expect(outcome.status).toBe('completed');
      expect(stored(harness, payment.paymentId)).toMatchObject({ state: 'Completed', completedAt: LATER });
      expect(stored(harness, payment.paymentId).history.map((entry) => entry.event)).toEqual([
        'created',
        'validate',
        'mfa_required',
        'challenge_sent',
        'mfa_verified',
        'authorized',
        'process',
        'completed',
      ]);
      expect(await harness.ledger.transfer(paymentTransferIds.capture(payment.paymentId))).toMatchObject({
        type: 'post_pending',
        pendingId: paymentTransferIds.hold(payment.paymentId),
        amount: 1_000,
      });
      expect(await harness.ledger.transfer(paymentTransferIds.hold(payment.paymentId))).toMatchObject({
        state: 'posted',
      });
      expect(await balances(harness.ledger, wallet)).toEqual({ available: 9_000, appReceived: 1_000 });
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });

    it('returns the payment.completed detail with its deterministic event id and room', async () => {
      // Arrange
      const harness = setup();
      const { payment } = await authorizedWalletPayment(harness, ROOM);

      // Act
      const outcome = await processPayment(payment.paymentId, harness.deps);

      // Assert
      expect(outcome).toEqual({
        status: 'completed',
        event: {
          eventId: `payment.completed:${payment.paymentId}`,
          occurredAt: LATER,
          paymentId: payment.paymentId,
          userId: USER,
          appId: APP,
          amount: { value: 1_000, currency: 'USD' },
          description: 'Sticker pack',
          completedAt: LATER,
          roomId: ROOM,
        },
      });
    });

    it('leaves roomId out of the event when the payment belongs to no room', async () => {
      // Arrange
      const harness = setup();
      const { payment } = await authorizedWalletPayment(harness);

      // Act
      const outcome = await processPayment(payment.paymentId, harness.deps);

      // Assert
      expect(outcome.status === 'completed' && 'roomId' in outcome.event).toBe(false);
    });

    it('answers a second run with the same outcome and captures once', async () => {
      // Arrange
      const harness = setup();
      const { wallet, payment } = await authorizedWalletPayment(harness, ROOM);
      const first = await processPayment(payment.paymentId, harness.deps);

      // Act
      const second = await processPayment(payment.paymentId, harness.deps);

      // Assert
      expect(second).toEqual(first);
      expect(await balances(harness.ledger, wallet)).toEqual({ available: 9_000, appReceived: 1_000 });
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });

    it('finishes a run interrupted after the capture without capturing again', async () => {
      // Arrange
      const harness = setup();
      const { wallet, payment } = await authorizedWalletPayment(harness);
      await harness.payments.transition(payment.paymentId, {
        from: 'Authorized',
        event: 'process',
        actor: 'system',
        at: NOW,
      });
      await harness.ledger.execute({
        type: 'post_pending',
        id: paymentTransferIds.capture(payment.paymentId),
        pendingId: paymentTransferIds.hold(payment.paymentId),
      });

      // Act
      const outcome = await processPayment(payment.paymentId, harness.deps);

      // Assert
      expect(outcome.status).toBe('completed');
      expect(stored(harness, payment.paymentId).state).toBe('Completed');
      expect(await balances(harness.ledger, wallet)).toEqual({ available: 9_000, appReceived: 1_000 });
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });
  });

  describe('when the payment is by card', () => {
    it('completes with the provider payment id when the charge succeeds', async () => {
      // Arrange
      const harness = setup();
      const payment = await authorizedCardPayment(harness, 'succeeded');

      // Act
      const outcome = await processPayment(payment.paymentId, harness.deps);

      // Assert
      expect(outcome.status).toBe('completed');
      expect(stored(harness, payment.paymentId)).toMatchObject({
        state: 'Completed',
        providerPaymentId: 'pi_1',
        completedAt: LATER,
      });
      expect(harness.provider.charges()).toEqual([
        expect.objectContaining({
          idempotencyKey: payment.paymentId,
          input: expect.objectContaining({ amount: 1_000, currency: 'USD', paymentMethodId: CARD }),
        }),
      ]);
      // The provider collected it: Stripe clearing paid the app, with Completed, once.
      expect(await harness.ledger.transfer(paymentTransferIds.capture(payment.paymentId))).toMatchObject({
        type: 'post',
        debitAccountId: accounts.providerClearing('stripe', 'USD').id,
        creditAccountId: MERCHANT_PENDING_USD.id,
        amount: 1_000,
        code: 'payment',
      });
      expect(harness.ledger.allAccounts().filter((a) => a.kind === 'user_wallet')).toEqual([]);
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });

    it('waits for the provider and keeps its payment id when the card requires action', async () => {
      // Arrange
      const harness = setup();
      const payment = await authorizedCardPayment(harness, 'requires_action');

      // Act
      const outcome = await processPayment(payment.paymentId, harness.deps);

      // Assert
      expect(outcome).toEqual({ status: 'waiting_for_provider' });
      expect(stored(harness, payment.paymentId)).toMatchObject({
        state: 'Processing',
        providerPaymentId: 'pi_1',
      });
    });

    it('fails the payment with the decline code when the card is declined', async () => {
      // Arrange
      const harness = setup();
      const payment = await authorizedCardPayment(harness, { decline: 'insufficient_funds' });

      // Act
      const outcome = await processPayment(payment.paymentId, harness.deps);

      // Assert
      expect(outcome).toEqual({
        status: 'failed',
        event: {
          eventId: `payment.failed:${payment.paymentId}`,
          occurredAt: LATER,
          paymentId: payment.paymentId,
          userId: USER,
          appId: APP,
          amount: { value: 1_000, currency: 'USD' },
          failureCode: 'insufficient_funds',
        },
      });
      expect(stored(harness, payment.paymentId)).toMatchObject({
        state: 'Failed',
        failureCode: 'insufficient_funds',
      });
    });

    it('builds a payment.failed detail that the domain event contract accepts', async () => {
      // Arrange: the payer as in production, a Matrix user id (the token's sub).
      const harness = setup();
      const payment = await authorizedCardPayment(harness, { decline: 'insufficient_funds' });
      await processPayment(payment.paymentId, harness.deps);
      const failed = { ...stored(harness, payment.paymentId), userId: '@alice:tween.example' };

      // Act
      const detail = paymentFailedDetail(failed);
      const event = parseDomainEvent('payment.failed', detail);

      // Assert
      expect(event).toEqual({ type: 'payment.failed', detail });
      expect(detail).toMatchObject({
        eventId: domainEventId('payment.failed', payment.paymentId),
        failureCode: 'insufficient_funds',
      });
    });

    it('fails the payment as expired_card when the card has expired', async () => {
      // Arrange
      const harness = setup();
      const payment = await authorizedCardPayment(harness, 'expired');

      // Act
      const outcome = await processPayment(payment.paymentId, harness.deps);

      // Assert
      expect(outcome.status).toBe('failed');
      expect(stored(harness, payment.paymentId)).toMatchObject({
        state: 'Failed',
        failureCode: 'expired_card',
      });
    });

    it('lets a processor outage propagate so that the lifecycle retries, and the retry charges once', async () => {
      // Arrange
      const harness = setup();
      const payment = await authorizedCardPayment(harness, 'processor_down');

      // Act
      const error = processPayment(payment.paymentId, harness.deps);

      // Assert
      await expect(error).rejects.toBeInstanceOf(ProcessorError);
      expect(stored(harness, payment.paymentId).state).toBe('Processing');
      harness.provider.card(CARD, 'succeeded');
      expect((await processPayment(payment.paymentId, harness.deps)).status).toBe('completed');
      expect(harness.provider.charges().every((charge) => charge.idempotencyKey === payment.paymentId)).toBe(
        true,
      );
      expect(stored(harness, payment.paymentId)).toMatchObject({
        state: 'Completed',
        providerPaymentId: 'pi_1',
      });
    });
  });

  describe('when the payment has already ended', () => {
    it('answers failed for a Failed payment and changes nothing', async () => {
      // Arrange
      const harness = setup();
      const payment = await authorizedCardPayment(harness, { decline: 'generic_decline' });
      await processPayment(payment.paymentId, harness.deps);
      const before = stored(harness, payment.paymentId);

      // Act
      const outcome = await processPayment(payment.paymentId, harness.deps);

      // Assert
      expect(outcome).toMatchObject({ status: 'failed', event: { failureCode: 'generic_decline' } });
      expect(stored(harness, payment.paymentId)).toEqual(before);
      expect(harness.provider.charges()).toHaveLength(1);
    });
  });

  describe('when the payer verified but nobody authorized the payment yet', () => {
    it('authorizes, captures the hold and completes it', async () => {
      // Arrange
      const harness = setup();
      const { wallet, payment } = await paymentInChallenge(harness);
      await harness.payments.transition(payment.paymentId, {
        from: 'MFA_Challenge',
        event: 'mfa_verified',
        actor: USER,
        at: NOW,
      });

      // Act
      const outcome = await processPayment(payment.paymentId, harness.deps);

      // Assert
      expect(outcome.status).toBe('completed');
      expect(
        stored(harness, payment.paymentId)
          .history.map((entry) => entry.event)
          .slice(-4),
      ).toEqual(['mfa_verified', 'authorized', 'process', 'completed']);
      expect(await balances(harness.ledger, wallet)).toEqual({ available: 4_000, appReceived: 6_000 });
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });
  });

  describe('when the payment still waits for its second factor', () => {
    it('refuses with INVALID_STATE_TRANSITION and moves no money', async () => {
      // Arrange
      const harness = setup();
      const { wallet, payment } = await paymentInChallenge(harness);

      // Act
      const run = processPayment(payment.paymentId, harness.deps);

      // Assert
      await expect(run).rejects.toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
      expect(await balances(harness.ledger, wallet)).toEqual({ available: 4_000, appReceived: 0 });
    });
  });
});

describe('Use case: failPayment', () => {
  describe('when the MFA window ran out before the payer asked for a challenge', () => {
    it('fails the payment and releases the wallet hold in the same step', async () => {
      // Arrange: above the threshold, so the payment waits in MFA_Required; nobody opens a challenge.
      const harness = setup();
      const wallet = await fundedWallet(harness);
      const payment = await harness.request({ amount: { value: 6_000, currency: 'USD' } });
      expect(payment.state).toBe('MFA_Required');

      // Act
      const outcome = await failPayment(payment.paymentId, 'mfa_timeout', harness.deps);

      // Assert
      expect(outcome).toMatchObject({ status: 'failed', event: { failureCode: 'mfa_timeout' } });
      expect(stored(harness, payment.paymentId)).toMatchObject({
        state: 'Failed',
        failureCode: 'mfa_timeout',
      });
      expect(await harness.ledger.transfer(paymentTransferIds.hold(payment.paymentId))).toMatchObject({
        state: 'voided',
      });
      expect(await balances(harness.ledger, wallet)).toEqual({ available: 10_000, appReceived: 0 });
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });
  });

  describe('when the second factor failed for good', () => {
    it('fails the payment and releases the wallet hold', async () => {
      // Arrange
      const harness = setup();
      const { wallet, payment } = await paymentInChallenge(harness);

      // Act
      const outcome = await failPayment(payment.paymentId, 'mfa_failed', harness.deps);

      // Assert
      expect(outcome).toMatchObject({
        status: 'failed',
        event: { eventId: `payment.failed:${payment.paymentId}`, failureCode: 'mfa_failed' },
      });
      expect(stored(harness, payment.paymentId)).toMatchObject({
        state: 'Failed',
        failureCode: 'mfa_failed',
      });
      expect(stored(harness, payment.paymentId).history.at(-1)).toMatchObject({
        state: 'Failed',
        event: 'max_retries',
        actor: 'system',
      });
      expect(await harness.ledger.transfer(paymentTransferIds.hold(payment.paymentId))).toMatchObject({
        state: 'voided',
      });
      expect(await balances(harness.ledger, wallet)).toEqual({ available: 10_000, appReceived: 0 });
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });

    it('releases the hold exactly once when it runs twice', async () => {
      // Arrange
      const harness = setup();
      const { wallet, payment } = await paymentInChallenge(harness);
      const first = await failPayment(payment.paymentId, 'mfa_timeout', harness.deps);

      // Act
      const second = await failPayment(payment.paymentId, 'mfa_timeout', harness.deps);

      // Assert
      expect(second).toEqual(first);
      expect(await harness.ledger.transfer(paymentTransferIds.release(payment.paymentId))).toMatchObject({
        type: 'void_pending',
        amount: 6_000,
      });
      expect(await balances(harness.ledger, wallet)).toEqual({ available: 10_000, appReceived: 0 });
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });
  });

  describe('when the card payment waits for the provider', () => {
    it('fails it as declined', async () => {
      // Arrange
      const harness = setup();
      const payment = await authorizedCardPayment(harness, 'requires_action');
      await processPayment(payment.paymentId, harness.deps);

      // Act
      const outcome = await failPayment(payment.paymentId, 'provider_timeout', harness.deps);

      // Assert
      expect(outcome).toMatchObject({ status: 'failed', event: { failureCode: 'provider_timeout' } });
      expect(stored(harness, payment.paymentId).history.at(-1)).toMatchObject({ event: 'declined' });
    });
  });

  describe('when the wait ended just as the payer verified', () => {
    it.each(['MFA_Verified', 'Authorized'] as const)(
      'answers proceed for a %s payment and keeps its hold',
      async (state) => {
        // Arrange
        const harness = setup();
        const { wallet, payment } = await paymentInChallenge(harness);
        const base = { actor: USER, at: NOW };
        await harness.payments.transition(payment.paymentId, {
          ...base,
          from: 'MFA_Challenge',
          event: 'mfa_verified',
        });
        if (state === 'Authorized') {
          await harness.payments.transition(payment.paymentId, {
            ...base,
            from: 'MFA_Verified',
            event: 'authorized',
          });
        }
        const before = stored(harness, payment.paymentId);

        // Act
        const outcome = await failPayment(payment.paymentId, 'mfa_timeout', harness.deps);

        // Assert
        expect(before.state).toBe(state);
        expect(outcome).toEqual({ status: 'proceed' });
        expect(stored(harness, payment.paymentId)).toEqual(before);
        expect(await balances(harness.ledger, wallet)).toEqual({ available: 4_000, appReceived: 0 });
        expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
      },
    );
  });

  describe('when the payment has completed', () => {
    it('answers completed and changes nothing', async () => {
      // Arrange
      const harness = setup();
      const { wallet, payment } = await authorizedWalletPayment(harness);
      await processPayment(payment.paymentId, harness.deps);
      const before = stored(harness, payment.paymentId);

      // Act
      const outcome = await failPayment(payment.paymentId, 'processor_error', harness.deps);

      // Assert
      expect(outcome).toMatchObject({ status: 'completed' });
      expect(stored(harness, payment.paymentId)).toEqual(before);
      expect(await balances(harness.ledger, wallet)).toEqual({ available: 9_000, appReceived: 1_000 });
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });
  });
});

describe('Use case: awaitOutcome', () => {
  describe('when the payment waits for its second factor', () => {
    it('stores the task token and answers nothing yet', async () => {
      // Arrange
      const harness = setup();
      await fundedWallet(harness);
      const payment = await harness.request({ amount: { value: 6_000, currency: 'USD' } });

      // Act
      await awaitOutcome(payment.paymentId, 'mfa', TOKEN, harness.deps);

      // Assert
      expect(stored(harness, payment.paymentId)).toMatchObject({ state: 'MFA_Required', taskToken: TOKEN });
      expect(harness.workflows.resumes).toEqual([]);
      expect(harness.workflows.failures).toEqual([]);
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });
  });

  describe('when the payer verified before the lifecycle began to wait', () => {
    it('resumes the task at once with the state', async () => {
      // Arrange
      const harness = setup();
      const { payment } = await authorizedWalletPayment(harness);

      // Act
      await awaitOutcome(payment.paymentId, 'mfa', TOKEN, harness.deps);

      // Assert
      expect(harness.workflows.resumes).toEqual([
        { taskToken: TOKEN, output: { state: 'Authorized' }, accepted: true },
      ]);
      expect(stored(harness, payment.paymentId).taskToken).toBeUndefined();
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });
  });

  describe('when the payment failed before the lifecycle began to wait', () => {
    it('fails the task with MfaFailed and the failure code', async () => {
      // Arrange
      const harness = setup();
      const { payment } = await paymentInChallenge(harness);
      await harness.payments.transition(payment.paymentId, {
        from: 'MFA_Challenge',
        event: 'max_retries',
        actor: USER,
        at: NOW,
        set: { failureCode: 'mfa_failed' },
      });

      // Act
      await awaitOutcome(payment.paymentId, 'mfa', TOKEN, harness.deps);

      // Assert
      expect(harness.workflows.failures).toEqual([
        { taskToken: TOKEN, error: MFA_FAILED_ERROR, cause: 'mfa_failed', accepted: true },
      ]);
      expect(MFA_FAILED_ERROR).toBe('MfaFailed');
      expect(harness.workflows.resumes).toEqual([]);
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });
  });

  describe('when the card payment waits for the provider', () => {
    it('stores the task token while Processing', async () => {
      // Arrange
      const harness = setup();
      const payment = await authorizedCardPayment(harness, 'requires_action');
      await processPayment(payment.paymentId, harness.deps);

      // Act
      await awaitOutcome(payment.paymentId, 'provider', TOKEN, harness.deps);

      // Assert
      expect(stored(harness, payment.paymentId)).toMatchObject({ state: 'Processing', taskToken: TOKEN });
      expect(harness.workflows.resumes).toEqual([]);
    });

    it('fails the task with PaymentDeclined when the provider already declined', async () => {
      // Arrange
      const harness = setup();
      const payment = await authorizedCardPayment(harness, 'requires_action');
      await processPayment(payment.paymentId, harness.deps);
      await failPayment(payment.paymentId, 'declined', harness.deps);

      // Act
      await awaitOutcome(payment.paymentId, 'provider', TOKEN, harness.deps);

      // Assert
      expect(harness.workflows.failures).toEqual([
        { taskToken: TOKEN, error: PAYMENT_DECLINED_ERROR, cause: 'declined', accepted: true },
      ]);
    });
  });
});
