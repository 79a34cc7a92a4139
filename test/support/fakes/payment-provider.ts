import type {
  CardDetails,
  PaymentProvider,
  ProviderEvent,
  ProviderName,
  ProviderPayment,
  ProviderRefund,
  WebhookHeaders,
} from '../../../shared/app/payments/ports.js';
import {
  ExpiredCardError,
  PaymentDeclinedError,
  ProcessorError,
  ProviderStateConflictError,
  UnknownPaymentMethodError,
  WebhookSignatureError,
} from '../../../shared/domain/provider-errors.js';
import { roundTrip } from './round-trip.js';

/**
 * What the processor does when a card is charged:
 * - `succeeded`, `requires_action` (3-D Secure), `processing`: the payment is created in that status;
 * - `{ decline }`: the issuer declines with that code (the payment exists, PAYMENT_DECLINED);
 * - `expired`: the card is past its expiry (EXPIRED_CARD);
 * - `unknown_pm`: the processor does not know the payment method (retrieveCard and charges refuse it);
 * - `processor_down`: the charge times out after the retries (PROCESSOR_ERROR) and nothing is stored at the
 *   processor under its idempotency key, so a later retry with the same key runs afresh.
 */
export type CardOutcome =
  | 'succeeded'
  | 'requires_action'
  | 'processing'
  | { decline: string }
  | 'expired'
  | 'unknown_pm'
  | 'processor_down';

export type ProviderCall =
  | {
      method: 'createPayment';
      idempotencyKey: string;
      input: Parameters<PaymentProvider['createPayment']>[0];
    }
  | {
      method: 'confirmPayment' | 'capturePayment' | 'cancelPayment';
      idempotencyKey: string;
      paymentId: string;
      amount?: number;
    }
  | { method: 'refund'; idempotencyKey: string; paymentId: string; amount?: number }
  | { method: 'retrievePayment'; paymentId: string }
  | { method: 'retrieveRefund'; paymentId: string; refundId: string }
  | { method: 'retrieveCard'; paymentMethodId: string }
  | { method: 'createCustomer'; idempotencyKey: string; userId: string }
  | { method: 'attachCard'; idempotencyKey: string; paymentMethodId: string; customerId: string };

type Answer<T> = { ok: true; value: T; request: string } | { ok: false; error: Error; request: string };

/** A failed charge leaves Stripe's PaymentIntent waiting for another payment method. */
function statusAfterCharge(outcome: CardOutcome): ProviderPayment['status'] {
  return outcome === 'succeeded' || outcome === 'requires_action' || outcome === 'processing'
    ? outcome
    : 'requires_payment_method';
}

/** The signature header `verifyWebhook` accepts. */
export const FAKE_WEBHOOK_SIGNATURE = 'fake-signature';
/** Webhook request headers carrying FAKE_WEBHOOK_SIGNATURE. */
export const FAKE_WEBHOOK_HEADERS = { 'fake-signature': FAKE_WEBHOOK_SIGNATURE } as const;

/**
 * A scriptable card processor that behaves like Stripe where the use cases rely on it: the same idempotency
 * key returns the first answer (the same payment, or the same decline) and a different request under it is
 * refused; every call is recorded.
 */
