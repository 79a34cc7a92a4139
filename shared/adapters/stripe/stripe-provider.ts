/**
 * The PaymentProvider port on Stripe's official SDK. Card payments are PaymentIntents confirmed server-side;
 * every call that changes something sends our own id as Stripe's `Idempotency-Key`, so the SDK's retries
 * and ours never charge twice. Locally the same code talks to the Stripe-compatible test server, only the
 * `apiBase` differs.
 */
import Stripe from 'stripe';
import { timeLeft } from '../../app/deadline.js';
import type {
  CardDetails,
  PaymentProvider,
  ProviderEvent,
  ProviderPayment,
  ProviderRefund,
  WebhookHeaders,
} from '../../app/payments/ports.js';
import { ValidationError } from '../../domain/errors.js';
import { UnknownPaymentMethodError, WebhookSignatureError } from '../../domain/provider-errors.js';
import { isRecord } from '../../json.js';
import { mapStripeError } from './map-error.js';
import { cardOf, detailsOf, idOfUnknown, toProviderPayment, toProviderRefund } from './stripe-mapping.js';

export interface StripeProviderConfig {
  secretKey: string;
  /** The endpoint signing secret (`whsec_…`) webhooks are verified with. */
  webhookSecret: string;
  /** Where the API is, e.g. `http://127.0.0.1:12111` for the local server; Stripe's own by default. */
  apiBase?: string;
  /** Retries the SDK makes on connection failures, 409 and 5xx, with exponential backoff (default 2). */
  maxNetworkRetries?: number;
  /** Per attempt (default 10 000 ms), cut to what is left of the request's budget (app/deadline.ts). */
  timeoutMs?: number;
  /**
   * Where a payer who had to authenticate (3-D Secure) is sent back to. With it, Stripe answers
   * `requires_action` with a `redirect_to_url` action; without it, with the `use_stripe_sdk` one.
   */
  returnUrl?: string;
  /** The clock webhook timestamps are held against (epoch milliseconds; `Date.now` by default). */
  now?: () => number;
}

