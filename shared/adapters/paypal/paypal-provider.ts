/**
 * The PaymentProvider port on PayPal's REST API (Orders v2) over fetch: PayPal ships no maintained Node SDK
 * for Orders v2 that fits a Lambda bundle, and the subset we use is four calls. A payment is an order with
 * intent CAPTURE: created (the payer must approve it at PayPal: requires_action with the approve link), then
 * captured by us (confirm and capture both capture it). Every call that changes something sends our own id as
 * `PayPal-Request-Id`, PayPal's idempotency key, so a retry never captures or refunds twice. Locally the same
 * code talks to the PayPal-compatible test server; only `apiBase` differs.
 */
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
import { PAYPAL_METHOD_ID } from '../../domain/payment.js';
import { ProcessorError, WebhookSignatureError } from '../../domain/provider-errors.js';
import { parseJsonRecord as parseJson, stringOf } from '../../json.js';
import { toPayPalValue } from './amounts.js';
import { mapPayPalError, PayPalHttpError } from './map-error.js';
import {
  capturesOf,
  currencyOf,
  customIdOf,
  requiredString,
  toProviderEvent,
  toProviderPayment,
  toProviderRefund,
} from './paypal-mapping.js';

export interface PayPalProviderConfig {
  clientId: string;
  clientSecret: string;
  /** The id of the webhook subscription whose signatures we accept (PayPal checks it in the verify call). */
  webhookId: string;
  /** `https://api-m.paypal.com`, `https://api-m.sandbox.paypal.com` or the local server. */
  apiBase: string;
  /** Where PayPal sends the payer after approving, and after cancelling. */
  returnUrl?: string;
  cancelUrl?: string;
  /** Per request (default 10 000 ms). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Epoch milliseconds; for the token's expiry and the webhook's age. */
  now?: () => number;
}

/** PayPal's order ids: 17 upper-case letters and digits (`5O190127TN364715T`). */
export function isPayPalOrderId(id: string): boolean {
  return /^[A-Z0-9]{17}$/.test(id);
}

export const PAYPAL_LIVE_API_BASE = 'https://api-m.paypal.com';
export const DEFAULT_TIMEOUT_MS = 10_000;
/** As for Stripe: a webhook transmitted more than five minutes ago is refused (replay protection). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
/** A token is renewed this long before PayPal says it expires, so no call goes out with a dying one. */
const TOKEN_MARGIN_MS = 60_000;

const SIGNATURE_HEADERS = [
  'paypal-transmission-id',
  'paypal-transmission-time',
  'paypal-transmission-sig',
  'paypal-cert-url',
  'paypal-auth-algo',
] as const;

type Json = Record<string, unknown>;

export class PayPalPaymentProvider implements PaymentProvider {
  readonly name = 'paypal';
  readonly #config: PayPalProviderConfig;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  #token: { value: string; expiresAt: number } | undefined;

  constructor(config: PayPalProviderConfig) {
    this.#config = config;
    this.#fetch = config.fetch ?? fetch;
    this.#now = config.now ?? Date.now;
  }

  providerFor(_paymentMethodId: string): 'paypal' {
    return 'paypal';
  }

  async createPayment(input: Parameters<PaymentProvider['createPayment']>[0]): Promise<ProviderPayment> {
    const unit: Json = {
      reference_id: 'default',
      amount: { currency_code: input.currency, value: toPayPalValue(input.amount, input.currency) },
    };
    if (input.description !== undefined) unit.description = input.description.slice(0, 127);
    const customId = customIdOf(input.metadata);
    if (customId !== undefined) unit.custom_id = customId;
    const experience: Json = { user_action: 'PAY_NOW', shipping_preference: 'NO_SHIPPING' };
    if (this.#config.returnUrl !== undefined) experience.return_url = this.#config.returnUrl;
    if (this.#config.cancelUrl !== undefined) experience.cancel_url = this.#config.cancelUrl;
    const order = await this.#call('POST', '/v2/checkout/orders', {
      requestId: input.idempotencyKey,
      body: {
        intent: 'CAPTURE',
        purchase_units: [unit],
        payment_source: { paypal: { experience_context: experience } },
      },
    });
    return toProviderPayment(order);
  }

