import { InvalidStateTransitionError, NotFoundError } from '../../domain/errors.js';
import { captureOf, type Payment } from '../../domain/payment.js';
import { completionFields, type MerchantLedgerDeps, merchantChargeFor } from '../balance/charge.js';
import type { Clock } from '../ports.js';
import {
  type AppliedOutcome,
  outcomeOf,
  type ProviderOutcome,
  ProviderOutcomeConflictError,
} from '../provider-outcome.js';
import { PAYMENT_DECLINED_ERROR } from './lifecycle.js';
import type { PaymentRepository, ProviderPayment, Workflows } from './ports.js';

export interface ApplyOutcomeDeps {
  payments: PaymentRepository;
  workflows: Workflows;
  clock: Clock;
  merchantLedger?: MerchantLedgerDeps;
}

/** The authorize call and the webhook consumer may both apply the same outcome at the same moment. */
const MAX_ATTEMPTS = 3;

/**
 * Applies what the provider says of a card payment that waits on it, whoever asks (the payer's authorize
 * call, the provider's webhook), by the protocol's transitions:
 * 1. Succeeded: Processing → Completed, and the lifecycle waiting on the provider is resumed.
 * 2. Failed: Processing → Failed (declined, with the provider's reason), and the waiting task is failed.
 * 3. Requires action / processing: the payment already reads Processing; nothing changes.
 * A payment already past that point is left as it is; a final word contradicting ours is a conflict for ops.
 */
export async function applyPaymentOutcome(
  paymentId: string,
  charge: ProviderPayment,
  deps: ApplyOutcomeDeps,
): Promise<{ payment: Payment; applied: AppliedOutcome }> {
  const outcome = outcomeOf(charge);
  for (let attempt = 1; ; attempt += 1) {
    const payment = await deps.payments.get(paymentId);
    if (payment === undefined) throw new NotFoundError('Payment');
    try {
      return await applyOnce(payment, charge, outcome, deps);
    } catch (error) {
      // Moved by someone else meanwhile (the lifecycle, the other caller): read it again and decide afresh.
      if (!(error instanceof InvalidStateTransitionError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

async function applyOnce(
  payment: Payment,
  charge: ProviderPayment,
  outcome: ProviderOutcome,
  deps: ApplyOutcomeDeps,
): Promise<{ payment: Payment; applied: AppliedOutcome }> {
  const unchanged = { payment, applied: 'unchanged' as const };
  const settled = payment.state === 'Completed' || payment.state === 'Refunded';
  const at = deps.clock.now().toISOString();
  switch (outcome.kind) {
    case 'succeeded': {
      if (settled) return unchanged;
      if (payment.state === 'Failed') throw new ProviderOutcomeConflictError('Failed', 'succeeded');
      if (charge.amountReceived !== payment.amount.value || charge.currency !== payment.amount.currency) {
        throw new ProviderOutcomeConflictError(
          `${payment.amount.value} ${payment.amount.currency}`,
          `${charge.amountReceived} ${charge.currency} received`,
        );
      }
      const merchant = await merchantChargeFor(payment, new Date(at), deps.merchantLedger);
      const completed = await deps.payments.transition(payment.paymentId, {
        from: 'Processing',
        event: 'completed',
        actor: 'provider',
        at,
        set: { completedAt: at, providerPaymentId: charge.id, ...completionFields(merchant) },
        // The provider collected it: provider clearing pays the merchant (net of fees) with Completed.
        ledger: captureOf(payment),
        ...(merchant === undefined ? {} : { charge: merchant }),
        takeTaskToken: true,
      });
      const { takenTaskToken, ...after } = completed;
      if (takenTaskToken !== undefined) {
        await deps.workflows.resume(takenTaskToken, { state: after.state });
      }
      return { payment: after, applied: 'completed' };
    }
    case 'failed': {
      if (payment.state === 'Failed') return unchanged;
      if (settled) throw new ProviderOutcomeConflictError(payment.state, 'failed');
      const failed = await deps.payments.transition(payment.paymentId, {
        from: 'Processing',
        event: 'declined',
        actor: 'provider',
        at,
        set: { failureCode: outcome.failureCode, providerPaymentId: charge.id },
        takeTaskToken: true,
      });
      const { takenTaskToken, ...after } = failed;
      if (takenTaskToken !== undefined) {
        await deps.workflows.fail(takenTaskToken, PAYMENT_DECLINED_ERROR, outcome.failureCode);
      }
      return { payment: after, applied: 'failed' };
    }
    case 'requires_action':
    case 'processing':
      return unchanged;
  }
}
