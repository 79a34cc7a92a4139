/**
 * A Stripe-compatible test server: the part of Stripe's v1 REST API the payment adapter uses, answering
 * the real `stripe` SDK pointed at it with `{ host, port, protocol: 'http' }`.
 *
 *   POST /v1/payment_intents                 GET /v1/payment_intents/:id      GET /v1/payment_intents
 *   POST /v1/payment_intents/:id/confirm     POST /v1/payment_intents/:id/capture
 *   POST /v1/payment_intents/:id/cancel
 *   POST /v1/refunds                         GET /v1/refunds/:id
 *   GET  /v1/payment_methods/:id             POST /v1/payment_methods/:id/attach
 *   POST /v1/customers                       GET /v1/customers/:id            DELETE /v1/customers/:id
 *   GET  /v1/charges/:id
 *   GET  /v1/events/:id
 *   POST /v1/accounts                        GET /v1/accounts/:id
 *   POST /v1/transfers                       GET /v1/transfers/:id
 *   POST /v1/transfers/:id/reversals         GET /v1/transfers/:id/reversals
 *   POST /v1/payouts                         GET /v1/payouts/:id   (both with `Stripe-Account`)
 *
 * As with Stripe: `Authorization: Bearer <secret key>` is required, bodies are form-encoded,
 * `Idempotency-Key` is honoured, errors come in Stripe's format and status codes, every response carries a
 * `Request-Id`, and each state change emits an Event, sent signed to `webhookUrl`. The documented test
 * PaymentMethods (`pm_card_visa`, `pm_card_chargeDeclined`, …) decide how payments go; `/local/stripe/`
 * routes stand in for what happens outside the API (see control.ts), and simulate an outage or a flaky API
 * (state.ts, StripeFaults). State is in memory.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { seedAccount } from './accounts.js';
import { serveControl } from './control.js';
import { invalidRequest, StripeApiError, unrecognizedUrl } from './errors.js';
import { EventLog } from './events.js';
import { type FormParams, parseForm } from './form.js';
import { type ApiResponse, errorResponse, headerValue, jsonResponse, readBody, send } from './http-io.js';
import { IdempotencyStore } from './idempotency.js';
import { newId } from './ids.js';
import { STRIPE_API_VERSION } from './objects.js';
import { type MatchedRoute, matchRoute } from './routes.js';
import { type ApiContext, type RequestRef, StripeState } from './state.js';
import { WebhookSender } from './webhooks.js';

export interface StripeServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The only API key accepted, e.g. `sk_test_…`. */
  secretKey: string;
  /** The endpoint signing secret (`whsec_…`) webhooks are signed with. */
  webhookSecret: string;
  /** Where events are POSTed; without it they are only recorded. */
  webhookUrl?: string;
  /** Called once per `/v1` API request received (the `stripeRequests` counter). */
  onRequest?: () => void;
  /** Connected accounts that exist from the start (a seeded merchant's), as `POST /v1/accounts` makes them. */
  connectedAccounts?: readonly string[];
}

export interface RunningStripeServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

interface App {
  options: StripeServerOptions;
  state: StripeState;
  events: EventLog;
  idempotency: IdempotencyStore;
  baseUrl: string;
}

export async function startStripeServer(opts: StripeServerOptions): Promise<RunningStripeServer> {
  if (opts.secretKey === '') throw new Error('startStripeServer: secretKey must not be empty');
  if (opts.webhookSecret === '') throw new Error('startStripeServer: webhookSecret must not be empty');
  const sender =
    opts.webhookUrl === undefined ? undefined : new WebhookSender(opts.webhookUrl, opts.webhookSecret);
  const state = new StripeState();
  for (const id of opts.connectedAccounts ?? []) seedAccount(state, id);
  const app: App = {
    options: opts,
    state,
    events: new EventLog(sender, () => state.faults.webhooks.draw() === 'lostWebhook'),
    idempotency: new IdempotencyStore(),
    baseUrl: '',
  };
  const server = createServer((req, res) => {
    void handle(app, req, res);
  });
  const port = await listen(server, opts.port ?? 0);
  app.baseUrl = `http://${HOST}:${port}`;
  return {
    url: app.baseUrl,
    port,
    close: async () => {
      await closeServer(server);
      app.state.connect.close();
      await app.events.close();
    },
  };
}

async function handle(app: App, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', app.baseUrl);
    if (url.pathname.startsWith('/v1/')) {
      await serveApi(app, req, res, url);
    } else if (url.pathname.startsWith('/local/stripe/')) {
      const request: RequestRef = { id: null, idempotency_key: null };
      await serveControl(contextFor(app, request, null), req, res, url);
    } else {
      throw unrecognizedUrl(req.method ?? 'GET', url.pathname);
    }
  } catch (error) {
    if (!res.headersSent) send(res, errorResponse(error));
    else res.destroy();
  }
}

