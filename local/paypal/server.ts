/**
 * A PayPal-compatible test server: the part of PayPal's REST API the PayPal adapter uses.
 *
 *   POST /v1/oauth2/token                          (client credentials, Basic auth)
 *   POST /v2/checkout/orders                       GET /v2/checkout/orders/:id
 *   POST /v2/checkout/orders/:id/capture           POST /v2/payments/captures/:id/refund
 *   GET  /v2/payments/refunds/:id
 *   POST /v1/notifications/verify-webhook-signature
 *   GET  /v1/notifications/certs/:id               (the public key webhooks are signed with)
 *
 * As with PayPal: a bearer token from /v1/oauth2/token is required, `PayPal-Request-Id` makes a create,
 * capture or refund idempotent (the same id answers the first answer again), errors come in PayPal's shape
 * (`{name, message, debug_id, details: [{issue}]}`), and each state change emits an event, sent signed to
 * `webhookUrl` (CHECKOUT.ORDER.APPROVED, PAYMENT.CAPTURE.COMPLETED / DENIED / REFUNDED).
 * What the payer does at PayPal is a control route (see control below). State is in memory.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { recordOf } from '../../shared/json.js';
import { AUTH_ALGO, SigningKey } from './signing.js';

export interface PayPalServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  clientId: string;
  clientSecret: string;
  /** The id of the one webhook subscription: events are signed for it and verified against it. */
  webhookId: string;
  /** Where events are POSTed; without it they are only recorded. */
  webhookUrl?: string;
  onRequest?: () => void;
}

export interface RunningPayPalServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

/**
 * A simulated trouble at PayPal (`PUT /local/paypal/outage`): `unavailable` answers every API request 503;
 * `lose_answers` creates each order asked for and then drops the connection before answering, as when our
 * side crashes or times out right after PayPal acted (other requests are answered, so that only the
 * creates a test makes are lost, not the work the stack does meanwhile).
 */
export const PAYPAL_OUTAGES = ['none', 'unavailable', 'lose_answers'] as const;
export type PayPalOutage = (typeof PAYPAL_OUTAGES)[number];

interface Order {
  id: string;
  status: 'PAYER_ACTION_REQUIRED' | 'APPROVED' | 'COMPLETED';
  currency: string;
  value: string;
  description?: string;
  customId?: string;
  /** Set by the control route: the payer's funding is refused at capture. */
  declineOnCapture: boolean;
  capture?: Capture;
  createTime: string;
  updateTime: string;
}

interface Capture {
  id: string;
  orderId: string;
  status: 'COMPLETED' | 'DECLINED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';
  value: string;
  refunded: number;
}

export interface RecordedEvent {
  id: string;
  event_type: string;
  orderId: string;
  body: string;
}

class PayPalError extends Error {
  constructor(
    readonly status: number,
    readonly errorName: string,
    readonly issue?: string,
  ) {
    super(issue ?? errorName);
  }
}

const HOST = '127.0.0.1';
const CERT_ID = 'CERT-tween-local';
const TOKEN_TTL_SECONDS = 32_400;
const DELIVERY_ATTEMPTS = 4;
const FIRST_BACKOFF_MS = 250;

