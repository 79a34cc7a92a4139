/**
 * The merchant API's customers and their payment methods (API.md "The merchant API"), called with a
 * merchant's secret key. One catalogue of the route table (../routes.ts).
 */
import type { RouteDefinition } from '../route-definition.js';

/**
 * No user token in front of these (the API-key authorizer is): a limit of their own, below the stage's, as
 * every route without one has, so one merchant's burst cannot take the whole API's capacity.
 */
const MERCHANT_API_THROTTLE = { burstLimit: 100, rateLimit: 50 } as const;

export const customersRoutes = [
  {
    method: 'POST',
    path: '/v1/customers',
    fn: 'merchantCustomers',
    auth: 'apiKey',
    scope: 'customers:write',
    throttle: MERCHANT_API_THROTTLE,
    idempotency: 'optional',
    summary: 'Create a customer (with its customer at the card processor)',
    tags: ['customers'],
  },
  {
    method: 'GET',
    path: '/v1/customers',
    fn: 'merchantCustomers',
    auth: 'apiKey',
    scope: 'customers:read',
    throttle: MERCHANT_API_THROTTLE,
    idempotency: 'none',
    summary: 'List customers, newest first, optionally by exact email',
    tags: ['customers'],
  },
  {
    method: 'GET',
    path: '/v1/customers/{customerId}',
    fn: 'merchantCustomers',
    auth: 'apiKey',
    scope: 'customers:read',
    throttle: MERCHANT_API_THROTTLE,
    idempotency: 'none',
    summary: 'Retrieve a customer',
    tags: ['customers'],
  },
  {
    method: 'POST',
    path: '/v1/customers/{customerId}',
    fn: 'merchantCustomers',
    auth: 'apiKey',
    scope: 'customers:write',
    throttle: MERCHANT_API_THROTTLE,
    idempotency: 'optional',
    summary: 'Update a customer: email, name, metadata, default payment method',
    tags: ['customers'],
  },
  {
    method: 'DELETE',
    path: '/v1/customers/{customerId}',
    fn: 'merchantCustomers',
    auth: 'apiKey',
    scope: 'customers:write',
    throttle: MERCHANT_API_THROTTLE,
    idempotency: 'none',
    summary: 'Delete a customer and forget its payment methods',
    tags: ['customers'],
  },
  {
    method: 'POST',
    path: '/v1/customers/{customerId}/payment_methods',
    fn: 'merchantCustomers',
    auth: 'apiKey',
    scope: 'customers:write',
    throttle: MERCHANT_API_THROTTLE,
    idempotency: 'optional',
    summary: 'Attach a payment method to a customer (at the card processor)',
    tags: ['customers'],
  },
  {
    method: 'GET',
    path: '/v1/customers/{customerId}/payment_methods',
    fn: 'merchantCustomers',
    auth: 'apiKey',
    scope: 'customers:read',
    throttle: MERCHANT_API_THROTTLE,
    idempotency: 'none',
    summary: "List a customer's payment methods, newest first",
    tags: ['customers'],
  },
  {
    method: 'DELETE',
    path: '/v1/customers/{customerId}/payment_methods/{paymentMethodId}',
    fn: 'merchantCustomers',
    auth: 'apiKey',
    scope: 'customers:write',
    throttle: MERCHANT_API_THROTTLE,
    idempotency: 'none',
    summary: 'Detach a payment method from a customer (a detached default is no longer the default)',
    tags: ['customers'],
  },
] as const satisfies readonly RouteDefinition[];