  /** An approved order is confirmed by capturing it: PayPal has no separate confirmation. */
  confirmPayment(paymentId: string, idempotencyKey: string): Promise<ProviderPayment> {
    return this.#capture(paymentId, idempotencyKey);
  }

  async capturePayment(paymentId: string, idempotencyKey: string, amount?: number): Promise<ProviderPayment> {
    if (amount !== undefined) {
      const order = await this.retrievePayment(paymentId);
      if (amount !== order.amount) throw new ValidationError('A PayPal order is captured in full');
    }
    return this.#capture(paymentId, idempotencyKey);
  }

  /**
   * Orders v2 has no cancel: an order we never capture is never charged, and PayPal lets it expire. So an
   * order not yet captured reads as canceled; one already captured cannot be, and says so as it is.
   */
  async cancelPayment(paymentId: string, _idempotencyKey: string): Promise<ProviderPayment> {
    const payment = await this.retrievePayment(paymentId);
    if (payment.status === 'succeeded' || payment.status === 'processing') return payment;
    return { ...payment, status: 'canceled' };
  }

  async retrievePayment(paymentId: string): Promise<ProviderPayment> {
    return toProviderPayment(await this.#call('GET', `/v2/checkout/orders/${encodeURIComponent(paymentId)}`));
  }

  async refund(input: {
    paymentId: string;
    idempotencyKey: string;
    amount?: number;
  }): Promise<ProviderRefund> {
    const order = await this.#call('GET', `/v2/checkout/orders/${encodeURIComponent(input.paymentId)}`);
    const capture = capturesOf(order).find((candidate) => candidate.status !== 'DECLINED');
    const captureId = capture === undefined ? undefined : stringOf(capture.id);
    if (captureId === undefined) throw new ValidationError('The PayPal order has no capture to refund');
    const currency = currencyOf(order);
    const body: Json = {};
    if (input.amount !== undefined) {
      body.amount = { currency_code: currency, value: toPayPalValue(input.amount, currency) };
    }
    const refund = await this.#call('POST', `/v2/payments/captures/${encodeURIComponent(captureId)}/refund`, {
      requestId: input.idempotencyKey,
      body,
    });
    return toProviderRefund(refund, input.paymentId, currency);
  }

  async retrieveRefund(paymentId: string, refundId: string): Promise<ProviderRefund> {
    const refund = await this.#call('GET', `/v2/payments/refunds/${encodeURIComponent(refundId)}`);
    return toProviderRefund(refund, paymentId, undefined);
  }

  /** A PayPal payer has no card we can see: the payment method is the PayPal account, described as such. */
  async retrieveCard(paymentMethodId: string): Promise<CardDetails> {
    if (paymentMethodId !== PAYPAL_METHOD_ID)
      throw new ValidationError('The payment method is not a PayPal account');
    return { id: 'paypal', brand: 'paypal', last4: '', expMonth: 0, expYear: 0 };
  }

  /** A PayPal payer approves each payment in their own account: PayPal has no card to own, so no customer. */
  async createCustomer(_input: { userId: string; idempotencyKey: string }): Promise<string> {
    throw new ValidationError('PayPal payers have no customer here');
  }

  async attachCard(_input: {
    paymentMethodId: string;
    customerId: string;
    idempotencyKey: string;
  }): Promise<CardDetails> {
    throw new ValidationError('The payment method is not a card');
  }

  /**
   * 1. All five transmission headers present, and sent within the tolerance; the body is JSON.
   * 2. PayPal itself checks the signature (`verify-webhook-signature`) for our webhook id: anything but
   *    SUCCESS is a bad signature. PayPal unreachable is a ProcessorError (502), so PayPal delivers again.
   */
  async verifyWebhook(rawBody: string, headers: WebhookHeaders): Promise<ProviderEvent> {
    const [transmissionId, transmissionTime, signature, certUrl, authAlgo] = SIGNATURE_HEADERS.map((name) =>
      headers[name]?.trim(),
    );
    if (!transmissionId || !transmissionTime || !signature || !certUrl || !authAlgo) {
      throw new WebhookSignatureError();
    }
    const sentAt = Date.parse(transmissionTime);
    if (Number.isNaN(sentAt) || Math.abs(this.#now() - sentAt) > WEBHOOK_TOLERANCE_SECONDS * 1000) {
      throw new WebhookSignatureError();
    }
    const event = parseJson(rawBody);
    if (event === undefined) throw new WebhookSignatureError();
    const answer = await this.#call('POST', '/v1/notifications/verify-webhook-signature', {
      body: {
        auth_algo: authAlgo,
        cert_url: certUrl,
        transmission_id: transmissionId,
        transmission_sig: signature,
        transmission_time: transmissionTime,
        webhook_id: this.#config.webhookId,
        webhook_event: event,
      },
    }).catch((error: unknown) => {
      // PayPal answers 400 to a verification request it cannot read (a junk signature or cert url): forged.
      if (
        error instanceof ProcessorError &&
        error.cause instanceof PayPalHttpError &&
        error.cause.status === 400
      ) {
        throw new WebhookSignatureError();
      }
      throw error;
    });
    if (answer.verification_status !== 'SUCCESS') throw new WebhookSignatureError();
    return toProviderEvent(event);
  }

  async #capture(orderId: string, idempotencyKey: string): Promise<ProviderPayment> {
    const order = await this.#call('POST', `/v2/checkout/orders/${encodeURIComponent(orderId)}/capture`, {
      requestId: idempotencyKey,
      body: {},
    });
    return toProviderPayment(order);
  }

  /** One API call with a bearer token; a token PayPal no longer accepts is renewed once. */
  async #call(
    method: 'GET' | 'POST',
    path: string,
    options: { requestId?: string; body?: Json } = {},
  ): Promise<Json> {
    try {
      try {
        return await this.#send(method, path, options, await this.#accessToken());
      } catch (error) {
        if (!(error instanceof PayPalHttpError) || error.status !== 401) throw error;
        this.#token = undefined;
        return await this.#send(method, path, options, await this.#accessToken());
      }
    } catch (error) {
      throw mapPayPalError(error);
    }
  }

  async #send(
    method: 'GET' | 'POST',
    path: string,
    options: { requestId?: string; body?: Json },
    token: string,
  ): Promise<Json> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      prefer: 'return=representation',
    };
    if (options.requestId !== undefined) headers['paypal-request-id'] = options.requestId;
    const init: RequestInit = { method, headers, signal: AbortSignal.timeout(this.#timeoutMs()) };
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    return readJson(await this.#fetch(new URL(path, this.#config.apiBase), init));
  }

  /** OAuth2 client credentials, cached until shortly before PayPal says the token expires. */
  async #accessToken(): Promise<string> {
    if (this.#token !== undefined && this.#token.expiresAt > this.#now()) return this.#token.value;
    const basic = Buffer.from(`${this.#config.clientId}:${this.#config.clientSecret}`).toString('base64');
    const answer = await readJson(
      await this.#fetch(new URL('/v1/oauth2/token', this.#config.apiBase), {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
        signal: AbortSignal.timeout(this.#timeoutMs()),
      }),
    );
    const value = requiredString(answer.access_token);
    const expiresIn = typeof answer.expires_in === 'number' ? answer.expires_in : 0;
    this.#token = { value, expiresAt: this.#now() + expiresIn * 1000 - TOKEN_MARGIN_MS };
    return value;
  }

  /** Per request, cut to what is left of the request's budget (app/deadline.ts). */
  #timeoutMs(): number {
    return Math.max(1, timeLeft(this.#config.timeoutMs ?? DEFAULT_TIMEOUT_MS));
  }
}

async function readJson(response: Response): Promise<Json> {
  const text = await response.text();
  const body = text === '' ? {} : parseJson(text);
  if (!response.ok) throw new PayPalHttpError(response.status, body ?? {});
  if (body === undefined) throw new ProcessorError({ retryable: false });
  return body;
}
