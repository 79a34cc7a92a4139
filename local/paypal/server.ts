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
 * What the payer does at PayPal is a control route (see control.ts). State is in memory (state.ts); the
 * API's routes are in routes.ts, orders, captures and refunds in orders.ts, events in webhooks.ts.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { authorize, issueToken } from './auth.js';
import { control } from './control.js';
import { PayPalError } from './errors.js';
import { header, listen, parseBody, readBody, sendJson } from './http-io.js';
import { idempotent } from './idempotency.js';
import { routeApi } from './routes.js';
import { type PayPalServerOptions, PayPalState } from './state.js';

export {
  PAYPAL_OUTAGES,
  type PayPalOutage,
  type PayPalServerOptions,
  type RecordedEvent,
} from './state.js';

export interface RunningPayPalServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

export async function startPayPalServer(options: PayPalServerOptions): Promise<RunningPayPalServer> {
  const state = new PayPalState(options);
  const server = createServer((req, res) => {
    handle(state, req, res).catch((error: unknown) => {
      // A fault in this server: PayPal's shape, no internals; the socket is answered whatever happened.
      if (!res.headersSent) sendJson(res, 500, { name: 'INTERNAL_SERVER_ERROR', message: String(error) });
    });
  });
  const port = await listen(server, options.port ?? 0, HOST);
  state.baseUrl = `http://${HOST}:${port}`;
  return {
    url: state.baseUrl,
    port,
    close: async () => {
      state.closed = true;
      await Promise.allSettled(state.deliveries);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(state: PayPalState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', state.baseUrl);
  const method = req.method ?? 'GET';
  const raw = await readBody(req);
  try {
    if (url.pathname.startsWith('/local/paypal/') || url.pathname === '/checkoutnow') {
      const answer = control(state, method, url, raw);
      sendJson(res, answer.status, answer.body);
      return;
    }
    state.options.onRequest?.();
    if (state.outage === 'unavailable') {
      sendJson(res, 503, { name: 'SERVICE_UNAVAILABLE', message: 'The local PayPal server is down.' });
      return;
    }
    if (method === 'POST' && url.pathname === '/v1/oauth2/token') {
      sendJson(res, 200, issueToken(state, req, raw));
      return;
    }
    const cert = /^\/v1\/notifications\/certs\/([^/]+)$/.exec(url.pathname);
    if (method === 'GET' && cert !== null) {
      const pem = state.key.publicKey.export({ type: 'spki', format: 'pem' });
      res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(pem);
      return;
    }
    authorize(state, req);
    const body = raw === '' ? {} : parseBody(raw);
    const requestId = header(req, 'paypal-request-id');
    const answer = await idempotent(state, method, url.pathname, requestId, () =>
      routeApi(state, method, url.pathname, body),
    );
    if (state.outage === 'lose_answers' && method === 'POST' && url.pathname === '/v2/checkout/orders') {
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
