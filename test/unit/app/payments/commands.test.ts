import { authorizePayment, cancelPayment } from '../../../../shared/app/payments/commands.js';
import {
  awaitOutcome,
  type LifecycleDeps,
  PAYMENT_CANCELLED_ERROR,
  PAYMENT_DECLINED_ERROR,
  processPayment,
} from '../../../../shared/app/payments/lifecycle.js';
import { paymentOf } from '../../../../shared/app/payments/queries.js';
import { checkLedgerInvariant } from '../../../../shared/domain/ledger.js';
import type { Payment, PaymentState } from '../../../../shared/domain/payment.js';
import { statusOf } from '../../../../shared/http/errors.js';
import type { CardOutcome } from '../../../support/fakes/payment-provider.js';
import {
  APP,
  availableIn,
  CARD,
  completedWalletPayment,
  failureOf,
  fundedWallet,
  type Harness,
  NOW,
  STRANGER,
  setup,
  stored,
  TOKEN,
  USER,
} from './harness.js';

/** A payment recorded Initiated, as a request interrupted right after its first write leaves it. */
async function initiatedPayment({ payments }: Harness): Promise<Payment> {
  return payments.create({
    paymentId: 'pay_initiated',
    userId: USER,
    appId: APP,
    amount: { value: 1_000, currency: 'USD' },
    paymentMethod: { type: 'wallet' },
    description: 'Sticker pack',
    metadata: {},
    state: 'Initiated',
    mfaRequired: false,
    refundedAmount: 0,
    history: [{ state: 'Initiated', event: 'created', at: NOW, actor: USER }],
    createdAt: NOW,
    updatedAt: NOW,
  });
}

/** A wallet payment Authorized with its hold, after its second factor (below the threshold one completes at once). */
async function authorizedPayment(harness: Harness): Promise<Payment> {
  await fundedWallet(harness);
  return harness.authorizeHeld();
}

async function mfaRequiredPayment(harness: Harness): Promise<Payment> {
  await fundedWallet(harness);
  return harness.request({ amount: { value: 6_000, currency: 'USD' } });
}

/** A wallet payment whose payer has just verified the second factor, the lifecycle waiting on TOKEN. */
async function verifiedPayment(harness: Harness): Promise<Payment> {
  await fundedWallet(harness);
  const requested = await harness.request({ amount: { value: 6_000, currency: 'USD' } });
  await awaitOutcome(requested.paymentId, 'mfa', TOKEN, harness.deps);
  const base = { actor: USER, at: NOW };
  await harness.payments.transition(requested.paymentId, {
    ...base,
    from: 'MFA_Required',
    event: 'challenge_sent',
  });
  return harness.payments.transition(requested.paymentId, {
    ...base,
    from: 'MFA_Challenge',
    event: 'mfa_verified',
  });
}

/** A card payment waiting for the provider (3-D Secure), the lifecycle waiting on TOKEN. */
async function cardPaymentAwaitingProvider(harness: Harness, outcome: CardOutcome = 'requires_action') {
  harness.provider.card(CARD, outcome);
  const requested = await harness.request({ paymentMethod: { type: 'card', id: CARD } });
  await processPayment(requested.paymentId, harness.deps);
  await awaitOutcome(requested.paymentId, 'provider', TOKEN, harness.deps);
  return paymentOf(USER, requested.paymentId, harness.payments);
}

async function completedPayment(harness: Harness): Promise<Payment> {
  return (await completedWalletPayment(harness)).payment;
}

