import { InvalidStateTransitionError } from '../../domain/errors.js';
import type { Payment } from '../../domain/payment.js';
import { applyPaymentOutcome } from './apply-provider-outcome.js';
import type { LifecycleDeps } from './lifecycle.js';
import { paymentOf } from './queries.js';

/**
 * 1. Only the payer; only before anything happened (the protocol allows cancel from Initiated alone).
 * 2. Initiated → Failed, recorded as cancelled.
 */
export async function cancelPayment(
  callerId: string,
  paymentId: string,
  deps: LifecycleDeps,
): Promise<Payment> {
  const payment = await paymentOf(callerId, paymentId, deps.payments);
  return deps.payments.transition(paymentId, {
    from: payment.state,
    event: 'cancel',
    actor: callerId,
    at: deps.clock.now().toISOString(),
    set: { failureCode: 'cancelled' },
  });
}

/**
 * Continue a payment the client drives:
 * - after MFA: MFA_Verified → Authorized, and the waiting lifecycle is resumed;
 * - after 3-D Secure: the provider is asked for the truth and it is applied as the webhook would apply it
 *   (applyPaymentOutcome): a succeeded charge completes the payment and resumes the lifecycle, a failed one
 *   fails it; still pending changes nothing;
 * - a payment already past that point is answered as it is (the call is safe to repeat).
 */
export async function authorizePayment(
  callerId: string,
  paymentId: string,
  deps: LifecycleDeps,
): Promise<Payment> {
  let payment = await paymentOf(callerId, paymentId, deps.payments);
  const at = () => deps.clock.now().toISOString();

  if (payment.state === 'MFA_Verified') {
    payment = await deps.payments.transition(paymentId, {
      from: 'MFA_Verified',
      event: 'authorized',
      actor: callerId,
      at: at(),
    });
    if (payment.taskToken !== undefined)
      await deps.workflows.resume(payment.taskToken, { state: payment.state });
    return payment;
  }
  if (payment.state === 'Processing' && payment.providerPaymentId !== undefined) {
    const charge = await deps.provider.retrievePayment(payment.providerPaymentId);
    return (await applyPaymentOutcome(paymentId, charge, deps)).payment;
  }
  if (['Authorized', 'Processing', 'Completed', 'Refunded'].includes(payment.state)) return payment;
  throw new InvalidStateTransitionError(payment.state, 'authorized');
}