async function serveApi(app: App, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  app.options.onRequest?.();
  if (app.state.outage === 'unreachable') {
    res.destroy();
    return;
  }
  if (app.state.outage === 'unavailable') {
    // As Stripe's edge answers when the API is down: nothing executed, so nothing saved under the key.
    send(res, outageResponse(), { 'Request-Id': newId('req') });
    return;
  }
  // A lost answer only means something for a request that changes something: for a GET it is a timeout.
  const fault = app.state.faults.plan.draw(
    (kind) => kind !== 'lostResponse' || (req.method === 'POST' && !isCardBookkeeping(url.pathname)),
  );
  if (fault === 'serverError') {
    // Like the outage: refused before anything executed, so a retry under the same key runs it afresh.
    send(res, injectedErrorResponse(app.state.faults.plan.snapshot().injected.serverError), {
      'Request-Id': newId('req'),
    });
    return;
  }
  if (fault === 'timeout') {
    await new Promise((resolve) => setTimeout(resolve, app.state.faults.hangMs));
    res.destroy();
    return;
  }
  const method = req.method ?? 'GET';
  const requestId = newId('req');
  const headers: Record<string, string> = {
    'Request-Id': requestId,
    'Stripe-Version': headerValue(req, 'stripe-version') ?? STRIPE_API_VERSION,
  };
  let response: ApiResponse;
  try {
    authenticate(req, app.options.secretKey);
    const body = await readBody(req);
    const params = parseForm(method === 'POST' ? body : url.search.slice(1));
    const route = matchRoute(method, url.pathname);
    const account = headerValue(req, 'stripe-account') ?? null;
    if (account !== null) headers['Stripe-Account'] = account;
    // Stripe applies idempotency to POSTs only; GETs are idempotent anyway.
    const key = method === 'POST' ? headerValue(req, 'idempotency-key') : undefined;
    if (key === undefined) {
      response = run(app, route, params, { id: requestId, idempotency_key: null }, account).response;
    } else {
      headers['Idempotency-Key'] = key;
      // A key is scoped to the account it was used on, as Stripe scopes it.
      const endpoint = `${method} ${url.pathname}${account === null ? '' : ` on ${account}`}`;
      const saved = app.idempotency.lookup(key, endpoint, params);
      if (saved !== undefined) {
        headers['Idempotent-Replayed'] = 'true';
        headers['Original-Request'] = saved.requestId;
        response = saved;
      } else {
        const outcome = run(app, route, params, { id: requestId, idempotency_key: key }, account);
        if (outcome.save) app.idempotency.save(key, endpoint, params, { ...outcome.response, requestId });
        response = outcome.response;
      }
    }
  } catch (error) {
    response = errorResponse(error);
  }
  // The request ran (and its events went out); the caller just never hears how it went.
  if (fault === 'lostResponse') res.destroy();
  else send(res, response, headers);
}

/**
 * Creating a customer and attaching a card come before a charge, and are idempotent by key like it; a lost
 * answer is what the crash window simulates for the calls that move money (a charge made, its answer lost),
 * and losing every answer to these would end the request before the charge it is about.
 */
function isCardBookkeeping(path: string): boolean {
  return path === '/v1/customers' || /^\/v1\/payment_methods\/[^/]+\/attach$/.test(path);
}

function outageResponse(): ApiResponse {
  return jsonResponse(503, {
    error: { type: 'api_error', message: 'The local Stripe server is simulating an outage.' },
  });
}

/** The injected server errors alternate between 503 and 500, both of which Stripe documents. */
function injectedErrorResponse(count: number): ApiResponse {
  return jsonResponse(count % 2 === 1 ? 503 : 500, {
    error: { type: 'api_error', message: 'The local Stripe server is injecting a fault (flaky mode).' },
  });
}

/** Runs a handler; `save` says whether an idempotent result may be kept (not for validation failures). */
function run(
  app: App,
  route: MatchedRoute,
  params: FormParams,
  request: RequestRef,
  account: string | null,
): { response: ApiResponse; save: boolean } {
  try {
    return {
      response: jsonResponse(200, route.handler(contextFor(app, request, account), params, route.id)),
      save: true,
    };
  } catch (error) {
    if (error instanceof StripeApiError) return { response: errorResponse(error), save: !error.isValidation };
    throw error;
  }
}

function contextFor(app: App, request: RequestRef, stripeAccount: string | null): ApiContext {
  return { state: app.state, events: app.events, request, stripeAccount, baseUrl: app.baseUrl };
}

/** `Authorization: Bearer <key>`, or HTTP Basic with the key as user name (`curl -u sk_test_…:`). */
function authenticate(req: IncomingMessage, secretKey: string): void {
  const header = headerValue(req, 'authorization');
  if (header === undefined || header.trim() === '') {
    throw invalidRequest(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
      { status: 401 },
    );
  }
  const [scheme = '', credentials = ''] = header.trim().split(/\s+/, 2);
  const key =
    scheme.toLowerCase() === 'basic'
      ? (Buffer.from(credentials, 'base64').toString('utf8').split(':')[0] ?? '')
      : scheme.toLowerCase() === 'bearer'
        ? credentials
        : '';
  if (!sameSecret(key, secretKey)) {
    throw invalidRequest(`Invalid API Key provided: ${maskKey(key)}`, { status: 401 });
  }
}

/** Compares digests, so the time taken says nothing about how much of the key matched. */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** `sk_test_********************1234`, as Stripe shows a rejected key. */
function maskKey(key: string): string {
  const prefix = /^[a-z]+_(?:test|live)_/.exec(key)?.[0] ?? '';
  const rest = key.slice(prefix.length);
  return `${prefix}${'*'.repeat(Math.max(0, rest.length - 4))}${rest.slice(-4)}`;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('The server has no TCP address'));
      else resolve(address.port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error === undefined ? resolve() : reject(error)));
    server.closeAllConnections();
  });
}