describe('Use case: cancelPayment', () => {
  describe('when the payment is Initiated', () => {
    it('fails it as cancelled, recorded by the payer', async () => {
      // Arrange
      const harness = setup();
      const payment = await initiatedPayment(harness);

      // Act
      const cancelled = await cancelPayment(USER, payment.paymentId, harness.deps);

      // Assert
      expect(cancelled).toMatchObject({ state: 'Failed', failureCode: 'cancelled' });
      expect(cancelled.history.at(-1)).toEqual({ state: 'Failed', event: 'cancel', at: NOW, actor: USER });
      expect(stored(harness, payment.paymentId)).toEqual(cancelled);
    });
  });

  describe('when the payment has not reached Processing', () => {
    it.each<[PaymentState, (harness: Harness) => Promise<Payment>]>([
      ['Authorized', authorizedPayment],
      ['MFA_Required', mfaRequiredPayment],
      ['MFA_Verified', verifiedPayment],
    ])('cancels a wallet payment in %s and releases its hold in the same write', async (state, arrange) => {
      // Arrange
      const harness = setup();
      const wallet = await fundedWallet(harness);
      const payment = await arrange(harness);
      const before = stored(harness, payment.paymentId);

      // Act
      const cancelled = await cancelPayment(USER, payment.paymentId, harness.deps);

      // Assert
      expect(before.state).toBe(state);
      expect(cancelled).toMatchObject({ state: 'Failed', failureCode: 'cancelled' });
      expect(cancelled.history.at(-1)).toMatchObject({ state: 'Failed', event: 'cancel', actor: USER });
      expect(stored(harness, payment.paymentId)).toEqual(cancelled);
      expect(await harness.ledger.transfer(`payment:${payment.paymentId}:hold`)).toMatchObject({
        state: 'voided',
      });
      expect(await availableIn(harness.ledger, wallet)).toBe(10_000);
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });

    it('fails the lifecycle waiting on the payer (PaymentCancelled) and takes its task token', async () => {
      // Arrange
      const harness = setup();
      const payment = await mfaRequiredPayment(harness);
      await awaitOutcome(payment.paymentId, 'mfa', TOKEN, harness.deps);

      // Act
      const cancelled = await cancelPayment(USER, payment.paymentId, harness.deps);

      // Assert
      expect(harness.workflows.failures).toEqual([
        { taskToken: TOKEN, error: PAYMENT_CANCELLED_ERROR, cause: 'cancelled', accepted: true },
      ]);
      expect(cancelled.taskToken).toBeUndefined();
      expect(stored(harness, payment.paymentId).taskToken).toBeUndefined();
    });

    it('answers 409 to a second cancel and releases nothing twice', async () => {
      // Arrange
      const harness = setup();
      const wallet = await fundedWallet(harness);
      const payment = await mfaRequiredPayment(harness);
      await cancelPayment(USER, payment.paymentId, harness.deps);

      // Act
      const error = await failureOf(cancelPayment(USER, payment.paymentId, harness.deps));

      // Assert
      expect(error).toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
      expect(await availableIn(harness.ledger, wallet)).toBe(10_000);
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });
  });

  describe('when the payment has reached Processing', () => {
    it.each<[string, (harness: Harness) => Promise<Payment>]>([
      ['Processing', (harness) => cardPaymentAwaitingProvider(harness)],
      ['Completed', completedPayment],
    ])(
      'refuses with INVALID_STATE_TRANSITION (409) and changes nothing when the payment is %s',
      async (state, arrange) => {
        // Arrange
        const harness = setup();
        const payment = await arrange(harness);
        const before = stored(harness, payment.paymentId);

        // Act
        const error = await failureOf(cancelPayment(USER, payment.paymentId, harness.deps));

        // Assert
        expect(before.state).toBe(state);
        expect(error).toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
        expect(statusOf.INVALID_STATE_TRANSITION).toBe(409);
        expect(stored(harness, payment.paymentId)).toEqual(before);
      },
    );
  });
});

