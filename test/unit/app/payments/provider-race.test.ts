import { applyPaymentOutcome } from '../../../../shared/app/payments/apply-provider-outcome.js';
import { processPayment } from '../../../../shared/app/payments/lifecycle.js';
import type { PaymentProvider } from '../../../../shared/app/payments/ports.js';
import { PaymentDeclinedError } from '../../../../shared/domain/provider-errors.js';
import { CARD, setup, stored } from './harness.js';

/** The provider's webhook is applied while the lifecycle still waits for the charge's answer. */
function withEarlyWebhook(harness: ReturnType<typeof setup>): void {
  const provider = harness.provider;
  const createPayment = provider.createPayment.bind(provider);
  const webhook = async (paymentId: string, providerPaymentId: string) =>
    applyPaymentOutcome(paymentId, await provider.retrievePayment(providerPaymentId), harness.deps);
  provider.createPayment = async (input: Parameters<PaymentProvider['createPayment']>[0]) => {
    const paymentId = input.metadata?.paymentId ?? '';
    try {
      const charge = await createPayment(input);
      await webhook(paymentId, charge.id);
      return charge;
    } catch (error) {
      if (error instanceof PaymentDeclinedError && error.providerPaymentId !== undefined) {
        await webhook(paymentId, error.providerPaymentId);
      }
      throw error;
    }
  };
}

describe('Use case: processPayment, raced by the provider webhook', () => {
  it('answers completed, with one completion, when the webhook completed the card payment first', async () => {
    // Arrange
    const harness = setup();
    withEarlyWebhook(harness);
    const requested = await harness.request({ paymentMethod: { type: 'card', id: CARD } });

    // Act
    const outcome = await processPayment(requested.paymentId, harness.deps);

    // Assert
    expect(outcome.status).toBe('completed');
    const payment = stored(harness, requested.paymentId);
    expect(payment.history.filter((entry) => entry.event === 'completed')).toEqual([
      expect.objectContaining({ actor: 'provider' }),
    ]);
  });

  it('answers failed when the webhook failed the declined card payment first', async () => {
    // Arrange
    const harness = setup();
    harness.provider.card(CARD, { decline: 'generic_decline' });
    withEarlyWebhook(harness);
    const requested = await harness.request({ paymentMethod: { type: 'card', id: CARD } });

    // Act
    const outcome = await processPayment(requested.paymentId, harness.deps);

    // Assert
    expect(outcome.status).toBe('failed');
    expect(stored(harness, requested.paymentId).state).toBe('Failed');
  });
});