export async function startPayPalServer(options: PayPalServerOptions): Promise<RunningPayPalServer> {
  const app = new PayPalApp(options);
  const server = createServer((req, res) => {
    app.handle(req, res).catch((error: unknown) => {
      // A fault in this server: PayPal's shape, no internals; the socket is answered whatever happened.
      if (!res.headersSent) sendJson(res, 500, { name: 'INTERNAL_SERVER_ERROR', message: String(error) });
    });
  });
  const port = await listen(server, options.port ?? 0);
  app.baseUrl = `http://${HOST}:${port}`;
  return {
    url: app.baseUrl,
    port,
    close: async () => {
      await app.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

class PayPalApp {
  baseUrl = '';
  readonly #options: PayPalServerOptions;
  readonly #key = new SigningKey();
  readonly #tokens = new Set<string>();
  readonly #orders = new Map<string, Order>();
  readonly #captures = new Map<string, Capture>();
  readonly #refunds = new Map<string, Json>();
  readonly #replies = new Map<string, { status: number; body: Json }>();
  readonly #events: RecordedEvent[] = [];
  readonly #deliveries = new Set<Promise<void>>();
  #closed = false;
  #outage: PayPalOutage = 'none';

  constructor(options: PayPalServerOptions) {
    this.#options = options;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled(this.#deliveries);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    try {
      if (url.pathname.startsWith('/local/paypal/') || url.pathname === '/checkoutnow') {
        const answer = this.#control(method, url, raw);
        sendJson(res, answer.status, answer.body);
        return;
      }
      this.#options.onRequest?.();
      if (this.#outage === 'unavailable') {
        sendJson(res, 503, { name: 'SERVICE_UNAVAILABLE', message: 'The local PayPal server is down.' });
        return;
      }
      if (method === 'POST' && url.pathname === '/v1/oauth2/token') {
        sendJson(res, 200, this.#token(req, raw));
        return;
      }
      const cert = /^\/v1\/notifications\/certs\/([^/]+)$/.exec(url.pathname);
      if (method === 'GET' && cert !== null) {
        const pem = this.#key.publicKey.export({ type: 'spki', format: 'pem' });
        res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(pem);
        return;
      }
      this.#authorize(req);
      const body = raw === '' ? {} : parseBody(raw);
      const requestId = header(req, 'paypal-request-id');
      const answer = await this.#idempotent(method, url.pathname, requestId, () =>
        this.#api(method, url.pathname, body),
      );
      if (this.#outage === 'lose_answers' && method === 'POST' && url.pathname === '/v2/checkout/orders') {
        res.destroy();
        return;
      }
      sendJson(res, answer.status, answer.body);
    } catch (error) {
      if (!(error instanceof PayPalError)) throw error;
      sendJson(res, error.status, {
        name: error.errorName,
        message: error.issue ?? error.errorName,
        debug_id: randomUUID().slice(0, 13),
        ...(error.issue === undefined ? {} : { details: [{ issue: error.issue }] }),
      });
    }
  }

  #token(req: IncomingMessage, raw: string): Json {
    const expected = `Basic ${Buffer.from(`${this.#options.clientId}:${this.#options.clientSecret}`).toString('base64')}`;
    if (header(req, 'authorization') !== expected) throw new PayPalError(401, 'invalid_client');
    if (new URLSearchParams(raw).get('grant_type') !== 'client_credentials') {
      throw new PayPalError(400, 'unsupported_grant_type');
    }
    const token = `A21_local_${randomUUID()}`;
    this.#tokens.add(token);
    return {
      scope: 'https://uri.paypal.com/services/payments',
      access_token: token,
      token_type: 'Bearer',
      expires_in: TOKEN_TTL_SECONDS,
    };
  }

  #authorize(req: IncomingMessage): void {
    const token = /^Bearer (.+)$/.exec(header(req, 'authorization') ?? '')?.[1];
    if (token === undefined || !this.#tokens.has(token)) throw new PayPalError(401, 'AUTHENTICATION_FAILURE');
  }

  /** The same PayPal-Request-Id on the same path answers the first answer again, errors included. */
  async #idempotent(
    method: string,
    path: string,
    requestId: string | undefined,
    run: () => Promise<{ status: number; body: Json }> | { status: number; body: Json },
  ): Promise<{ status: number; body: Json }> {
    if (method !== 'POST' || requestId === undefined) return run();
    const key = `${path}\n${requestId}`;
    const earlier = this.#replies.get(key);
    if (earlier !== undefined) return earlier;
    try {
      const answer = await run();
      this.#replies.set(key, answer);
      return answer;
    } catch (error) {
      if (error instanceof PayPalError && error.status < 500) {
        this.#replies.set(key, {
          status: error.status,
          body: { name: error.errorName, details: [{ issue: error.issue }] },
        });
      }
      throw error;
    }
  }

  #api(method: string, path: string, body: Json): { status: number; body: Json } {
    if (method === 'POST' && path === '/v2/checkout/orders')
      return { status: 201, body: this.#createOrder(body) };
    const order = /^\/v2\/checkout\/orders\/([^/]+)(\/capture)?$/.exec(path);
    if (order?.[1] !== undefined) {
      const found = this.#order(order[1]);
      if (method === 'GET' && order[2] === undefined) return { status: 200, body: this.#orderView(found) };
      if (method === 'POST' && order[2] === '/capture') return { status: 201, body: this.#capture(found) };
    }
    const stored = /^\/v2\/payments\/refunds\/([^/]+)$/.exec(path)?.[1];
    if (method === 'GET' && stored !== undefined) {
      const found = this.#refunds.get(stored);
      if (found === undefined) throw new PayPalError(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID');
      return { status: 200, body: found };
    }
    const refund = /^\/v2\/payments\/captures\/([^/]+)\/refund$/.exec(path);
    if (method === 'POST' && refund?.[1] !== undefined)
      return { status: 201, body: this.#refund(refund[1], body) };
    if (method === 'POST' && path === '/v1/notifications/verify-webhook-signature') {
      return { status: 200, body: { verification_status: this.#verify(body) ? 'SUCCESS' : 'FAILURE' } };
    }
    throw new PayPalError(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID');
  }

  #createOrder(body: Json): Json {
    if (body.intent !== 'CAPTURE') throw new PayPalError(422, 'UNPROCESSABLE_ENTITY', 'INTENT_NOT_SUPPORTED');
    const unit = Array.isArray(body.purchase_units) ? recordOf(body.purchase_units[0]) : undefined;
    const amount = recordOf(unit?.amount);
    const currency = stringOf(amount?.currency_code);
    const value = stringOf(amount?.value);
    if (
      currency === undefined ||
      value === undefined ||
      !/^\d+(\.\d{1,3})?$/.test(value) ||
      Number(value) <= 0
    ) {
      throw new PayPalError(400, 'INVALID_REQUEST', 'INVALID_PARAMETER_VALUE');
    }
    const now = new Date().toISOString();
    const order: Order = {
      id: this.#id(),
      status: 'PAYER_ACTION_REQUIRED',
      currency,
      value,
      declineOnCapture: false,
      createTime: now,
      updateTime: now,
    };
    const description = stringOf(unit?.description);
    if (description !== undefined) order.description = description;
    const customId = stringOf(unit?.custom_id);
    if (customId !== undefined) order.customId = customId;
    this.#orders.set(order.id, order);
    return this.#orderView(order);
  }

  #capture(order: Order): Json {
    if (order.status === 'COMPLETED')
      throw new PayPalError(422, 'UNPROCESSABLE_ENTITY', 'ORDER_ALREADY_CAPTURED');
    if (order.status !== 'APPROVED') throw new PayPalError(422, 'UNPROCESSABLE_ENTITY', 'ORDER_NOT_APPROVED');
    const capture: Capture = {
      id: this.#id(),
      orderId: order.id,
      status: order.declineOnCapture ? 'DECLINED' : 'COMPLETED',
      value: order.value,
      refunded: 0,
    };
    order.capture = capture;
    order.status = 'COMPLETED';
    order.updateTime = new Date().toISOString();
    this.#captures.set(capture.id, capture);
    this.#emit(
      capture.status === 'COMPLETED' ? 'PAYMENT.CAPTURE.COMPLETED' : 'PAYMENT.CAPTURE.DENIED',
      'capture',
      order.id,
      this.#captureView(capture, order),
    );
    return this.#orderView(order);
  }

  #refund(captureId: string, body: Json): Json {
    const capture = this.#captures.get(captureId);
    if (capture === undefined) throw new PayPalError(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID');
    const order = this.#order(capture.orderId);
    if (capture.status === 'DECLINED')
      throw new PayPalError(422, 'UNPROCESSABLE_ENTITY', 'CAPTURE_NOT_COMPLETED');
    if (capture.status === 'REFUNDED')
      throw new PayPalError(422, 'UNPROCESSABLE_ENTITY', 'CAPTURE_FULLY_REFUNDED');
    const total = cents(capture.value);
    const asked = stringOf(recordOf(body.amount)?.value);
    const amount = asked === undefined ? total - capture.refunded : cents(asked);
    if (amount <= 0 || capture.refunded + amount > total) {
      throw new PayPalError(422, 'UNPROCESSABLE_ENTITY', 'REFUND_AMOUNT_EXCEEDED');
    }
    capture.refunded += amount;
    capture.status = capture.refunded === total ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    const refund: Json = {
      id: this.#id(),
      status: 'COMPLETED',
      amount: { currency_code: order.currency, value: decimal(amount, capture.value) },
      custom_id: order.customId,
      supplementary_data: { related_ids: { order_id: order.id, capture_id: capture.id } },
      create_time: new Date().toISOString(),
    };
    this.#refunds.set(String(refund.id), refund);
    this.#emit('PAYMENT.CAPTURE.REFUNDED', 'refund', order.id, refund);
    return refund;
  }

  /** Checks a real signature this server made, over the message PayPal documents, for our webhook id. */
  #verify(body: Json): boolean {
    const event = recordOf(body.webhook_event);
    const transmissionId = stringOf(body.transmission_id);
    const transmissionTime = stringOf(body.transmission_time);
    const signature = stringOf(body.transmission_sig);
    if (
      event === undefined ||
      transmissionId === undefined ||
      transmissionTime === undefined ||
      signature === undefined
    ) {
      throw new PayPalError(400, 'VALIDATION_ERROR', 'MISSING_REQUIRED_PARAMETER');
    }
    if (body.webhook_id !== this.#options.webhookId || body.auth_algo !== AUTH_ALGO) return false;
    if (body.cert_url !== this.#certUrl()) return false;
    return this.#key.verify(
      { transmissionId, transmissionTime, webhookId: this.#options.webhookId, body: JSON.stringify(event) },
      signature,
    );
  }

  /**
   * What happens outside the API:
   *   POST /local/paypal/orders/:id/approve  `?decline=true` → approved, but the capture will be declined
   *   GET  /checkoutnow?token=:id            the approve link a payer opens: approves, as the payer would
   *   GET  /local/paypal/events?order=:id    the events emitted, oldest first
   *   POST /local/paypal/events/:id/deliver  sends an event once more, freshly signed
   *   GET  /local/paypal/events/:id/signed   an event's body and freshly signed headers, for a test to send
   *                                          (`?sentSecondsAgo=600`: signed as if transmitted that long ago)
   *   GET  /local/paypal/orders              every order: id, status, custom_id
   *   GET|PUT /local/paypal/outage           the simulated outage: `{"mode": "none" | "unavailable" | "lose_answers"}`
   */
  #control(method: string, url: URL, raw: string): { status: number; body: Json } {
    if (url.pathname === '/local/paypal/outage' && (method === 'GET' || method === 'PUT')) {
      if (method === 'PUT') this.#outage = outageOf(raw === '' ? {} : parseBody(raw));
      return { status: 200, body: { mode: this.#outage } };
    }
    if (method === 'GET' && url.pathname === '/local/paypal/orders') {
      const orders = [...this.#orders.values()].map((order) => ({
        id: order.id,
        status: order.status,
        custom_id: order.customId ?? null,
        capture_status: order.capture?.status ?? null,
      }));
      return { status: 200, body: { orders } };
    }
    const approve = /^\/local\/paypal\/orders\/([^/]+)\/approve$/.exec(url.pathname);
    const approveId =
      approve?.[1] ?? (url.pathname === '/checkoutnow' ? url.searchParams.get('token') : undefined);
    if ((method === 'POST' || url.pathname === '/checkoutnow') && typeof approveId === 'string') {
      const order = this.#order(approveId);
      if (order.status !== 'PAYER_ACTION_REQUIRED')
        throw new PayPalError(422, 'UNPROCESSABLE_ENTITY', 'ORDER_ALREADY_APPROVED');
      order.status = 'APPROVED';
      order.declineOnCapture = url.searchParams.get('decline') === 'true';
      order.updateTime = new Date().toISOString();
      this.#emit('CHECKOUT.ORDER.APPROVED', 'checkout-order', order.id, this.#orderView(order));
      return { status: 200, body: this.#orderView(order) };
    }
    if (method === 'GET' && url.pathname === '/local/paypal/events') {
      const orderId = url.searchParams.get('order');
      const events = this.#events.filter((event) => orderId === null || event.orderId === orderId);
      return {
        status: 200,
        body: {
          events: events.map((event) => ({
            id: event.id,
            event_type: event.event_type,
            order_id: event.orderId,
          })),
        },
      };
    }
    const signed = /^\/local\/paypal\/events\/([^/]+)\/signed$/.exec(url.pathname);
    if (method === 'GET' && signed?.[1] !== undefined) {
      const event = this.#events.find((candidate) => candidate.id === signed[1]);
      if (event === undefined) throw new PayPalError(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID');
      const ago = Number(url.searchParams.get('sentSecondsAgo') ?? '0');
      if (!Number.isFinite(ago) || ago < 0)
        throw new PayPalError(400, 'INVALID_REQUEST', 'INVALID_PARAMETER_VALUE');
      const sentAt = new Date(Date.now() - ago * 1000);
      return { status: 200, body: { body: event.body, headers: this.#signedHeaders(event.body, sentAt) } };
    }
    const deliver = /^\/local\/paypal\/events\/([^/]+)\/deliver$/.exec(url.pathname);
    if (method === 'POST' && deliver?.[1] !== undefined) {
      const event = this.#events.find((candidate) => candidate.id === deliver[1]);
      if (event === undefined) throw new PayPalError(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID');
      this.#deliver(event);
      return { status: 202, body: { id: event.id } };
    }
    throw new PayPalError(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID');
  }

  #emit(type: string, resourceType: string, orderId: string, resource: Json): void {
    const event: RecordedEvent = {
      id: `WH-${this.#id()}`,
      event_type: type,
      orderId,
      body: JSON.stringify({
        id: '',
        event_version: '1.0',
        create_time: new Date().toISOString(),
        resource_type: resourceType,
        resource_version: '2.0',
        event_type: type,
        summary: type,
        resource,
      }),
    };
    event.body = event.body.replace('"id":""', `"id":"${event.id}"`);
    this.#events.push(event);
    this.#deliver(event);
  }

  /** One delivery: signed afresh (a current transmission time), retried with backoff on failure. */
  #deliver(event: RecordedEvent): void {
    const url = this.#options.webhookUrl;
    if (url === undefined || this.#closed) return;
    const delivery = this.#send(url, event).finally(() => this.#deliveries.delete(delivery));
    this.#deliveries.add(delivery);
  }

  async #send(url: string, event: RecordedEvent): Promise<void> {
    for (let attempt = 1; attempt <= DELIVERY_ATTEMPTS && !this.#closed; attempt += 1) {
      if (attempt > 1)
        await new Promise((resolve) => setTimeout(resolve, FIRST_BACKOFF_MS * 2 ** (attempt - 2)));
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...this.#signedHeaders(event.body) },
          body: event.body,
          signal: AbortSignal.timeout(5000),
        });
        await response.arrayBuffer();
        if (response.ok) return;
      } catch {
        // Unreachable or timed out: PayPal tries again later, as here.
      }
    }
  }

  /** The five transmission headers of one delivery of `body`, signed at `sentAt` (now). */
  #signedHeaders(body: string, sentAt = new Date()): Record<string, string> {
    const transmissionId = randomUUID();
    const transmissionTime = sentAt.toISOString();
    const signature = this.#key.sign({
      transmissionId,
      transmissionTime,
      webhookId: this.#options.webhookId,
      body,
    });
    return {
      'paypal-transmission-id': transmissionId,
      'paypal-transmission-time': transmissionTime,
      'paypal-transmission-sig': signature,
      'paypal-cert-url': this.#certUrl(),
      'paypal-auth-algo': AUTH_ALGO,
    };
  }

  #certUrl(): string {
    return `${this.baseUrl}/v1/notifications/certs/${CERT_ID}`;
  }

  #order(id: string): Order {
    const order = this.#orders.get(id);
    if (order === undefined) throw new PayPalError(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID');
    return order;
  }

  #orderView(order: Order): Json {
    const unit: Json = {
      reference_id: 'default',
      amount: { currency_code: order.currency, value: order.value },
    };
    if (order.description !== undefined) unit.description = order.description;
    if (order.customId !== undefined) unit.custom_id = order.customId;
    if (order.capture !== undefined) unit.payments = { captures: [this.#captureView(order.capture, order)] };
    const links: Json[] = [
      { href: `${this.baseUrl}/v2/checkout/orders/${order.id}`, rel: 'self', method: 'GET' },
    ];
    if (order.status === 'PAYER_ACTION_REQUIRED') {
      links.push({
        href: `${this.baseUrl}/checkoutnow?token=${order.id}`,
        rel: 'payer-action',
        method: 'GET',
      });
    }
    if (order.status === 'APPROVED') {
      links.push({
        href: `${this.baseUrl}/v2/checkout/orders/${order.id}/capture`,
        rel: 'capture',
        method: 'POST',
      });
    }
    return {
      id: order.id,
      intent: 'CAPTURE',
      status: order.status,
      purchase_units: [unit],
      create_time: order.createTime,
      update_time: order.updateTime,
      links,
    };
  }

  #captureView(capture: Capture, order: Order): Json {
    return {
      id: capture.id,
      status: capture.status,
      amount: { currency_code: order.currency, value: capture.value },
      final_capture: true,
      ...(order.customId === undefined ? {} : { custom_id: order.customId }),
      supplementary_data: { related_ids: { order_id: order.id } },
    };
  }

  /** PayPal's shape: 17 upper-case letters and digits (`5O190127TN364715T`). */
  #id(): string {
    return randomUUID().replace(/-/g, '').slice(0, 17).toUpperCase();
  }
}

