/**
 * The ProviderCustomers port (merchants' customers, shared/app/merchant-customers) on Stripe's SDK:
 * customers (created and deleted), and cards attached to and detached from them. Its own SDK client, with the SDK's retries on
 * (connection failures, 409, 5xx; every POST carries an idempotency key, ours where the request gave one,
 * else one the SDK makes for its retries): these calls move no money, so they need no circuit breaker.
 */
import Stripe from 'stripe';
import { timeLeft } from '../../app/deadline.js';
import type { ProviderCard, ProviderCustomers } from '../../app/merchant-customers/ports.js';
import { UnknownPaymentMethodError } from '../../domain/provider-errors.js';
import { mapStripeError } from './map-error.js';
import { cardOf } from './stripe-mapping.js';
import { DEFAULT_MAX_NETWORK_RETRIES, DEFAULT_TIMEOUT_MS, endpointOf } from './stripe-provider.js';

export interface StripeCustomersConfig {
  secretKey: string;
  /** Where the API is (the local server's origin); Stripe's own by default. */
  apiBase?: string;
  maxNetworkRetries?: number;
  timeoutMs?: number;
}

export class StripeCustomers implements ProviderCustomers {
  readonly #stripe: Stripe;
  readonly #timeoutMs: number;

  constructor(config: StripeCustomersConfig) {
    this.#timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#stripe = new Stripe(config.secretKey, {
      maxNetworkRetries: config.maxNetworkRetries ?? DEFAULT_MAX_NETWORK_RETRIES,
      timeout: this.#timeoutMs,
      ...(config.apiBase === undefined ? {} : endpointOf(config.apiBase)),
    });
  }

  async createCustomer(input: Parameters<ProviderCustomers['createCustomer']>[0]): Promise<string> {
    const params: Stripe.CustomerCreateParams = { metadata: { ...input.metadata } };
    if (input.email !== undefined) params.email = input.email;
    if (input.name !== undefined) params.name = input.name;
    const customer = await this.#send(() =>
      this.#stripe.customers.create(params, this.#options(input.idempotencyKey)),
    );
    return customer.id;
  }

  async attachCard(input: Parameters<ProviderCustomers['attachCard']>[0]): Promise<ProviderCard> {
    let method: Stripe.PaymentMethod;
    try {
      method = await this.#stripe.paymentMethods.attach(
        input.paymentMethodId,
        { customer: input.customerId },
        this.#options(input.idempotencyKey),
      );
    } catch (error) {
      // Unknown, attached to another customer, or not attachable: to the merchant, not a card it may attach.
      if (error instanceof Stripe.errors.StripeInvalidRequestError) throw new UnknownPaymentMethodError();
      throw mapStripeError(error);
    }
    return cardOf(method);
  }

  async detachCard(input: Parameters<ProviderCustomers['detachCard']>[0]): Promise<void> {
    try {
      await this.#stripe.paymentMethods.detach(input.paymentMethodId, {}, this.#options());
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) throw mapStripeError(error);
      // Stripe refuses to detach a card that is not attached: a retry after an earlier detach is done.
      const method = await this.#send(() =>
        this.#stripe.paymentMethods.retrieve(input.paymentMethodId, {}, this.#options()),
      );
      if (cardOf(method).customerId === input.customerId) throw mapStripeError(error);
    }
  }

  async deleteCustomer(input: Parameters<ProviderCustomers['deleteCustomer']>[0]): Promise<void> {
    try {
      await this.#stripe.customers.del(input.customerId, {}, this.#options());
    } catch (error) {
      // Stripe answers 404 for a customer deleted already: a retry after an earlier delete is done.
      const gone = error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404;
      if (!gone) throw mapStripeError(error);
    }
  }

  #options(idempotencyKey?: string): Stripe.RequestOptions {
    // At least 1 ms: the SDK reads 0 as "no timeout".
    const timeout = Math.max(1, timeLeft(this.#timeoutMs));
    return idempotencyKey === undefined ? { timeout } : { idempotencyKey, timeout };
  }

  async #send<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw mapStripeError(error);
    }
  }
}
