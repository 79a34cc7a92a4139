/**
 * The route table: the one list of HTTP routes. CDK creates an API Gateway route per entry (with the JWT
 * authorizer unless `auth` says otherwise); the local HTTP API dispatches on the same entries; the OpenAPI
 * document is generated from them.
 */
import type { FunctionName } from './functions.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDefinition {
  method: HttpMethod;
  /** API Gateway path syntax: `/payments/v1/user/{userId}/balance`. */
  path: string;
  fn: FunctionName;
  /** `jwt`: a bearer token is required; `none`: public (health, docs); `webhook`: provider signature. */
  auth: 'jwt' | 'none' | 'webhook';
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

const routeTable = [
  {
    method: 'GET',
    path: '/health',
    fn: 'health',
    auth: 'none',
    idempotency: 'none',
    throttle: { burstLimit: 20, rateLimit: 10 },
    summary: 'Liveness',
    tags: ['health'],
  },
  {
    method: 'GET',
    path: '/health/ready',
    fn: 'health',
    auth: 'none',
    idempotency: 'none',
    throttle: { burstLimit: 20, rateLimit: 10 },
    summary: 'Readiness: configuration loaded and the service able to take traffic',
    tags: ['health'],
  },
  {
    method: 'GET',
    path: '/health/startup',
    fn: 'health',
    auth: 'none',
    idempotency: 'none',
    throttle: { burstLimit: 20, rateLimit: 10 },
    summary: 'Startup: cold start finished',
    tags: ['health'],
  },
  {
    method: 'GET',
    path: '/health/integrations',
    fn: 'healthIntegrations',
    auth: 'none',
    idempotency: 'none',
    // Each call touches five AWS APIs (KMS and Step Functions quotas are shared with the payment paths).
    throttle: { burstLimit: 5, rateLimit: 2 },
    summary: 'Each integration (table, queue, bus, Step Functions, KMS) touched and reported',
    tags: ['health'],
  },
  {
    method: 'GET',
    path: '/openapi.json',
    fn: 'openapi',
    auth: 'none',
    idempotency: 'none',
    throttle: { burstLimit: 20, rateLimit: 10 },
    summary: 'This OpenAPI 3.1 document',
    tags: ['docs'],
  },
  {
    method: 'GET',
    path: '/docs',
    fn: 'docs',
    auth: 'none',
    idempotency: 'none',
    throttle: { burstLimit: 20, rateLimit: 10 },
    summary: 'The API reference: this document, browsable (Swagger UI, served from here, no CDN)',
    tags: ['docs'],
  },
  {
    method: 'GET',
    path: '/docs/assets/swagger-ui.css',
    fn: 'docs',
    auth: 'none',
    idempotency: 'none',
    throttle: { burstLimit: 20, rateLimit: 10 },
    summary: "The API reference's stylesheet",
    tags: ['docs'],
  },
  {
    method: 'GET',
    path: '/docs/assets/swagger-ui-bundle.js',
    fn: 'docs',
    auth: 'none',
    idempotency: 'none',
    throttle: { burstLimit: 20, rateLimit: 10 },
    summary: "The API reference's renderer (Swagger UI's standalone bundle)",
    tags: ['docs'],
  },
  {
    method: 'GET',
    path: '/docs/assets/reference.js',
    fn: 'docs',
    auth: 'none',
    idempotency: 'none',
    throttle: { burstLimit: 20, rateLimit: 10 },
    summary: 'Starts the API reference on /openapi.json',
    tags: ['docs'],
  },
  {
    method: 'POST',
    path: '/wallet/v1/topup',
    fn: 'walletTopup',
    auth: 'jwt',
    idempotency: 'required',
    userRateLimit: true,
    summary: 'Top up the wallet by card; credited when the provider confirms',
    tags: ['wallets'],
  },
  {
    method: 'GET',
    path: '/payments/v1/user/{userId}/balance',
    fn: 'walletBalance',
    auth: 'jwt',
    idempotency: 'none',
    summary: "The caller's balances per currency",
    tags: ['wallets'],
  },
  {
    method: 'GET',
    path: '/payments/v1/user/{userId}/transactions',
    fn: 'walletTransactions',
    auth: 'jwt',
    idempotency: 'none',
    summary: "The caller's wallet history, newest first",
    tags: ['wallets'],
  },
  {
    method: 'GET',
    path: '/payments/v1/user/{userId}/payment-methods',
    fn: 'walletPaymentMethods',
    auth: 'jwt',
    idempotency: 'none',
    summary: "The caller's wallet and saved cards",
    tags: ['wallets'],
  },
  {
    method: 'POST',
    path: '/api/v1/payments/request',
    fn: 'paymentRequest',
    auth: 'jwt',
    idempotency: 'required',
    userRateLimit: true,
    summary: 'Request a mini-app payment (MFA above the threshold)',
    tags: ['payments'],
  },
  {
    method: 'GET',
    path: '/api/v1/payments/{paymentId}',
    fn: 'paymentQuery',
    auth: 'jwt',
    idempotency: 'none',
    summary: 'A payment of the caller, with its history',
    tags: ['payments'],
  },
  {
    method: 'POST',
    path: '/api/v1/payments/{paymentId}/authorize',
    fn: 'paymentCommands',
    auth: 'jwt',
    idempotency: 'optional',
    summary: 'Continue a payment after MFA or 3-D Secure',
    tags: ['payments'],
  },
  {
    method: 'POST',
    path: '/api/v1/payments/{paymentId}/cancel',
    fn: 'paymentCommands',
    auth: 'jwt',
    idempotency: 'optional',
    summary: 'Cancel a payment before it is processed',
    tags: ['payments'],
  },
  {
    method: 'POST',
    path: '/api/v1/payments/{paymentId}/refund',
    fn: 'paymentRefund',
    auth: 'jwt',
    idempotency: 'required',
    userRateLimit: true,
    summary: 'Refund a payment, fully or partly (ops role)',
    tags: ['payments'],
  },
  {
    method: 'POST',
    path: '/payments/v1/{paymentId}/mfa/challenge',
    fn: 'mfaChallenges',
    auth: 'jwt',
    idempotency: 'optional',
    userRateLimit: true,
    summary: 'Start an MFA challenge for a payment',
    tags: ['mfa'],
  },
  {
    method: 'POST',
    path: '/payments/v1/{paymentId}/mfa/verify',
    fn: 'mfaChallenges',
    auth: 'jwt',
    idempotency: 'none',
    userRateLimit: true,
    summary: 'Answer an MFA challenge',
    tags: ['mfa'],
  },
  {
    method: 'GET',
    path: '/payments/v1/{paymentId}/mfa/status',
    fn: 'mfaChallenges',
    auth: 'jwt',
    idempotency: 'none',
    summary: "A payment's MFA state",
    tags: ['mfa'],
  },
  {
    method: 'PUT',
    path: '/payments/v1/user/{userId}/mfa/pin',
    fn: 'mfaEnrolment',
    auth: 'jwt',
    idempotency: 'none',
    summary: 'Set the transaction PIN',
    tags: ['mfa'],
  },
  {
    method: 'POST',
    path: '/payments/v1/user/{userId}/mfa/totp',
    fn: 'mfaEnrolment',
    auth: 'jwt',
    idempotency: 'none',
    summary: 'Start TOTP enrolment: a secret and an otpauth URI',
    tags: ['mfa'],
  },
  {
    method: 'POST',
    path: '/payments/v1/user/{userId}/mfa/totp/confirm',
    fn: 'mfaEnrolment',
    auth: 'jwt',
    idempotency: 'optional',
    summary: 'Confirm TOTP enrolment with a first code',
    tags: ['mfa'],
  },
  {
    method: 'POST',
    path: '/payments/v1/user/{userId}/mfa/devices',
    fn: 'mfaEnrolment',
    auth: 'jwt',
    idempotency: 'optional',
    summary: 'Register a device key for biometric signing',
    tags: ['mfa'],
  },
  {
    method: 'POST',
    path: '/payments/v1/user/{userId}/mfa/step-up',
    fn: 'mfaEnrolment',
    auth: 'jwt',
    // The answer carries the token: never stored for replay.
    idempotency: 'none',
    // A second-factor guess, like a payment challenge's verify.
    userRateLimit: true,
    summary: 'Answer a second factor for a single-use step-up token (factor changes, large transfers)',
    tags: ['mfa'],
  },
  {
    method: 'POST',
    path: '/payments/v1/user/{userId}/mfa/step-up/challenge',
    fn: 'mfaEnrolment',
    auth: 'jwt',
    // A replayed answer would hand out a nonce already replaced or spent.
    idempotency: 'none',
    summary: 'A nonce for a biometric step-up, for the device to sign',
    tags: ['mfa'],
  },
  {
    method: 'POST',
    path: '/wallet/v1/p2p/initiate',
    fn: 'p2pTransfers',
    auth: 'jwt',
    idempotency: 'required',
    userRateLimit: true,
    summary: 'Send money to a room member; reserved until they accept',
    tags: ['p2p'],
  },
  {
    method: 'GET',
    path: '/wallet/v1/p2p/{transferId}',
    fn: 'p2pTransfers',
    auth: 'jwt',
    idempotency: 'none',
    summary: 'A transfer, for its sender or recipient',
    tags: ['p2p'],
  },
  {
    method: 'POST',
    path: '/wallet/v1/p2p/{transferId}/accept',
    fn: 'p2pTransfers',
    auth: 'jwt',
    idempotency: 'optional',
    summary: 'The recipient accepts: the money moves',
    tags: ['p2p'],
  },
  {
    method: 'POST',
    path: '/wallet/v1/p2p/{transferId}/reject',
    fn: 'p2pTransfers',
    auth: 'jwt',
    idempotency: 'optional',
    summary: 'The recipient rejects: the money goes back',
    tags: ['p2p'],
  },
  {
    method: 'POST',
    path: '/wallet/v1/p2p/{transferId}/cancel',
    fn: 'p2pTransfers',
    auth: 'jwt',
    idempotency: 'optional',
    summary: 'The sender cancels while pending',
    tags: ['p2p'],
  },
  {
    method: 'POST',
    path: '/wallet/v1/gift/create',
    fn: 'gifts',
    auth: 'jwt',
    idempotency: 'required',
    userRateLimit: true,
    summary: 'Put an amount into a room as a group gift split into shares; taken from the wallet at once',
    tags: ['gifts'],
  },
  {
    method: 'POST',
    path: '/wallet/v1/gift/{giftId}/open',
    fn: 'gifts',
    auth: 'jwt',
    // Once per member by the gift's own rule: a repeat answers 409 ALREADY_OPENED, never a second share.
    idempotency: 'optional',
    summary: 'Open a gift once: the next share goes to your wallet',
    tags: ['gifts'],
  },
  {
    method: 'GET',
    path: '/wallet/v1/gift/{giftId}',
    fn: 'gifts',
    auth: 'jwt',
    idempotency: 'none',
    summary: 'A gift with who opened what and the leaderboard, for members of its room',
    tags: ['gifts'],
  },
  {
    method: 'POST',
    path: '/api/v1/webhooks/stripe',
    fn: 'webhookIngest',
    auth: 'webhook',
    // The event id deduplicates (the queue, then the inbox); nothing to store per request.
    idempotency: 'none',
    rawBody: true,
    throttle: { burstLimit: 100, rateLimit: 50 },
    summary: "Stripe's webhook: signature verified, event queued for the consumer",
    tags: ['webhooks'],
  },
  {
    method: 'POST',
    path: '/api/v1/webhooks/paypal',
    fn: 'paypalWebhookIngest',
    auth: 'webhook',
    idempotency: 'none',
    rawBody: true,
    throttle: { burstLimit: 100, rateLimit: 50 },
    summary: "PayPal's webhook: transmission verified by PayPal, event queued for the consumer",
    tags: ['webhooks'],
  },
  {
    method: 'GET',
    path: '/api/v1/webhooks/events',
    fn: 'webhookOps',
    auth: 'jwt',
    idempotency: 'none',
    summary: 'The webhook inbox, newest first, by status (ops role)',
    tags: ['webhooks'],
  },
  {
    method: 'POST',
    path: '/api/v1/webhooks/replay',
    fn: 'webhookOps',
    auth: 'jwt',
    // A replay applies nothing twice (the consumer's inbox decides), so a repeat is harmless.
    idempotency: 'none',
    summary: 'Queue an inbox event again (ops role); a processed one changes nothing',
    tags: ['webhooks'],
  },
] as const satisfies readonly RouteDefinition[];

/** The route table, entry by entry (iterate this one; the types below keep each entry's literals). */
export const routes: readonly RouteDefinition[] = routeTable;

/** One entry of the route table, with its literal method, path and function. */
export type Route = (typeof routeTable)[number];

/** The API Gateway route key of a route: `POST /wallet/v1/p2p/{transferId}/accept`. */
export type RouteKeyOf<R> = R extends { method: infer M extends string; path: infer P extends string }
  ? `${M} ${P}`
  : never;

/** Every route key of the route table: a key that is not in it does not compile. */
export type RouteKey = RouteKeyOf<Route>;

/** The route keys `fn` serves. */
export type RouteKeyOfFunction<F extends FunctionName> = RouteKeyOf<Extract<Route, { fn: F }>>;

/** `{method: 'GET', path: '/payments/v1/{id}'}` → `GET /payments/v1/{id}`: the API Gateway route key. */
export function routeKey<R extends Pick<RouteDefinition, 'method' | 'path'>>(
  route: R,
): string extends R['path'] ? string : RouteKeyOf<R> {
  return `${route.method} ${route.path}` as string extends R['path'] ? string : RouteKeyOf<R>;
}