export const DEFAULT_MAX_NETWORK_RETRIES = 2;
export const DEFAULT_TIMEOUT_MS = 10_000;
/**
 * Stripe's own default: a signed webhook older than five minutes is refused (replay protection). The SDK
 * checks only that side; one dated more than this in the future is refused here (a signature made ahead of
 * time would otherwise be replayable until long after it was sent).
 */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe';
  readonly #stripe: Stripe;
  readonly #webhookSecret: string;
  readonly #returnUrl: string | undefined;
  readonly #timeoutMs: number;
  readonly #now: () => number;

  constructor(config: StripeProviderConfig) {
    this.#timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#stripe = new Stripe(config.secretKey, {
      maxNetworkRetries: config.maxNetworkRetries ?? DEFAULT_MAX_NETWORK_RETRIES,
      timeout: this.#timeoutMs,
      ...(config.apiBase === undefined ? {} : endpointOf(config.apiBase)),
    });
    this.#webhookSecret = config.webhookSecret;
    this.#returnUrl = config.returnUrl;
    this.#now = config.now ?? Date.now;
  }

  /** Per-request options: our idempotency key, and a timeout that ends with the request's budget. */
  #options(idempotencyKey?: string): Stripe.RequestOptions {
    // At least 1 ms: the SDK reads 0 as "no timeout". (The resilience wrapper starts no attempt without time.)
    const timeout = Math.max(1, timeLeft(this.#timeoutMs));
    return idempotencyKey === undefined ? { timeout } : { idempotencyKey, timeout };
  }

  providerFor(_paymentMethodId: string): 'stripe' {
    return 'stripe';
  }

  createPayment(input: Parameters<PaymentProvider['createPayment']>[0]): Promise<ProviderPayment> {
    const params: Stripe.PaymentIntentCreateParams = {
      amount: input.amount,
      currency: input.currency.toLowerCase(),
      payment_method: input.paymentMethodId,
      // Card payments confirmed server-side: without `allow_redirects: 'never'` Stripe demands a return_url
      // in case a redirect-based method is chosen. (`payment_method_types` is gone from the API version the
      // SDK pins, 2026-10-28; this works on both that and the local server.)
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      capture_method: input.capture,
      confirm: true,
    };
    // The payer's customer: Stripe itself then refuses a payment method attached to anyone else.
    if (input.customerId !== undefined) params.customer = input.customerId;
    if (input.description !== undefined) params.description = input.description;
    if (input.metadata !== undefined) params.metadata = { ...input.metadata };
    const returnUrl = input.returnUrl ?? this.#returnUrl;
    if (returnUrl !== undefined) params.return_url = returnUrl;
    return this.#payment(() =>
      this.#stripe.paymentIntents.create(params, this.#options(input.idempotencyKey)),
    );
  }

  confirmPayment(paymentId: string, idempotencyKey: string): Promise<ProviderPayment> {
    const params: Stripe.PaymentIntentConfirmParams = {};
    if (this.#returnUrl !== undefined) params.return_url = this.#returnUrl;
    return this.#payment(() =>
      this.#stripe.paymentIntents.confirm(paymentId, params, this.#options(idempotencyKey)),
    );
  }

  capturePayment(paymentId: string, idempotencyKey: string, amount?: number): Promise<ProviderPayment> {
    const params: Stripe.PaymentIntentCaptureParams =
      amount === undefined ? {} : { amount_to_capture: amount };
    return this.#payment(() =>
      this.#stripe.paymentIntents.capture(paymentId, params, this.#options(idempotencyKey)),
    );
  }

  cancelPayment(paymentId: string, idempotencyKey: string): Promise<ProviderPayment> {
    return this.#payment(() =>
      this.#stripe.paymentIntents.cancel(paymentId, {}, this.#options(idempotencyKey)),
    );
  }

  retrievePayment(paymentId: string): Promise<ProviderPayment> {
    return this.#payment(() => this.#stripe.paymentIntents.retrieve(paymentId, {}, this.#options()));
  }

  async refund(input: {
    paymentId: string;
    idempotencyKey: string;
    amount?: number;
    metadata?: Readonly<Record<string, string>>;
  }): Promise<ProviderRefund> {
    const params: Stripe.RefundCreateParams = { payment_intent: input.paymentId };
    if (input.amount !== undefined) params.amount = input.amount;
    if (input.metadata !== undefined) params.metadata = { ...input.metadata };
    const refund = await this.#send(() =>
      this.#stripe.refunds.create(params, this.#options(input.idempotencyKey)),
    );
    return toProviderRefund(refund, input.paymentId);
  }

  async retrieveRefund(paymentId: string, refundId: string): Promise<ProviderRefund> {
    const refund = await this.#send(() => this.#stripe.refunds.retrieve(refundId, {}, this.#options()));
    return toProviderRefund(refund, paymentId);
  }

  async retrieveCard(paymentMethodId: string): Promise<CardDetails> {
    return cardOf(
      await this.#send(() => this.#stripe.paymentMethods.retrieve(paymentMethodId, {}, this.#options())),
    );
  }

  async createCustomer(input: { userId: string; idempotencyKey: string }): Promise<string> {
    const customer = await this.#send(() =>
      this.#stripe.customers.create(
        { metadata: { userId: input.userId } },
        this.#options(input.idempotencyKey),
      ),
    );
    return customer.id;
  }

  async attachCard(input: {
    paymentMethodId: string;
    customerId: string;
    idempotencyKey: string;
  }): Promise<CardDetails> {
    let method: Stripe.PaymentMethod;
    try {
      method = await this.#stripe.paymentMethods.attach(
        input.paymentMethodId,
        { customer: input.customerId },
        this.#options(input.idempotencyKey),
      );
    } catch (error) {
      // Attached meanwhile to another customer, or not attachable: to the caller, no card of theirs.
      if (error instanceof Stripe.errors.StripeInvalidRequestError) throw new UnknownPaymentMethodError();
      throw mapStripeError(error);
    }
    return cardOf(method);
  }

  async verifyWebhook(rawBody: string, headers: WebhookHeaders): Promise<ProviderEvent> {
    const signatureHeader = headers['stripe-signature'];
    if (signatureHeader === undefined || signatureHeader.trim() === '') throw new WebhookSignatureError();
    let event: Stripe.Event;
    try {
      event = this.#stripe.webhooks.constructEvent(
        rawBody,
        signatureHeader,
        this.#webhookSecret,
        WEBHOOK_TOLERANCE_SECONDS,
        undefined,
        this.#now(),
      );
    } catch {
      // Bad signature, stale timestamp, malformed header or a signed body that is not JSON: all alike.
      throw new WebhookSignatureError();
    }
    if (signedInTheFuture(signatureHeader, this.#now())) throw new WebhookSignatureError();
    // The SDK checks the signature, not the shape: a signed body that is not an event is refused, not read.
    if (!isEventEnvelope(event)) throw new ValidationError('The webhook body is not an event');
    const object: unknown = event.data.object;
    const objectId = isRecord(object) ? object.id : undefined;
    if (!isRecord(object) || typeof objectId !== 'string') {
      throw new ValidationError('The webhook event names no object');
    }
    const paymentId = object.object === 'payment_intent' ? objectId : idOfUnknown(object.payment_intent);
    // A Connect event (a connected account's payout) names its account beside the object.
    const account = typeof event.account === 'string' ? { account: event.account } : {};
    const found = detailsOf(object);
    const details = found === undefined ? undefined : { ...found, ...account };
    return {
      provider: 'stripe',
      id: event.id,
      type: event.type,
      objectId,
      ...(paymentId === undefined ? {} : { paymentId }),
      ...(details === undefined ? {} : { details }),
      createdAt: new Date(event.created * 1000).toISOString(),
      payload: event,
    };
  }

  async #payment(request: () => Promise<Stripe.PaymentIntent>): Promise<ProviderPayment> {
    return toProviderPayment(await this.#send(request));
  }

  async #send<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw mapStripeError(error);
    }
  }
}