export class FakePaymentProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  readonly calls: ProviderCall[] = [];
  readonly #cards = new Map<string, { details: CardDetails; outcome: CardOutcome }>();
  readonly #payments = new Map<string, ProviderPayment>();
  readonly #paymentAnswers = new Map<string, Answer<ProviderPayment>>();
  readonly #refundAnswers = new Map<string, Answer<ProviderRefund>>();
  /** Refunds as the processor holds them now, by their id. */
  readonly #refunds = new Map<string, ProviderRefund>();
  /** How new refunds start: Stripe settles most card refunds at once, some stay pending. */
  #refundStatus: ProviderRefund['status'] = 'succeeded';
  /** The customer each attached card belongs to. */
  readonly #owners = new Map<string, string>();
  /** Customers by the idempotency key they were created under. */
  readonly #customers = new Map<string, string>();
  #sequence = 0;
  #customerSequence = 0;

  /** Registers a card (or changes what it does next); details default to a Visa ending 4242. */
  card(paymentMethodId: string, outcome: CardOutcome, details: Partial<Omit<CardDetails, 'id'>> = {}): this {
    const known = this.#cards.get(paymentMethodId)?.details ?? {
      id: paymentMethodId,
      brand: 'visa',
      last4: '4242',
      expMonth: 12,
      expYear: 2030,
      fingerprint: `fp_${paymentMethodId}`,
    };
    this.#cards.set(paymentMethodId, { outcome, details: { ...known, ...details } });
    return this;
  }

  /** The payer completes 3-D Secure, or a processing payment clears: the payment has succeeded. */
  settle(paymentId: string): ProviderPayment {
    const payment = this.#payment(paymentId);
    const { nextActionUrl: _done, ...rest } = payment;
    const settled: ProviderPayment = { ...rest, status: 'succeeded', amountReceived: payment.amount };
    this.#payments.set(paymentId, settled);
    return { ...settled };
  }

  /** The recorded createPayment calls, the ones that could charge a card. */
  charges(): Extract<ProviderCall, { method: 'createPayment' }>[] {
    return this.calls.filter(
      (call): call is Extract<ProviderCall, { method: 'createPayment' }> => call.method === 'createPayment',
    );
  }

  async createPayment(input: Parameters<PaymentProvider['createPayment']>[0]): Promise<ProviderPayment> {
    this.calls.push({ method: 'createPayment', idempotencyKey: input.idempotencyKey, input });
    const request = JSON.stringify([
      'createPayment',
      input.amount,
      input.currency,
      input.paymentMethodId,
      input.customerId,
    ]);
    return this.#idempotent(this.#paymentAnswers, input.idempotencyKey, request, () => {
      const card = this.#cards.get(input.paymentMethodId);
      if (card === undefined || card.outcome === 'unknown_pm') throw new UnknownPaymentMethodError();
      // As Stripe: a card attached to a customer pays for that customer only.
      const owner = this.#owners.get(input.paymentMethodId);
      if (owner !== undefined && owner !== input.customerId) throw new UnknownPaymentMethodError();
      if (card.outcome === 'processor_down') throw new ProcessorError();
      // A manual-capture charge that goes through is an authorization, waiting for its capture.
      const authorized = card.outcome === 'succeeded' && input.capture === 'manual';
      const payment: ProviderPayment = {
        provider: this.name,
        id: `pi_${++this.#sequence}`,
        status: authorized ? 'requires_capture' : statusAfterCharge(card.outcome),
        amount: input.amount,
        amountReceived: card.outcome === 'succeeded' && !authorized ? input.amount : 0,
        currency: input.currency.toUpperCase(),
        ...(card.outcome === 'requires_action'
          ? { nextActionUrl: `https://hooks.stripe.test/3d_secure/${this.#sequence}` }
          : {}),
      };
      this.#payments.set(payment.id, payment);
      if (card.outcome === 'expired') throw new ExpiredCardError({ providerPaymentId: payment.id });
      if (typeof card.outcome === 'object') {
        throw new PaymentDeclinedError(card.outcome.decline, { providerPaymentId: payment.id });
      }
      return payment;
    });
  }

  async confirmPayment(paymentId: string, idempotencyKey: string): Promise<ProviderPayment> {
    this.calls.push({ method: 'confirmPayment', idempotencyKey, paymentId });
    return this.#idempotent(
      this.#paymentAnswers,
      idempotencyKey,
      JSON.stringify(['confirm', paymentId]),
      () => {
        const payment = this.#payment(paymentId);
        if (payment.status === 'succeeded' || payment.status === 'canceled') {
          throw new ProviderStateConflictError(payment.status);
        }
        return payment;
      },
    );
  }

  async capturePayment(paymentId: string, idempotencyKey: string, amount?: number): Promise<ProviderPayment> {
    this.calls.push({
      method: 'capturePayment',
      idempotencyKey,
      paymentId,
      ...(amount === undefined ? {} : { amount }),
    });
    return this.#idempotent(
      this.#paymentAnswers,
      idempotencyKey,
      JSON.stringify(['capture', paymentId, amount]),
      () => {
        const payment = this.#payment(paymentId);
        if (payment.status !== 'requires_capture') throw new ProviderStateConflictError(payment.status);
        const captured: ProviderPayment = {
          ...payment,
          status: 'succeeded',
          amountReceived: amount ?? payment.amount,
        };
        this.#payments.set(paymentId, captured);
        return captured;
      },
    );
  }

  async cancelPayment(paymentId: string, idempotencyKey: string): Promise<ProviderPayment> {
    this.calls.push({ method: 'cancelPayment', idempotencyKey, paymentId });
    return this.#idempotent(
      this.#paymentAnswers,
      idempotencyKey,
      JSON.stringify(['cancel', paymentId]),
      () => {
        const payment = this.#payment(paymentId);
        if (payment.status === 'succeeded' || payment.status === 'canceled') {
          throw new ProviderStateConflictError(payment.status);
        }
        const { nextActionUrl: _url, ...rest } = payment;
        const canceled: ProviderPayment = { ...rest, status: 'canceled' };
        this.#payments.set(paymentId, canceled);
        return canceled;
      },
    );
  }

  async retrievePayment(paymentId: string): Promise<ProviderPayment> {
    this.calls.push({ method: 'retrievePayment', paymentId });
    await roundTrip();
    return { ...this.#payment(paymentId) };
  }

  /** How the next refunds start (`pending`: the processor decides later, see `settleRefund`). */
  refundsStartAs(status: ProviderRefund['status']): this {
    this.#refundStatus = status;
    return this;
  }

  /** The processor decides a refund later (what its refund.updated event would tell). */
  settleRefund(refundId: string, status: ProviderRefund['status']): void {
    const refund = this.#refunds.get(refundId);
    if (refund === undefined) throw new Error(`No refund ${refundId}`);
    this.#refunds.set(refundId, { ...refund, status });
  }

  async retrieveRefund(paymentId: string, refundId: string): Promise<ProviderRefund> {
    this.calls.push({ method: 'retrieveRefund', paymentId, refundId });
    await roundTrip();
    const refund = this.#refunds.get(refundId);
    if (refund === undefined) throw new Error(`No refund ${refundId}`);
    return { ...refund };
  }

  async refund(input: {
    paymentId: string;
    idempotencyKey: string;
    amount?: number;
    metadata?: Readonly<Record<string, string>>;
  }): Promise<ProviderRefund> {
    this.calls.push({
      method: 'refund',
      idempotencyKey: input.idempotencyKey,
      paymentId: input.paymentId,
      ...(input.amount === undefined ? {} : { amount: input.amount }),
    });
    return this.#idempotent(
      this.#refundAnswers,
      input.idempotencyKey,
      JSON.stringify(['refund', input.paymentId, input.amount]),
      () => {
        const payment = this.#payment(input.paymentId);
        if (payment.status !== 'succeeded') throw new ProviderStateConflictError(payment.status);
        const refund: ProviderRefund = {
          provider: this.name,
          id: `re_${++this.#sequence}`,
          paymentId: payment.id,
          amount: input.amount ?? payment.amountReceived,
          currency: payment.currency,
          status: this.#refundStatus,
          ...(input.metadata === undefined ? {} : { metadata: { ...input.metadata } }),
        };
        this.#refunds.set(refund.id, refund);
        return refund;
      },
    );
  }

  async retrieveCard(paymentMethodId: string): Promise<CardDetails> {
    this.calls.push({ method: 'retrieveCard', paymentMethodId });
    await roundTrip();
    return this.#cardDetails(paymentMethodId);
  }

  /** The same key, the same customer (Stripe's idempotency); a new key, a new customer. */
  async createCustomer(input: { userId: string; idempotencyKey: string }): Promise<string> {
    this.calls.push({ method: 'createCustomer', idempotencyKey: input.idempotencyKey, userId: input.userId });
    await roundTrip();
    const known = this.#customers.get(input.idempotencyKey);
    if (known !== undefined) return known;
    const customerId = `cus_${++this.#customerSequence}`;
    this.#customers.set(input.idempotencyKey, customerId);
    return customerId;
  }

  /**
   * Attaches the card to the customer; another customer's card is refused as unknown. A test token
   * (`pm_card_…`) is never owned: Stripe attaches a new card made from it each time, which this fake keeps
   * under the token's own id so that tests script its outcome by one name.
   */
  async attachCard(input: {
    paymentMethodId: string;
    customerId: string;
    idempotencyKey: string;
  }): Promise<CardDetails> {
    this.calls.push({
      method: 'attachCard',
      idempotencyKey: input.idempotencyKey,
      paymentMethodId: input.paymentMethodId,
      customerId: input.customerId,
    });
    await roundTrip();
    const details = this.#cardDetails(input.paymentMethodId);
    if (details.customerId !== undefined && details.customerId !== input.customerId) {
      throw new UnknownPaymentMethodError();
    }
    if (!input.paymentMethodId.startsWith('pm_card_'))
      this.#owners.set(input.paymentMethodId, input.customerId);
    return { ...details, customerId: input.customerId };
  }

  #cardDetails(paymentMethodId: string): CardDetails {
    const card = this.#cards.get(paymentMethodId);
    if (card === undefined || card.outcome === 'unknown_pm') throw new UnknownPaymentMethodError();
    const owner = this.#owners.get(paymentMethodId);
    return { ...card.details, ...(owner === undefined ? {} : { customerId: owner }) };
  }

  /** Accepts a body signed with FAKE_WEBHOOK_SIGNATURE: `{ id, type, objectId, createdAt, payload }`. */
  providerFor(_paymentMethodId: string): ProviderName {
    return this.name;
  }

  async verifyWebhook(rawBody: string, headers: WebhookHeaders): Promise<ProviderEvent> {
    await roundTrip();
    if (headers['fake-signature'] !== FAKE_WEBHOOK_SIGNATURE) throw new WebhookSignatureError();
    const event: unknown = JSON.parse(rawBody);
    if (typeof event !== 'object' || event === null) throw new WebhookSignatureError();
    const field = (name: string): string => {
      const value: unknown = Reflect.get(event, name);
      if (typeof value !== 'string') throw new WebhookSignatureError();
      return value;
    };
    return {
      provider: this.name,
      id: field('id'),
      type: field('type'),
      objectId: field('objectId'),
      createdAt: field('createdAt'),
      payload: Reflect.get(event, 'payload'),
    };
  }

  /**
   * Stripe's idempotency: the first answer under a key (a result or an error the processor gave) is replayed
   * for a retry; a different request under the same key is refused. An outage stores nothing.
   */
  async #idempotent<T extends ProviderPayment | ProviderRefund>(
    answers: Map<string, Answer<T>>,
    key: string,
    request: string,
    run: () => T,
  ): Promise<T> {
    await roundTrip();
    const stored = answers.get(key);
    if (stored !== undefined) {
      if (stored.request !== request) {
        throw new Error(`Keys for idempotent requests can only be used with the same parameters (${key})`);
      }
      if (!stored.ok) throw stored.error;
      return { ...stored.value };
    }
    try {
      const value = run();
      answers.set(key, { ok: true, value: { ...value }, request });
      return { ...value };
    } catch (error) {
      if (error instanceof ProcessorError || !(error instanceof Error)) throw error;
      answers.set(key, { ok: false, error, request });
      throw error;
    }
  }

  #payment(paymentId: string): ProviderPayment {
    const payment = this.#payments.get(paymentId);
    if (payment === undefined) throw new Error(`No such payment: ${paymentId}`);
    return payment;
  }
}
