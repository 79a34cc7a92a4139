/**
 * What a provider payment's status means for the record that waits on it (a top-up, a card payment), the
 * one reading shared by the request path, the authorize call and the webhook consumer. Succeeded and failed
 * are final; requires_action and processing are steps on the way, which only ever move a record forward.
 */
import { DomainError } from '../domain/errors.js';
import type { ProviderPayment } from './payments/ports.js';

export type ProviderOutcome =
  | { kind: 'succeeded' }
  | { kind: 'failed'; failureCode: string }
  | { kind: 'requires_action' }
  | { kind: 'processing' };

export function outcomeOf(payment: ProviderPayment): ProviderOutcome {
  switch (payment.status) {
    case 'succeeded':
      return { kind: 'succeeded' };
    case 'canceled':
      return { kind: 'failed', failureCode: payment.failureCode ?? 'canceled' };
    // Our payments are confirmed when they are created: back to "needs a payment method" means the attempt
    // failed (a decline says why; without a reason, the payer did not pass authentication).
    case 'requires_payment_method':
      return { kind: 'failed', failureCode: payment.failureCode ?? 'authentication_failed' };
    case 'requires_action':
      return { kind: 'requires_action' };
    case 'processing':
    case 'requires_capture':
    case 'requires_confirmation':
      return { kind: 'processing' };
  }
}

/** What applying a provider outcome did to our record. */
export type AppliedOutcome = 'completed' | 'failed' | 'advanced' | 'unchanged';

/**
 * The provider's final word contradicts ours (it charged a payment we had failed, or failed one we had
 * completed). Nothing automatic can settle it: it is kept for ops (the webhook goes to the dead-letter queue,
 * which alarms).
 */
export class ProviderOutcomeConflictError extends DomainError {
  override readonly name = 'ProviderOutcomeConflictError';

  constructor(ours: string, providers: string) {
    super('INVALID_STATE_TRANSITION', `The provider says ${providers} but the record is ${ours}`, {
      state: ours,
      providerOutcome: providers,
    });
  }
}
