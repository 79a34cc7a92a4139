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
  ProviderPaymentStatus,
  ProviderRefund,
  WebhookHeaders,
} from '../../app/ports.js';
import { ValidationError } from '../../domain/errors.js';
import { PAYPAL_METHOD_ID } from '../../domain/payment.js';
import { ProcessorError, WebhookSignatureError } from '../../domain/provider-errors.js';
import { parseJsonRecord as parseJson, recordOf } from '../../json.js';
import { fromPayPalValue, toPayPalValue } from './amounts.js';
import { mapPayPalError, PayPalHttpError } from './map-error.js';

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
/** PayPal's limit on `custom_id`, where our metadata travels. */
const CUSTOM_ID_MAX = 127;
/** The metadata keys that name our record: kept when the rest does not fit into `custom_id`. */
const SUBJECT_KEYS: readonly string[] = ['topupId', 'paymentId'];

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

/** PayPal's order as the port's payment: its status, what was captured, and the metadata we sent along. */
export function toProviderPayment(order: Json): ProviderPayment {
  const currency = currencyOf(order);
  const unit = firstUnit(order);
  const amount = fromPayPalValue(requiredString(recordOf(unit?.amount)?.value), currency);
  const captures = capturesOf(order);
  const received = captures
    .filter(
      (capture) =>
        capture.status === 'COMPLETED' ||
        capture.status === 'PARTIALLY_REFUNDED' ||
        capture.status === 'REFUNDED',
    )
    .reduce(
      (sum, capture) => sum + fromPayPalValue(requiredString(recordOf(capture.amount)?.value), currency),
      0,
    );
  const payment: ProviderPayment = {
    provider: 'paypal',
    id: requiredString(order.id),
    status: paymentStatusOf(requiredString(order.status), captures),
    amount,
    amountReceived: received,
    currency,
  };
  if (payment.status === 'requires_action') {
    const approve = linkOf(order, 'payer-action') ?? linkOf(order, 'approve');
    if (approve !== undefined) payment.nextActionUrl = approve;
  }
  const metadata = metadataOf(stringOf(unit?.custom_id));
  if (metadata !== undefined) payment.metadata = metadata;
  if (payment.status === 'requires_payment_method') payment.failureCode = 'generic_decline';
  return payment;
}

function paymentStatusOf(status: string, captures: readonly Json[]): ProviderPaymentStatus {
  switch (status) {
    case 'CREATED':
    case 'PAYER_ACTION_REQUIRED':
      return 'requires_action';
    case 'SAVED':
    case 'APPROVED':
      return 'requires_confirmation';
    case 'VOIDED':
      return 'canceled';
    case 'COMPLETED':
      return completedStatusOf(captures);
    default:
      // A status newer than this code: nothing may be concluded from it.
      throw new ProcessorError({ retryable: false });
  }
}

/** A COMPLETED order only says the capture was attempted; the capture says how it went. */
function completedStatusOf(captures: readonly Json[]): ProviderPaymentStatus {
  const statuses = captures.map((capture) => capture.status);
  if (statuses.some((s) => s === 'COMPLETED' || s === 'PARTIALLY_REFUNDED' || s === 'REFUNDED'))
    return 'succeeded';
  if (statuses.some((s) => s === 'PENDING')) return 'processing';
  if (statuses.some((s) => s === 'DECLINED' || s === 'FAILED')) return 'requires_payment_method';
  return 'processing';
}

function toProviderRefund(refund: Json, paymentId: string, currency: string | undefined): ProviderRefund {
  const amount = recordOf(refund.amount);
  const refundCurrency = stringOf(amount?.currency_code) ?? currency;
  if (refundCurrency === undefined) throw new ValidationError('The PayPal refund names no currency');
  return {
    provider: 'paypal',
    id: requiredString(refund.id),
    paymentId,
    amount: fromPayPalValue(requiredString(amount?.value), refundCurrency),
    currency: refundCurrency,
    status: refundStatusOf(stringOf(refund.status)),
  };
}

