import type { PaymentProvider, ProviderPayment, ProviderRefund } from '../../../shared/app/payments/ports.js';
import { PaymentDeclinedError } from '../../../shared/domain/provider-errors.js';
import { roundTrip } from './round-trip.js';

/** The provider's payments as a test sets them: what `retrievePayment` answers now. */
export class ScriptedProviderPayments
  implements Pick<PaymentProvider, 'retrievePayment' | 'confirmPayment' | 'retrieveRefund'>
{
  readonly retrieved: string[] = [];
  readonly #refunds = new Map<string, ProviderRefund>();

  /** A refund as the provider holds it now. */
  setRefund(refund: ProviderRefund): this {
    this.#refunds.set(refund.id, { ...refund });
    return this;
  }

  async retrieveRefund(_paymentId: string, refundId: string): Promise<ProviderRefund> {
    await roundTrip();
    const refund = this.#refunds.get(refundId);
    if (refund === undefined) throw new Error(`No such refund: ${refundId}`);
    return { ...refund };
  }

  /** `<payment id> <idempotency key>` of each confirmation asked for. */
  readonly confirmed: string[] = [];
  readonly #payments = new Map<string, ProviderPayment>();
  /** Payments whose confirmation the payer's funding refuses (as PayPal declines a capture). */
  readonly #declined = new Set<string>();

  set(payment: ProviderPayment): this {
    this.#payments.set(payment.id, { ...payment });
    return this;
  }

  declineConfirmationOf(paymentId: string): this {
    this.#declined.add(paymentId);
    return this;
  }

  async retrievePayment(paymentId: string): Promise<ProviderPayment> {
    this.retrieved.push(paymentId);
    await roundTrip();
    const payment = this.#payments.get(paymentId);
    if (payment === undefined) throw new Error(`No such payment: ${paymentId}`);
    return { ...payment };
  }

  /** Confirms a payment waiting for it (as PayPal captures an approved order): it succeeds in full. */
  async confirmPayment(paymentId: string, idempotencyKey: string): Promise<ProviderPayment> {
    this.confirmed.push(`${paymentId} ${idempotencyKey}`);
    await roundTrip();
    const payment = this.#payments.get(paymentId);
    if (payment === undefined) throw new Error(`No such payment: ${paymentId}`);
    if (payment.status === 'requires_confirmation' && this.#declined.has(paymentId)) {
      this.#payments.set(paymentId, {
        ...payment,
        status: 'requires_payment_method',
        failureCode: 'generic_decline',
      });
      throw new PaymentDeclinedError('generic_decline');
    }
    if (payment.status === 'requires_confirmation') {
      this.#payments.set(paymentId, { ...payment, status: 'succeeded', amountReceived: payment.amount });
    }
    return { ...(this.#payments.get(paymentId) ?? payment) };
  }
}
