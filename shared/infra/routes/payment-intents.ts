/**
 * The merchant API's PaymentIntents (API.md "The merchant API"): server to server with a secret key.
 * One catalogue of the route table (../routes.ts).
 */
import type { RouteDefinition } from '../route-definition.js';

const common = { fn: 'paymentIntents', auth: 'apiKey', tags: ['payment_intents'] } as const;
/** No user token in front of these (the API-key authorizer is): a limit of their own, below the stage's. */
const throttle = { burstLimit: 100, rateLimit: 50 } as const;

export const paymentIntentsRoutes = [
  {
    ...common,
    method: 'POST',
    path: '/v1/payment_intents',
    scope: 'payments:write',
    idempotency: 'required',
    throttle,
    summary: 'Create a PaymentIntent (and confirm it with `confirm: true`)',
  },
  {
    ...common,
    method: 'GET',
    path: '/v1/payment_intents',
    scope: 'payments:read',
    idempotency: 'none',
    throttle,
    summary: "The merchant's PaymentIntents, newest first, by customer and status",
  },
  {
    ...common,
    method: 'GET',
    path: '/v1/payment_intents/{intentId}',
    scope: 'payments:read',
    idempotency: 'none',
    throttle,
    summary: 'A PaymentIntent',
  },
  {
    ...common,
    method: 'POST',
    path: '/v1/payment_intents/{intentId}/confirm',
    scope: 'payments:write',
    idempotency: 'required',
    throttle,
    summary: 'Confirm a PaymentIntent: charge or authorize the card',
  },
  {
    ...common,
    method: 'POST',
    path: '/v1/payment_intents/{intentId}/capture',
    scope: 'payments:write',
    idempotency: 'required',
    throttle,
    summary: 'Capture an authorization, wholly or partly (the rest is released)',
  },
  {
    ...common,
    method: 'POST',
    path: '/v1/payment_intents/{intentId}/cancel',
    scope: 'payments:write',
    idempotency: 'optional',
    throttle,
    summary: 'Cancel a PaymentIntent (an authorization is released)',
  },
] as const satisfies readonly RouteDefinition[];
