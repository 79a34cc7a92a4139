/** The PayPal API subset this server answers behind a bearer token, as method and path → handler. */
import { resourceNotFound } from './errors.js';
import type { Json } from './http-io.js';
import { orderView } from './objects.js';
import { captureOrder, createOrder, refundCapture, retrieveRefund } from './orders.js';
import type { PayPalState, Reply } from './state.js';
import { verifyWebhookSignature } from './webhooks.js';

export function routeApi(state: PayPalState, method: string, path: string, body: Json): Reply {
  if (method === 'POST' && path === '/v2/checkout/orders')
    return { status: 201, body: createOrder(state, body) };
  const order = /^\/v2\/checkout\/orders\/([^/]+)(\/capture)?$/.exec(path);
  if (order?.[1] !== undefined) {
    const found = state.order(order[1]);
    if (method === 'GET' && order[2] === undefined)
      return { status: 200, body: orderView(state.baseUrl, found) };
    if (method === 'POST' && order[2] === '/capture')
      return { status: 201, body: captureOrder(state, found) };
  }
  const stored = /^\/v2\/payments\/refunds\/([^/]+)$/.exec(path)?.[1];
  if (method === 'GET' && stored !== undefined) return { status: 200, body: retrieveRefund(state, stored) };
  const refund = /^\/v2\/payments\/captures\/([^/]+)\/refund$/.exec(path);
  if (method === 'POST' && refund?.[1] !== undefined)
    return { status: 201, body: refundCapture(state, refund[1], body) };
  if (method === 'POST' && path === '/v1/notifications/verify-webhook-signature') {
    const verified = verifyWebhookSignature(state, body);
    return { status: 200, body: { verification_status: verified ? 'SUCCESS' : 'FAILURE' } };
  }
  throw resourceNotFound();
}
