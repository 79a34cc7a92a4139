/**
 * The shape of a route table entry (routes.ts): what CDK, the local HTTP API and the OpenAPI document read
 * of each route. The feature catalogues under routes/ are typed by it.
 */
import type { ApiKeyScope } from '../domain/merchant.js';
import type { FunctionName } from './functions.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDefinition {
  method: HttpMethod;
  /** API Gateway path syntax: `/payments/v1/user/{userId}/balance`. */
  path: string;
  fn: FunctionName;
  /**
   * `jwt`: a user's bearer token is required; `apiKey`: a merchant's secret key (`sk_test_`/`sk_live_`),
   * checked by the API-key authorizer (the merchant API, `/v1/*`); `none`: public (health, docs);
   * `webhook`: provider signature.
   */
  auth: 'jwt' | 'apiKey' | 'none' | 'webhook';
  /** The scope an `apiKey` route needs (API.md "API keys"); a key without it gets 403 INSUFFICIENT_SCOPE. */
  scope?: ApiKeyScope;
  /**
   * `required` for every POST that moves or reserves money. `none` also where a stored request or answer
   * would hold a secret (a PIN's hash is reversible, an enrolment answer carries the TOTP secret).
   */
  idempotency: 'required' | 'optional' | 'none';
  /** Keep the body as raw bytes (base64) for signature checks. */
  rawBody?: boolean;
  /**
   * A limit of this route's own (API Gateway route throttling), below the stage's: a route anyone can reach
   * without a token (health probes, the API document, a provider webhook) cannot take the whole API's
   * capacity. Every route with `auth` other than `jwt` has one.
   */
  throttle?: { burstLimit: number; rateLimit: number };
  /**
   * Counted against the caller's own limit (USER_RATE_LIMIT_PER_MINUTE per user per minute, per route), then
   * 429 RATE_LIMITED with Retry-After. API Gateway's HTTP APIs throttle per route and stage, never per
   * caller, and WAF does not attach to them, so the service counts (shared/http/rate-limit.ts). Set on the
   * POSTs that move or reserve money and on the MFA routes where a code can be guessed.
   */
  userRateLimit?: true;
  summary: string;
  tags: readonly string[];
}
