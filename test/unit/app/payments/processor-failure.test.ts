/**
 * The lifecycle's ProcessorFailed state (failPayment with `processor_error`) after the processor never
 * answered a card charge: the charge may have been made all the same, so the payment is left waiting for the
 * provider's word (webhook, reconciliation) instead of failing with the payer possibly charged.
 */
import { jest } from '@jest/globals';
import { failPayment, PROCESSOR_FAILURE, processPayment } from '../../../../shared/app/payments/lifecycle.js';
import { ProcessorError, ProviderStateConflictError } from '../../../../shared/domain/provider-errors.js';
import { CARD, fundedWallet, setup, stored } from './harness.js';

describe('Use case: failPayment', () => {
  describe('when the processor never answered a card payment', () => {
    it('answers waiting_for_provider and leaves the payment Processing', async () => {
      // Arrange
      const harness = setup();
      harness.provider.card(CARD, 'processor_down');
      const payment = await harness.request({ paymentMethod: { type: 'card', id: CARD } });
      await expect(processPayment(payment.paymentId, harness.deps)).rejects.toBeInstanceOf(ProcessorError);

      // Act
      const outcome = await failPayment(payment.paymentId, PROCESSOR_FAILURE, harness.deps);

      // Assert
      expect(outcome).toEqual({ status: 'waiting_for_provider' });
      expect(stored(harness, payment.paymentId)).toMatchObject({ state: 'Processing' });
    });

    it('still fails it when the provider wait has run out', async () => {
      // Arrange
      const harness = setup();
      harness.provider.card(CARD, 'processor_down');
      const payment = await harness.request({ paymentMethod: { type: 'card', id: CARD } });
      await expect(processPayment(payment.paymentId, harness.deps)).rejects.toBeInstanceOf(ProcessorError);

      // Act
      const outcome = await failPayment(payment.paymentId, 'provider_timeout', harness.deps);

      // Assert
      expect(outcome).toMatchObject({ status: 'failed' });
      expect(stored(harness, payment.paymentId)).toMatchObject({
        state: 'Failed',
        failureCode: 'provider_timeout',
      });
    });
  });

  describe('when a wallet payment could not be processed', () => {
    it('fails it and gives the hold back, as nothing outside the ledger can have moved', async () => {
      // Arrange
      const harness = setup();
      await fundedWallet(harness);
      const payment = await harness.authorizeHeld();
      await harness.payments.transition(payment.paymentId, {
        from: 'Authorized',
        event: 'process',
        actor: 'system',
        at: payment.createdAt,
      });

      // Act
      const outcome = await failPayment(payment.paymentId, PROCESSOR_FAILURE, harness.deps);

      // Assert
      expect(outcome).toMatchObject({ status: 'failed' });
      expect(stored(harness, payment.paymentId)).toMatchObject({
        state: 'Failed',
        failureCode: 'processor_error',
      });
    });
  });
});

describe('Use case: failPayment when the provider wait runs out', () => {
  /** A card payment left on the 3-D Secure step: the provider holds it open, the payer could still finish. */
  async function waitingOn3ds() {
    const harness = setup();
    harness.provider.card(CARD, 'requires_action');
    const payment = await harness.request({ paymentMethod: { type: 'card', id: CARD } });
    await expect(processPayment(payment.paymentId, harness.deps)).resolves.toEqual({
      status: 'waiting_for_provider',
    });
    const providerPaymentId = stored(harness, payment.paymentId).providerPaymentId ?? '';
    return { harness, paymentId: payment.paymentId, providerPaymentId };
  }

  it('cancels the payment at the provider before failing it, so a late 3-D Secure cannot charge the payer', async () => {
    // Arrange
    const { harness, paymentId, providerPaymentId } = await waitingOn3ds();

    // Act
    const outcome = await failPayment(paymentId, 'provider_timeout', harness.deps);

    // Assert
    expect(outcome).toMatchObject({ status: 'failed' });
    expect(stored(harness, paymentId)).toMatchObject({ state: 'Failed', failureCode: 'provider_timeout' });
    expect(harness.provider.calls).toContainEqual({
      method: 'cancelPayment',
      paymentId: providerPaymentId,
      idempotencyKey: `${paymentId}:cancel`,
    });
    await expect(harness.provider.retrievePayment(providerPaymentId)).resolves.toMatchObject({
      status: 'canceled',
    });
  });

  it('completes it instead when the payer finished at the provider just before the wait ran out', async () => {
    // Arrange
    const { harness, paymentId, providerPaymentId } = await waitingOn3ds();
    harness.provider.settle(providerPaymentId);

    // Act
    const outcome = await failPayment(paymentId, 'provider_timeout', harness.deps);

    // Assert
    expect(outcome).toMatchObject({ status: 'completed' });
    expect(stored(harness, paymentId)).toMatchObject({ state: 'Completed', providerPaymentId });
  });

  it('is safe to run again after the cancellation: one cancel at the provider, still Failed', async () => {
    // Arrange
    const { harness, paymentId } = await waitingOn3ds();
    await failPayment(paymentId, 'provider_timeout', harness.deps);

    // Act
    const again = await failPayment(paymentId, 'provider_timeout', harness.deps);

    // Assert
    expect(again).toMatchObject({ status: 'failed' });
    expect(harness.provider.calls.filter((call) => call.method === 'cancelPayment')).toHaveLength(1);
  });

  it('leaves the payment Processing when the provider cannot be reached to cancel it (the lifecycle retries)', async () => {
    // Arrange
    const { harness, paymentId } = await waitingOn3ds();
    jest.spyOn(harness.provider, 'cancelPayment').mockRejectedValue(new ProcessorError());

    // Act
    const failure = failPayment(paymentId, 'provider_timeout', harness.deps);

    // Assert
    await expect(failure).rejects.toBeInstanceOf(ProcessorError);
    expect(stored(harness, paymentId)).toMatchObject({ state: 'Processing' });
  });

  it('leaves a payment the provider is still processing and will not cancel to the retries and reconciliation', async () => {
    // Arrange
    const harness = setup();
    harness.provider.card(CARD, 'processing');
    const payment = await harness.request({ paymentMethod: { type: 'card', id: CARD } });
    await processPayment(payment.paymentId, harness.deps);
    jest
      .spyOn(harness.provider, 'cancelPayment')
      .mockRejectedValue(new ProviderStateConflictError('processing'));

    // Act
    const failure = failPayment(payment.paymentId, 'provider_timeout', harness.deps);

    // Assert
    await expect(failure).rejects.toBeInstanceOf(ProviderStateConflictError);
    expect(stored(harness, payment.paymentId)).toMatchObject({ state: 'Processing' });
  });
});
