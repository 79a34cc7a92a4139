/**
 * One PaymentProvider over several processors, so that nothing above the port knows which one takes a
 * payment: a new payment goes by its payment method (`paypal` to PayPal, a card to Stripe); every later call
 * goes by the processor's own payment id, whose shape each processor documents (Stripe's `pi_…`, PayPal's
 * 17-character order ids). Each processor keeps its own retries and breaker underneath.
 */
import type {
  CardDetails,
  PaymentProvider,
  ProviderEvent,
  ProviderName,
  ProviderPayment,
  ProviderRefund,
  WebhookHeaders,
} from '../app/payments/ports.js';

export interface ProviderRoute {
  /** Built on first use: a deployment that never takes this processor's payments needs none of its settings. */
  provider: () => Promise<PaymentProvider>;
  name: ProviderName;
  takesMethod(paymentMethodId: string): boolean;
  ownsPayment(providerPaymentId: string): boolean;
}

export class RoutingPaymentProvider implements PaymentProvider {
  readonly name: ProviderName;
  readonly #fallback: PaymentProvider;
  readonly #routes: readonly ProviderRoute[];

  /** `fallback` takes whatever no route claims (Stripe: every card method and `pi_` id). */
  constructor(fallback: PaymentProvider, routes: readonly ProviderRoute[]) {
    this.name = fallback.name;
    this.#fallback = fallback;
    this.#routes = routes;
  }

  providerFor(paymentMethodId: string): ProviderName {
    return this.#routes.find((route) => route.takesMethod(paymentMethodId))?.name ?? this.#fallback.name;
  }

  async createPayment(input: Parameters<PaymentProvider['createPayment']>[0]): Promise<ProviderPayment> {
    return (await this.#byMethod(input.paymentMethodId)).createPayment(input);
  }

  async confirmPayment(paymentId: string, idempotencyKey: string): Promise<ProviderPayment> {
    return (await this.#byPayment(paymentId)).confirmPayment(paymentId, idempotencyKey);
  }

  async capturePayment(paymentId: string, idempotencyKey: string, amount?: number): Promise<ProviderPayment> {
    return (await this.#byPayment(paymentId)).capturePayment(paymentId, idempotencyKey, amount);
  }

  async cancelPayment(paymentId: string, idempotencyKey: string): Promise<ProviderPayment> {
    return (await this.#byPayment(paymentId)).cancelPayment(paymentId, idempotencyKey);
  }

  async retrievePayment(paymentId: string): Promise<ProviderPayment> {
    return (await this.#byPayment(paymentId)).retrievePayment(paymentId);
  }

  async refund(input: {
    paymentId: string;
    idempotencyKey: string;
    amount?: number;
  }): Promise<ProviderRefund> {
    return (await this.#byPayment(input.paymentId)).refund(input);
  }

  async retrieveRefund(paymentId: string, refundId: string): Promise<ProviderRefund> {
    return (await this.#byPayment(paymentId)).retrieveRefund(paymentId, refundId);
  }

  async retrieveCard(paymentMethodId: string): Promise<CardDetails> {
    return (await this.#byMethod(paymentMethodId)).retrieveCard(paymentMethodId);
  }

  /** Customers live at the card processor (the fallback): PayPal payers have none. */
  createCustomer(input: { userId: string; idempotencyKey: string }): Promise<string> {
    return this.#fallback.createCustomer(input);
  }

  async attachCard(input: {
    paymentMethodId: string;
    customerId: string;
    idempotencyKey: string;
  }): Promise<CardDetails> {
    return (await this.#byMethod(input.paymentMethodId)).attachCard(input);
  }

  /** A webhook names its processor by its route; the ingest asks for that processor's verifier instead. */
  verifyWebhook(rawBody: string, headers: WebhookHeaders): Promise<ProviderEvent> {
    return this.#fallback.verifyWebhook(rawBody, headers);
  }

  #byMethod(paymentMethodId: string): Promise<PaymentProvider> {
    const route = this.#routes.find((candidate) => candidate.takesMethod(paymentMethodId));
    return route === undefined ? Promise.resolve(this.#fallback) : route.provider();
  }

  #byPayment(paymentId: string): Promise<PaymentProvider> {
    const route = this.#routes.find((candidate) => candidate.ownsPayment(paymentId));
    return route === undefined ? Promise.resolve(this.#fallback) : route.provider();
  }
}