describe('Use case: authorizePayment', () => {
  describe('when the payer verified the second factor', () => {
    it('authorizes the payment and resumes the waiting lifecycle', async () => {
      // Arrange
      const harness = setup();
      const payment = await verifiedPayment(harness);

      // Act
      const authorized = await authorizePayment(USER, payment.paymentId, harness.deps);

      // Assert
      expect(authorized).toMatchObject({ state: 'Authorized' });
      expect(stored(harness, payment.paymentId).taskToken).toBeUndefined();
      expect(authorized.history.at(-1)).toMatchObject({ event: 'authorized', actor: USER });
      expect(harness.workflows.resumes).toEqual([
        { taskToken: TOKEN, output: { state: 'Authorized' }, accepted: true },
      ]);
    });

    it('answers a repeated call with the payment as it is and resumes nothing more', async () => {
      // Arrange
      const harness = setup();
      const payment = await verifiedPayment(harness);
      const first = await authorizePayment(USER, payment.paymentId, harness.deps);

      // Act
      const second = await authorizePayment(USER, payment.paymentId, harness.deps);

      // Assert
      expect(second).toEqual(first);
      expect(harness.workflows.resumes).toHaveLength(1);
    });
  });

  describe('when the card payment waits for the provider', () => {
    it('completes the payment and resumes the lifecycle when the provider says it succeeded', async () => {
      // Arrange
      const harness = setup();
      const payment = await cardPaymentAwaitingProvider(harness);
      harness.provider.settle('pi_1');

      // Act
      const authorized = await authorizePayment(USER, payment.paymentId, harness.deps);

      // Assert
      expect(authorized).toMatchObject({ state: 'Completed', completedAt: NOW, providerPaymentId: 'pi_1' });
      expect(authorized.history.at(-1)).toMatchObject({ event: 'completed', actor: 'provider' });
      expect(harness.provider.calls).toContainEqual({ method: 'retrievePayment', paymentId: 'pi_1' });
      expect(harness.workflows.resumes).toEqual([
        { taskToken: TOKEN, output: { state: 'Completed' }, accepted: true },
      ]);
    });

    it('fails the payment and the lifecycle task when the provider canceled it', async () => {
      // Arrange
      const harness = setup();
      const payment = await cardPaymentAwaitingProvider(harness);
      await harness.provider.cancelPayment('pi_1', 'cancel-1');

      // Act
      const authorized = await authorizePayment(USER, payment.paymentId, harness.deps);

      // Assert
      expect(authorized).toMatchObject({ state: 'Failed', failureCode: 'canceled' });
      expect(harness.workflows.failures).toEqual([
        { taskToken: TOKEN, error: PAYMENT_DECLINED_ERROR, cause: 'canceled', accepted: true },
      ]);
      expect(PAYMENT_DECLINED_ERROR).toBe('PaymentDeclined');
      expect(harness.workflows.resumes).toEqual([]);
    });

    it('changes nothing while the provider still waits for the payer', async () => {
      // Arrange
      const harness = setup();
      const payment = await cardPaymentAwaitingProvider(harness);

      // Act
      const authorized = await authorizePayment(USER, payment.paymentId, harness.deps);

      // Assert
      expect(authorized).toEqual(payment);
      expect(stored(harness, payment.paymentId)).toEqual(payment);
      expect(harness.workflows.resumes).toEqual([]);
      expect(harness.workflows.failures).toEqual([]);
    });
  });

  describe('when the payment is already past that point', () => {
    it.each<[string, (harness: Harness) => Promise<Payment>]>([
      ['Completed', completedPayment],
      ['Authorized', authorizedPayment],
    ])('answers the payment unchanged when it is %s', async (state, arrange) => {
      // Arrange
      const harness = setup();
      const payment = await arrange(harness);
      const before = stored(harness, payment.paymentId);

      // Act
      const authorized = await authorizePayment(USER, payment.paymentId, harness.deps);

      // Assert
      expect(authorized.state).toBe(state);
      expect(authorized).toEqual(before);
      expect(stored(harness, payment.paymentId)).toEqual(before);
      expect(harness.workflows.resumes).toEqual([]);
    });
  });

  describe('when the payment cannot be authorized', () => {
    it.each<[PaymentState, (harness: Harness) => Promise<Payment>]>([
      ['Initiated', initiatedPayment],
      ['MFA_Required', mfaRequiredPayment],
      [
        'Failed',
        async (harness) => {
          const payment = await initiatedPayment(harness);
          return cancelPayment(USER, payment.paymentId, harness.deps);
        },
      ],
    ])('refuses with INVALID_STATE_TRANSITION when the payment is %s', async (state, arrange) => {
      // Arrange
      const harness = setup();
      const payment = await arrange(harness);

      // Act
      const error = await failureOf(authorizePayment(USER, payment.paymentId, harness.deps));

      // Assert
      expect(payment.state).toBe(state);
      expect(error).toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
    });
  });
});

describe('Use cases: cancelPayment and authorizePayment', () => {
  describe('when the caller is not the payer', () => {
    it.each<[string, (deps: LifecycleDeps, paymentId: string) => Promise<unknown>]>([
      ['cancelPayment', (deps, paymentId) => cancelPayment(STRANGER, paymentId, deps)],
      ['authorizePayment', (deps, paymentId) => authorizePayment(STRANGER, paymentId, deps)],
    ])('%s answers NOT_FOUND (404) and changes nothing', async (_name, act) => {
      // Arrange
      const harness = setup();
      const payment = await initiatedPayment(harness);

      // Act
      const error = await failureOf(act(harness.deps, payment.paymentId));

      // Assert
      expect(error).toMatchObject({ code: 'NOT_FOUND', message: 'Payment was not found' });
      expect(statusOf.NOT_FOUND).toBe(404);
      expect(stored(harness, payment.paymentId)).toEqual(payment);
    });

    it.each<[string, (deps: LifecycleDeps, paymentId: string) => Promise<unknown>]>([
      ['cancelPayment', (deps, paymentId) => cancelPayment(USER, paymentId, deps)],
      ['authorizePayment', (deps, paymentId) => authorizePayment(USER, paymentId, deps)],
    ])('%s answers an unknown payment id exactly alike', async (_name, act) => {
      // Arrange
      const harness = setup();

      // Act
      const error = await failureOf(act(harness.deps, 'pay_unknown'));

      // Assert
      expect(error).toMatchObject({ code: 'NOT_FOUND', message: 'Payment was not found' });
    });
  });
});
