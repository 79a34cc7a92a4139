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
import { recordOf } from '../../shared/json.js';
import { PayPalError, resourceNotFound } from './errors.js';
import { parseBody } from './http-io.js';
import { orderView } from './objects.js';
import { PAYPAL_OUTAGES, type PayPalOutage, type PayPalState, type Reply } from './state.js';
import { deliver, emit, signedHeaders } from './webhooks.js';

export function control(state: PayPalState, method: string, url: URL, raw: string): Reply {
  if (url.pathname === '/local/paypal/outage' && (method === 'GET' || method === 'PUT')) {
    if (method === 'PUT') state.outage = outageOf(raw === '' ? {} : parseBody(raw));
    return { status: 200, body: { mode: state.outage } };
  }
  if (method === 'GET' && url.pathname === '/local/paypal/orders') {
    const orders = [...state.orders.values()].map((order) => ({
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
    const order = state.order(approveId);
    if (order.status !== 'PAYER_ACTION_REQUIRED')
      throw new PayPalError(422, 'UNPROCESSABLE_ENTITY', 'ORDER_ALREADY_APPROVED');
    order.status = 'APPROVED';
    order.declineOnCapture = url.searchParams.get('decline') === 'true';
    order.updateTime = new Date().toISOString();
    emit(state, 'CHECKOUT.ORDER.APPROVED', 'checkout-order', order.id, orderView(state.baseUrl, order));
    return { status: 200, body: orderView(state.baseUrl, order) };
  }
  if (method === 'GET' && url.pathname === '/local/paypal/events') {
    const orderId = url.searchParams.get('order');
    const events = state.events.filter((event) => orderId === null || event.orderId === orderId);
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
    const event = state.events.find((candidate) => candidate.id === signed[1]);
    if (event === undefined) throw resourceNotFound();
    const ago = Number(url.searchParams.get('sentSecondsAgo') ?? '0');
    if (!Number.isFinite(ago) || ago < 0)
      throw new PayPalError(400, 'INVALID_REQUEST', 'INVALID_PARAMETER_VALUE');
    const sentAt = new Date(Date.now() - ago * 1000);
    return { status: 200, body: { body: event.body, headers: signedHeaders(state, event.body, sentAt) } };
  }
  const redeliver = /^\/local\/paypal\/events\/([^/]+)\/deliver$/.exec(url.pathname);
  if (method === 'POST' && redeliver?.[1] !== undefined) {
    const event = state.events.find((candidate) => candidate.id === redeliver[1]);
    if (event === undefined) throw resourceNotFound();
    deliver(state, event);
    return { status: 202, body: { id: event.id } };
  }
  throw resourceNotFound();
}

function outageOf(body: unknown): PayPalOutage {
  const mode = recordOf(body)?.mode;
  const known = PAYPAL_OUTAGES.find((candidate) => candidate === mode);
  if (known === undefined) throw new PayPalError(400, 'INVALID_REQUEST', 'INVALID_PARAMETER_VALUE');
  return known;
}
