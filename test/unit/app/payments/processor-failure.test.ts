/**
 * The lifecycle's ProcessorFailed state (failPayment with `processor_error`) after the processor never
 * answered a card charge: the charge may have been made all the same, so the payment is left waiting for the
 * provider's word (webhook, reconciliation) instead of failing with the payer possibly charged.
 */
import { failPayment, PROCESSOR_FAILURE, processPayment } from '../../../../shared/app/payments/lifecycle.js';
import { ProcessorError } from '../../../../shared/domain/provider-errors.js';
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
      const payment = await harness.request({});
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
