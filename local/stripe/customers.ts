/**
 * Customers, as far as the payment adapters use them: created (one per user of the app, one per merchant
 * customer), retrieved and deleted.
 * PaymentMethods attach to one (payment-methods.ts), and a PaymentIntent may only use a PaymentMethod
 * attached to its own customer (payment-intents.ts).
 */
import { noSuchObject } from './errors.js';
import type { FormParams } from './form.js';
import { newId } from './ids.js';
import { type CustomerObject, unixNow } from './objects.js';
import { optionalMetadata, optionalString, rejectUnknownParams } from './params.js';
import type { ApiContext, StripeState } from './state.js';

/** `POST /v1/customers` */
export function createCustomer(ctx: ApiContext, params: FormParams): CustomerObject {
  rejectUnknownParams(params, ['description', 'email', 'expand', 'metadata', 'name']);
  const customer: CustomerObject = {
    id: newId('cus'),
    object: 'customer',
    created: unixNow(),
    description: optionalString(params, 'description') ?? null,
    email: optionalString(params, 'email') ?? null,
    livemode: false,
    metadata: optionalMetadata(params) ?? {},
    name: optionalString(params, 'name') ?? null,
  };
  ctx.state.customers.set(customer.id, customer);
  return structuredClone(customer);
}

/** `GET /v1/customers/:id` */
export function retrieveCustomer(ctx: ApiContext, params: FormParams, id: string): CustomerObject {
  rejectUnknownParams(params, ['expand']);
  return structuredClone(findCustomer(ctx.state, id, 'id', 404));
}

/**
 * `DELETE /v1/customers/:id`: as with Stripe, the customer's cards are detached with it, and deleting it again
 * (or an unknown one) is 404 resource_missing.
 */
export function deleteCustomer(
  ctx: ApiContext,
  params: FormParams,
  id: string,
): { id: string; object: 'customer'; deleted: true } {
  rejectUnknownParams(params, []);
  findCustomer(ctx.state, id, 'id', 404);
  ctx.state.customers.delete(id);
  for (const stored of ctx.state.paymentMethods.values()) {
    if (stored.object.customer === id) stored.object.customer = null;
  }
  return { id, object: 'customer', deleted: true };
}

/** The customer an id names: 404 for the one in the URL, 400 naming the parameter otherwise. */
export function findCustomer(
  state: StripeState,
  id: string,
  param: string,
  status: 400 | 404,
): CustomerObject {
  const customer = state.customers.get(id);
  if (customer === undefined) throw noSuchObject('customer', id, param, status);
  return customer;
}