/** A decimal string's value in its smallest written unit, scaled to `reference`'s decimals. */
function cents(value: string): number {
  const [whole = '0', fraction = ''] = value.split('.');
  return Number(`${whole}${fraction.padEnd(3, '0')}`);
}

/** The inverse of cents(), written with as many decimals as `reference` has. */
function decimal(amount: number, reference: string): string {
  const places = reference.split('.')[1]?.length ?? 0;
  const thousandths = String(amount).padStart(4, '0');
  const whole = thousandths.slice(0, -3).replace(/^0+(?=\d)/, '');
  const fraction = thousandths.slice(-3).slice(0, places);
  return places === 0 ? whole : `${whole}.${fraction}`;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new PayPalError(400, 'INVALID_REQUEST', 'MALFORMED_REQUEST_JSON');
  }
  const record = recordOf(parsed);
  if (record === undefined) throw new PayPalError(400, 'INVALID_REQUEST', 'MALFORMED_REQUEST_JSON');
  return record;
}

function outageOf(body: unknown): PayPalOutage {
  const mode = recordOf(body)?.mode;
  const known = PAYPAL_OUTAGES.find((candidate) => candidate === mode);
  if (known === undefined) throw new PayPalError(400, 'INVALID_REQUEST', 'INVALID_PARAMETER_VALUE');
  return known;
}

function sendJson(res: ServerResponse, status: number, body: Json): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'paypal-debug-id': randomUUID().slice(0, 13),
  });
  res.end(text);
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('no port'));
      else resolve(address.port);
    });
  });
}