function refundStatusOf(status: string | undefined): ProviderRefund['status'] {
  switch (status) {
    case 'COMPLETED':
      return 'succeeded';
    case 'FAILED':
      return 'failed';
    case 'CANCELLED':
      return 'canceled';
    default:
      return 'pending';
  }
}

/**
 * A PayPal event as the port's: orders are their own object; a capture or refund is grouped under its order
 * (`supplementary_data.related_ids.order_id`), so one payment's events stay in order on the queue.
 */
export function toProviderEvent(event: Json): ProviderEvent {
  const id = stringOf(event.id);
  const type = stringOf(event.event_type);
  const resource = recordOf(event.resource);
  const resourceId = stringOf(resource?.id);
  if (id === undefined || type === undefined || resource === undefined || resourceId === undefined) {
    throw new ValidationError('The webhook event names no object');
  }
  const orderId =
    event.resource_type === 'checkout-order'
      ? resourceId
      : stringOf(recordOf(recordOf(resource.supplementary_data)?.related_ids)?.order_id);
  const details = detailsOf(type, resource);
  const created = stringOf(event.create_time);
  return {
    provider: 'paypal',
    id,
    type,
    objectId: orderId ?? resourceId,
    ...(orderId === undefined ? {} : { paymentId: orderId }),
    ...(details === undefined ? {} : { details }),
    createdAt:
      created === undefined || Number.isNaN(Date.parse(created))
        ? new Date(0).toISOString()
        : new Date(created).toISOString(),
    payload: event,
  };
}

function detailsOf(type: string, resource: Json): Record<string, string | number> | undefined {
  if (type !== 'PAYMENT.CAPTURE.REFUNDED') return undefined;
  const amount = recordOf(resource.amount);
  const currency = stringOf(amount?.currency_code);
  const value = stringOf(amount?.value);
  if (currency === undefined || value === undefined) return { refundId: requiredString(resource.id) };
  return {
    refundId: requiredString(resource.id),
    amountRefunded: fromPayPalValue(value, currency),
    currency,
  };
}

/** Our metadata in `custom_id` as a query string; only the keys naming our record if it all does not fit. */
export function customIdOf(metadata: Readonly<Record<string, string>> | undefined): string | undefined {
  if (metadata === undefined || Object.keys(metadata).length === 0) return undefined;
  const all = new URLSearchParams(metadata).toString();
  if (all.length <= CUSTOM_ID_MAX) return all;
  const subject = new URLSearchParams(
    Object.entries(metadata).filter(([key]) => SUBJECT_KEYS.includes(key)),
  ).toString();
  if (subject === '' || subject.length > CUSTOM_ID_MAX)
    throw new ValidationError('The metadata does not fit PayPal');
  return subject;
}

function metadataOf(customId: string | undefined): Record<string, string> | undefined {
  if (customId === undefined || customId === '') return undefined;
  const entries = [...new URLSearchParams(customId).entries()];
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

function firstUnit(order: Json): Json | undefined {
  return Array.isArray(order.purchase_units) ? recordOf(order.purchase_units[0]) : undefined;
}

function currencyOf(order: Json): string {
  return requiredString(recordOf(firstUnit(order)?.amount)?.currency_code);
}

function capturesOf(order: Json): Json[] {
  const captures = recordOf(firstUnit(order)?.payments)?.captures;
  if (!Array.isArray(captures)) return [];
  return captures.flatMap((capture) => {
    const record = recordOf(capture);
    return record === undefined ? [] : [record];
  });
}

function linkOf(order: Json, rel: string): string | undefined {
  if (!Array.isArray(order.links)) return undefined;
  for (const link of order.links) {
    const record = recordOf(link);
    if (record?.rel === rel && typeof record.href === 'string') return record.href;
  }
  return undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A field PayPal always sends; without it the answer cannot be read, and nothing may be concluded. */
function requiredString(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new ProcessorError({ retryable: false });
  return value;
}
