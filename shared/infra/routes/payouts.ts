/**
 * The merchant API's payouts (API.md "Payouts"): server to server with a secret key. One catalogue of the
 * route table (../routes.ts).
 */
import type { RouteDefinition } from '../route-definition.js';

const common = { fn: 'merchantPayouts', auth: 'apiKey', tags: ['payouts'], scope: 'payouts:write' } as const;
/** No user token in front of these (the API-key authorizer is): a limit of their own, below the stage's. */
const throttle = { burstLimit: 100, rateLimit: 50 } as const;

export const payoutsRoutes = [
  {
    ...common,
    method: 'POST',
    path: '/v1/payouts',
    idempotency: 'required',
    throttle,
    summary: 'Pay out of the available balance to the connected account, standard or instant',
  },
  {
    ...common,
    method: 'GET',
    path: '/v1/payouts',
    idempotency: 'none',
    throttle,
    summary: "The merchant's payouts, newest first",
  },
  {
    ...common,
    method: 'GET',
    path: '/v1/payouts/{payoutId}',
    idempotency: 'none',
    throttle,
    summary: 'A payout',
  },
] as const satisfies readonly RouteDefinition[];
