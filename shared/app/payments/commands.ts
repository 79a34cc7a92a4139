import { InvalidStateTransitionError } from '../../domain/errors.js';
import { type Payment, type PaymentState, releaseOf } from '../../domain/payment.js';
import { applyPaymentOutcome } from './apply-provider-outcome.js';
import { type LifecycleDeps, PAYMENT_CANCELLED_ERROR } from './lifecycle.js';
import { paymentOf } from './queries.js';

/** The states a payer may cancel from: everything before Processing (API.md). */
const CANCELLABLE: readonly PaymentState[] = [
  'Initiated',
  'Validating',
  'MFA_Required',
  'MFA_Challenge',
  'MFA_Failed',
  'MFA_Verified',
  'Authorized',
];
/** How often a cancel tries again while the payment only moves between cancellable states under it. */
const CANCEL_ROUNDS = 5;
const CANCELLED = 'cancelled';

/**
 * 1. Only the payer; only before Processing (409 from then on).
 * 2. → Failed, recorded as cancelled, with the wallet hold released in the same transaction and the
 *    lifecycle's task token taken. The write is conditional on the state as read: the lifecycle's
 *    processing, an MFA verify or another cancel that gets there first wins, and a cancel that finds the
 *    payment past Processing answers 409.
 * 3. The lifecycle waiting on the payer is failed (PaymentCancelled), so its execution stops waiting.
 */
export async function cancelPayment(
  callerId: string,
  paymentId: string,
  deps: LifecycleDeps,
): Promise<Payment> {
  for (let round = 0; ; round += 1) {
    const payment = await paymentOf(callerId, paymentId, deps.payments);
    if (!CANCELLABLE.includes(payment.state)) throw new InvalidStateTransitionError(payment.state, 'cancel');
    const release = releaseOf(payment);
    try {
      const { takenTaskToken, ...cancelled } = await deps.payments.transition(paymentId, {
        from: payment.state,
        event: 'cancel',
        actor: callerId,
        at: deps.clock.now().toISOString(),
        set: { failureCode: CANCELLED },
        ...(release === undefined ? {} : { ledger: release }),
        takeTaskToken: true,
      });
      if (takenTaskToken !== undefined)
        await deps.workflows.fail(takenTaskToken, PAYMENT_CANCELLED_ERROR, CANCELLED);
      return cancelled;
    } catch (error) {
      // Moved under us: read it again; past Processing by now, that read answers 409.
      if (!(error instanceof InvalidStateTransitionError) || round + 1 >= CANCEL_ROUNDS) throw error;
    }
  }
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
  const payment = await paymentOf(callerId, paymentId, deps.payments);
  const at = () => deps.clock.now().toISOString();

  if (payment.state === 'MFA_Verified') {
    const { takenTaskToken, ...authorized } = await deps.payments.transition(paymentId, {
      from: 'MFA_Verified',
      event: 'authorized',
      actor: callerId,
      at: at(),
      takeTaskToken: true,
    });
    if (takenTaskToken !== undefined)
      await deps.workflows.resume(takenTaskToken, { state: authorized.state });
    return authorized;
  }
  if (payment.state === 'Processing' && payment.providerPaymentId !== undefined) {
    const charge = await deps.provider.retrievePayment(payment.providerPaymentId);
    return (await applyPaymentOutcome(paymentId, charge, deps)).payment;
  }
  if (['Authorized', 'Processing', 'Completed', 'Refunded'].includes(payment.state)) return payment;
  throw new InvalidStateTransitionError(payment.state, 'authorized');
}