/** Any `t=` of the header more than the tolerance ahead of `now` (the SDK refuses only old ones). */
function signedInTheFuture(signatureHeader: string, now: number): boolean {
  const latest = now / 1000 + WEBHOOK_TOLERANCE_SECONDS;
  return signatureHeader
    .split(',')
    .map((part) => part.trim().split('='))
    .some(([name, value]) => name === 't' && !(Number(value) <= latest));
}

/** What `verifyWebhook` reads of an event: an id, a type, a representable creation time and a data object. */
function isEventEnvelope(value: unknown): boolean {
  if (!isRecord(value) || !isRecord(value.data)) return false;
  const { id, type, created } = value;
  return (
    typeof id === 'string' &&
    id !== '' &&
    typeof type === 'string' &&
    typeof created === 'number' &&
    !Number.isNaN(new Date(created * 1000).getTime())
  );
}

/** `http://127.0.0.1:12111` → the SDK's `{ protocol, host, port }`; only an origin makes sense here. */
export function endpointOf(apiBase: string): { protocol: Stripe.HttpProtocol; host: string; port: number } {
  const url = new URL(apiBase);
  const protocol = url.protocol === 'http:' ? 'http' : url.protocol === 'https:' ? 'https' : undefined;
  if (protocol === undefined || url.pathname !== '/' || url.search !== '' || url.username !== '') {
    throw new Error(`apiBase must be an http(s) origin such as http://127.0.0.1:12111, got ${apiBase}`);
  }
  const port = url.port === '' ? (protocol === 'https' ? 443 : 80) : Number(url.port);
  // The SDK hands the host to node:http, which wants an IPv6 address without its brackets.
  return { protocol, host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port };
}
