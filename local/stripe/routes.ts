/**
 * The Stripe API subset this server answers, as `METHOD /v1/path` → handler. `:id` matches one path
 * segment and reaches the handler decoded.
 */
import { createAccount, retrieveAccount } from './accounts.js';
import { retrieveCharge } from './charges.js';
import {
  createPayout,
  createTransfer,
  createTransferReversal,
  listTransferReversals,
  retrievePayout,
  retrieveTransfer,
} from './connect.js';
import { createCustomer, deleteCustomer, retrieveCustomer } from './customers.js';
import { unrecognizedUrl } from './errors.js';
import { retrieveEvent } from './events.js';
import type { FormParams } from './form.js';
import {
  cancelPaymentIntent,
  capturePaymentIntent,
  confirmPaymentIntent,
  createPaymentIntent,
  listPaymentIntents,
  retrievePaymentIntent,
} from './payment-intents.js';
import { attachPaymentMethod, detachPaymentMethod, retrievePaymentMethod } from './payment-methods.js';
import { createRefund, retrieveRefund } from './refunds.js';
import type { ApiContext } from './state.js';

export type Handler = (ctx: ApiContext, params: FormParams, id: string) => object;

interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: RegExp;
  handler: Handler;
}

function route(method: Route['method'], template: string, handler: Handler): Route {
  return { method, pattern: new RegExp(`^${template.replace(':id', '([^/]+)')}$`), handler };
}

const ROUTES: readonly Route[] = [
  route('POST', '/v1/payment_intents', createPaymentIntent),
  route('GET', '/v1/payment_intents', listPaymentIntents),
  route('GET', '/v1/payment_intents/:id', retrievePaymentIntent),
  route('POST', '/v1/payment_intents/:id/confirm', confirmPaymentIntent),
  route('POST', '/v1/payment_intents/:id/capture', capturePaymentIntent),
  route('POST', '/v1/payment_intents/:id/cancel', cancelPaymentIntent),
  route('POST', '/v1/refunds', createRefund),
  route('GET', '/v1/refunds/:id', retrieveRefund),
  route('GET', '/v1/payment_methods/:id', retrievePaymentMethod),
  route('POST', '/v1/payment_methods/:id/attach', attachPaymentMethod),
  route('POST', '/v1/payment_methods/:id/detach', detachPaymentMethod),
  route('POST', '/v1/customers', createCustomer),
  route('GET', '/v1/customers/:id', retrieveCustomer),
  route('DELETE', '/v1/customers/:id', deleteCustomer),
  route('GET', '/v1/charges/:id', retrieveCharge),
  route('GET', '/v1/events/:id', retrieveEvent),
  route('POST', '/v1/accounts', createAccount),
  route('GET', '/v1/accounts/:id', retrieveAccount),
  route('POST', '/v1/transfers', createTransfer),
  route('GET', '/v1/transfers/:id', retrieveTransfer),
  route('POST', '/v1/transfers/:id/reversals', createTransferReversal),
  route('GET', '/v1/transfers/:id/reversals', listTransferReversals),
  route('POST', '/v1/payouts', createPayout),
  route('GET', '/v1/payouts/:id', retrievePayout),
];

export interface MatchedRoute {
  handler: Handler;
  id: string;
}

export function matchRoute(method: string, path: string): MatchedRoute {
  for (const candidate of ROUTES) {
    if (candidate.method !== method) continue;
    const match = candidate.pattern.exec(path);
    if (match === null) continue;
    try {
      return { handler: candidate.handler, id: decodeURIComponent(match[1] ?? '') };
    } catch {
      break; // A malformed %-escape names nothing.
    }
  }
  throw unrecognizedUrl(method, path);
}
