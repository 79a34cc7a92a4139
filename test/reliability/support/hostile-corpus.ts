/**
 * The hostile corpus, generated from the route table (shared/infra/routes.ts) and the request schemas the
 * handlers parse with (shared/http/operations.ts): every route gets the attacks that apply to it, so a new
 * route is attacked as soon as it is declared. Each case is one raw request and what its refusal must be.
 *
 * Who calls: Alice owns the fixtures and is the caller wherever the request itself is the attack (a body, a
 * query, an id), so that a fault the API let through would act on something real and show in the table.
 * Mallory, the attacker, is the caller where the attack is on someone else (another user's path, fields
 * that claim another owner). Forged tokens all claim to be Alice.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import Stripe from 'stripe';
import * as z from 'zod/mini';
import { DEFAULT_LOCAL_JWT_SECRET, LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../../local/auth.js';
import { readLocalEnv } from '../../../local/config.js';
import { DEMO_MERCHANT_ID, DEMO_TEST_KEY } from '../../../local/seed.js';
import { MAX_AMOUNT } from '../../../shared/domain/money.js';
import { operations } from '../../../shared/http/operations.js';
import { type RouteDefinition, routeKey, routes } from '../../../shared/infra/routes.js';
import type { Expectation } from './hostile-assertions.js';
import type { HostileFixtures } from './hostile-fixtures.js';
import type { Actor, RawRequest } from './hostile-stack.js';

export const CATEGORIES = [
  'forged tokens',
  'unknown methods',
  'hostile path ids',
  'hostile queries',
  'hostile amounts',
  'hostile currencies',
  'wrong types and missing fields',
  'mass assignment',
  'broken JSON',
  'wrong content types',
  'oversized bodies',
  'hostile idempotency keys',
  'forged and replayed webhooks',
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface HostileCase {
  category: Category;
  /** `POST /wallet/v1/topup: a float amount`. */
  name: string;
  /** The route key the request aims at. */
  route: string;
  request: RawRequest;
  expect: Expectation;
}

type Json = Record<string, unknown>;

/** A legitimate request to a route: who makes it, where, with what. The corpus breaks one thing in it. */
interface Target {
  route: RouteDefinition;
  key: string;
  caller: Actor | undefined;
  path: string;
  body: Json | undefined;
}

/** Fields API.md calls amounts (minor units) and currencies (ISO 4217), wherever a body nests them. */
const AMOUNT_FIELDS = new Set(['amount', 'total_amount', 'value', 'amount_to_capture']);
const CURRENCY_FIELDS = new Set(['currency']);
/** The caller's own key-value map: any key is allowed in it, so extra keys there claim nothing. */
const FREE_FORM_FIELDS = new Set(['metadata']);
/**
 * Routes where an amount or a currency the wallet cannot cover must be refused at once (elsewhere it is a
 * card charge, or a payment request that waits for MFA); a capture of more than was authorized, likewise.
 */
const OVERDRAFT_ROUTES = new Set([
  'POST /api/v1/payments/{paymentId}/refund',
  'POST /wallet/v1/p2p/initiate',
  'POST /wallet/v1/gift/create',
  'POST /v1/payment_intents/{intentId}/capture',
]);
/** Routes only the ops role may call (besides the webhook inbox): sent as ops, so only the input can refuse. */
const OPS_ROUTES = new Set([
  'POST /api/v1/payments/{paymentId}/refund',
  'GET /ops/v1/merchants',
  'POST /ops/v1/merchants/{merchantId}/review',
]);
const RAW = '"__raw__"';
/** The merchant API is called with the seeded demo merchant's test key (local/seed.ts). */
const DEMO_MERCHANT: Actor = { userId: DEMO_MERCHANT_ID, token: DEMO_TEST_KEY, path: DEMO_MERCHANT_ID };
const ONE_MB = 1024 * 1024;

/**
 * A valid body for every route that takes one, as the caller of `targetOf` would send it. Never sent as it
 * is: each case breaks one thing in it, so if the API let that one thing through, the request would act.
 */
function baselineBodies(f: HostileFixtures): Readonly<Record<string, Json>> {
  return {
    'POST /wallet/v1/topup': {
      amount: 1_000,
      currency: 'USD',
      paymentMethod: { type: 'card', id: 'pm_card_visa' },
    },
    'POST /api/v1/payments/request': {
      appId: 'app_hostile',
      amount: { value: 100, currency: 'USD' },
      paymentMethod: { type: 'wallet' },
      description: 'hostile',
      metadata: { order: '1' },
      roomId: f.roomId,
    },
    'POST /api/v1/payments/{paymentId}/refund': { amount: 100, reason: 'hostile' },
    'POST /payments/v1/{paymentId}/mfa/challenge': { method: 'transaction_pin' },
    'POST /payments/v1/{paymentId}/mfa/verify': { challengeId: f.challengeId, pin: '000000' },
    'PUT /payments/v1/user/{userId}/mfa/pin': { pin: '135790' },
    'POST /payments/v1/user/{userId}/mfa/totp/confirm': { code: '123456' },
    'POST /payments/v1/user/{userId}/mfa/devices': {
      deviceId: 'hostile-device',
      publicKey: f.devicePublicKey,
    },
    // Alice has no TOTP and no device: the baselines are refused (400) without guessing at her PIN, so the
    // corpus never spends her lockout.
    'POST /payments/v1/user/{userId}/mfa/step-up': { purpose: 'factors', method: 'totp', code: '123456' },
    'POST /payments/v1/user/{userId}/mfa/step-up/challenge': { purpose: 'factors' },
    'POST /wallet/v1/p2p/initiate': {
      recipient: f.bob.userId,
      amount: 100,
      currency: 'USD',
      note: 'hostile',
      room_id: f.roomId,
    },
    'POST /wallet/v1/gift/create': {
      room_id: f.roomId,
      total_amount: 100,
      currency: 'USD',
      count: 2,
      distribution: 'equal',
      message: 'hostile',
      expires_in_seconds: 3_600,
    },
    'POST /api/v1/webhooks/replay': { eventId: f.webhookEventId },
    'POST /merchant/v1/merchants': {
      name: 'Hostile Shop',
      email: 'hostile@shop.example',
      country: 'US',
      business_type: 'company',
    },
    // A wrong code: refused (400) even whole, so the corpus never verifies Alice's merchant.
    'POST /merchant/v1/merchants/{merchantId}/verify-email': { code: '000000' },
    // Alice's merchant is not in review: refused (409) even whole.
    'POST /ops/v1/merchants/{merchantId}/review': { decision: 'reject', reason: 'hostile' },
    'POST /merchant/v1/merchants/{merchantId}/api-keys': {
      mode: 'test',
      name: 'hostile',
      scopes: ['payments:read'],
    },
    'POST /merchant/v1/merchants/{merchantId}/api-keys/{keyId}/roll': { grace_seconds: 60 },
    'POST /v1/apps': { name: 'hostile' },
    'POST /merchant/v1/merchants/{merchantId}/kyc/documents': {
      type: 'id_document',
      file_name: 'passport.pdf',
      content_type: 'application/pdf',
    },
    'POST /v1/customers': { email: 'hostile@shop.example', name: 'Hostile' },
    'POST /v1/customers/{customerId}': { name: 'Hostile' },
    'POST /v1/customers/{customerId}/payment_methods': { payment_method: 'pm_card_visa' },
    // A product: each case breaks the body, so none is made. A price of a product nobody has: refused (400) even whole.
    'POST /v1/products': { name: 'Hostile', description: 'hostile', metadata: { a: '1' } },
    'POST /v1/prices': { product: 'prod_hostile000000000000000', unit_amount: 100, currency: 'USD' },
    // A subscription of a customer and a price nobody has: refused (400) even whole, so none is made.
    'POST /v1/subscriptions': {
      customer: 'cus_hostile000000000000000',
      items: [{ price: 'price_hostile000000000000000', quantity: 1 }],
      trial_period_days: 7,
      metadata: { a: '1' },
    },
    'POST /v1/subscriptions/{subscriptionId}/cancel': { at_period_end: true },
    // A customer nobody has: refused (400) even whole. The invoice actions name an invoice nobody has (404).
    'POST /v1/invoices': {
      customer: 'cus_hostile000000000000000',
      items: [{ amount: 100, description: 'hostile' }],
      currency: 'USD',
      due_days: 7,
    },
    'POST /v1/invoices/{invoiceId}/pay': { payment_method: 'pm_card_visa' },
    'POST /v1/invoices/{invoiceId}': { items: [{ amount: 100, description: 'hostile' }], due_days: 7 },
    'POST /v1/invoices/{invoiceId}/finalize': {},
    'POST /v1/invoices/{invoiceId}/void': {},
    'POST /v1/invoices/{invoiceId}/mark_uncollectible': {},
    // A session of a price nobody has: refused (400) even whole, so none is made.
    'POST /v1/checkout/sessions': {
      mode: 'payment',
      line_items: [{ price: 'price_hostile000000000000000', quantity: 1 }],
      success_url: 'https://shop.example/thanks',
      cancel_url: 'https://shop.example/cart',
      customer_email: 'hostile@shop.example',
    },
    // The demo merchant's test key: a mini-app payment (live only) is not found (404) even whole.
    'POST /v1/refunds': { payment: f.paymentId, amount: 100, reason: 'requested_by_customer' },
    // Alice's merchant's owner's phone: each case breaks the body, so it is never set.
    'POST /merchant/v1/merchants/{merchantId}': { phone: '+15555550100' },
    // Alice's merchant's owner registering a device: each case breaks the body, so none is registered.
    'POST /merchant/v1/merchants/{merchantId}/devices': { token: 'hostile-device-token', platform: 'apns' },
    // Ops only: the corpus's caller is refused (403) even whole, so no reserve is ever set.
    'POST /ops/v1/merchants/{merchantId}/reserve': { reserve_bps: 100 },
    // The demo merchant's test mode holds nothing: a payout let through whole is refused (402), never paid.
    'POST /v1/payouts': { amount: 10_000, currency: 'USD', method: 'standard' },
    // The demo merchant's PaymentIntents (f.intents): each would charge, capture or cancel if let through.
    'POST /v1/payment_intents': {
      amount: 1_000,
      currency: 'USD',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
      confirm: true,
      description: 'hostile',
      metadata: { order: '1' },
    },
    'POST /v1/payment_intents/{intentId}/confirm': { payment_method: 'pm_card_visa' },
    'POST /v1/payment_intents/{intentId}/capture': { amount_to_capture: 1_000 },
    'POST /v1/payment_intents/{intentId}/cancel': { cancellation_reason: 'requested_by_customer' },
    // The demo merchant's webhook endpoint (f.webhooks): each would register, change or resend if let through.
    'POST /v1/webhook_endpoints': {
      url: 'http://127.0.0.1:9/hostile',
      enabled_events: ['payout.failed'],
      description: 'hostile',
    },
    'POST /v1/webhook_endpoints/{endpointId}': {
      url: 'http://127.0.0.1:9/hostile',
      enabled_events: ['payout.failed'],
      description: 'hostile',
      disabled: true,
    },
    // The endpoint does not take customer.created: refused (400) even whole, so nothing is ever resent.
    'POST /v1/events/{eventId}/resend': { endpoint: f.webhooks.endpointId },
  };
}

/** The zod object a route's handler parses its body with; undefined for a route without a JSON body. */
export function bodySchemaOf(route: RouteDefinition): z.ZodMiniObject | undefined {
  if (route.auth === 'webhook') return undefined;
  const schema = operations[routeKey(route)]?.request?.body;
  if (schema === undefined) return undefined;
  if (!(schema instanceof z.ZodMiniObject))
    throw new Error(`${routeKey(route)}: the body schema is not an object`);
  return schema;
}

/** Route keys that take a JSON body but have no baseline here: each must be added to `baselineBodies`. */
export function routesWithoutBaseline(f: HostileFixtures): string[] {
  const bodies = baselineBodies(f);
  return routes
    .filter((route) => bodySchemaOf(route) !== undefined && bodies[routeKey(route)] === undefined)
    .map(routeKey);
}

/** The real resource behind each path parameter: a route with a parameter not named here fails the corpus. */
function paramValue(route: RouteDefinition, name: string, f: HostileFixtures): string {
  switch (name) {
    case 'userId':
      return f.alice.path;
    case 'paymentId':
      return route.path.includes('/mfa/') ? f.mfaPaymentId : f.paymentId;
    case 'transferId':
      return f.transferId;
    case 'giftId':
      return f.giftId;
    case 'merchantId':
      return f.merchantId;
    // The seeded demo merchant (local/seed.ts), its test key and its live app.
    case 'id':
      return route.path.startsWith('/v1/') ? 'app_demo' : 'mch_demo';
    case 'keyId':
      return 'key_demo';
    // The merchant API refuses the corpus's user token before it looks an id up.
    case 'customerId':
      return 'cus_hostile000000000000000';
    case 'paymentMethodId':
      return 'pm_hostile000000000000000';
    case 'refundId':
      return 're_hostile000000000000000';
    case 'payoutId':
      return 'po_hostile000000000000000';
    case 'productId':
      return 'prod_hostile000000000000000';
    case 'priceId':
      return 'price_hostile000000000000000';
    case 'subscriptionId':
      return 'sub_hostile000000000000000';
    case 'invoiceId':
      return 'in_hostile000000000000000';
    // A session nobody has: the merchant API refuses the user token first, the page answers its 404.
    case 'sessionId':
      return 'cs_hostile000000000000000';
    case 'notificationId':
      return 'ntf_hostile000000000000000';
    // The demo merchant's own intents: one to confirm, one authorized to capture or cancel.
    case 'intentId':
      return route.path.endsWith('/confirm') ? f.intents.unconfirmed : f.intents.authorized;
    case 'endpointId':
      return f.webhooks.endpointId;
    case 'eventId':
      return f.webhooks.eventId;
    default:
      throw new Error(`${routeKey(route)}: no fixture for {${name}}; add one to the hostile corpus`);
  }
}

export function paramsOf(route: RouteDefinition): string[] {
  return [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
}

function fillPath(
  route: RouteDefinition,
  f: HostileFixtures,
  replace: Readonly<Record<string, string>> = {},
): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => replace[name] ?? paramValue(route, name, f));
}

function targetOf(route: RouteDefinition, f: HostileFixtures): Target {
  const key = routeKey(route);
  const caller =
    route.auth === 'apiKey'
      ? DEMO_MERCHANT
      : route.auth !== 'jwt'
        ? undefined
        : route.tags.includes('webhooks') || OPS_ROUTES.has(key)
          ? f.ops
          : f.alice;
  return { route, key, caller, path: fillPath(route, f), body: baselineBodies(f)[key] };
}

interface Parts {
  method?: string;
  path?: string;
  caller?: Actor;
  /** Replaces the Authorization header; null sends none. */
  authorization?: string | null;
  /** Replaces the Idempotency-Key; null sends none. */
  idempotencyKey?: string | null;
  contentType?: string;
  /** Replaces the body: a JSON value (or `__raw__` spliced in as raw text), or raw text/bytes. */
  json?: unknown;
  rawJson?: string;
  raw?: string | Buffer;
  chunked?: boolean;
  extraHeaders?: Readonly<Record<string, string>>;
}

function request(target: Target, parts: Parts = {}): RawRequest {
  const caller = parts.caller ?? target.caller;
  const headers: Record<string, string> = { ...parts.extraHeaders };
  const authorization =
    parts.authorization === undefined ? caller && `Bearer ${caller.token}` : parts.authorization;
  if (authorization !== null && authorization !== undefined) headers.authorization = authorization;
  const key =
    parts.idempotencyKey === undefined && target.route.idempotency === 'required'
      ? randomUUID()
      : parts.idempotencyKey;
  if (key !== null && key !== undefined) headers['idempotency-key'] = key;
  let body: string | Buffer | undefined;
  if (parts.raw !== undefined) body = parts.raw;
  else if (parts.json !== undefined) body = JSON.stringify(parts.json).replace(RAW, parts.rawJson ?? 'null');
  else if (target.body !== undefined) body = JSON.stringify(target.body);
  if (body !== undefined) headers['content-type'] = parts.contentType ?? 'application/json';
  return {
    method: parts.method ?? target.route.method,
    path: parts.path ?? target.path,
    headers,
    ...(body === undefined ? {} : { body }),
    ...(parts.chunked === undefined ? {} : { chunked: parts.chunked }),
  };
}

export interface Corpus {
  cases: HostileCase[];
  /** Text no refusal of `request` may contain: what belongs to users other than its caller. */
  othersData(request: RawRequest): string[];
}

export async function buildCorpus(f: HostileFixtures): Promise<Corpus> {
  const targets = routes.map((route) => targetOf(route, f));
  const cases: HostileCase[] = [
    ...(await tokenCases(targets, f)),
    ...methodCases(targets),
    ...pathCases(targets, f),
    ...queryCases(targets, f),
    ...amountCases(targets),
    ...currencyCases(targets),
    ...typeCases(targets),
    ...massAssignmentCases(targets, f),
    ...brokenJsonCases(targets),
    ...contentTypeCases(targets),
    ...oversizedCases(targets),
    ...idempotencyKeyCases(targets, f),
    ...webhookCases(targets, f),
  ];
  const data = new Map<Actor, string[]>([
    [f.alice, [f.alice.walletId, f.marks.description, f.marks.note, f.marks.message]],
    [f.bob, [f.bob.walletId]],
    [f.mallory, [f.mallory.walletId]],
    [DEMO_MERCHANT, [f.intents.description]],
  ]);
  return {
    cases,
    othersData: (raw) =>
      [...data].flatMap(([actor, text]) =>
        raw.headers?.authorization === `Bearer ${actor.token}` ? [] : text,
      ),
  };
}

const withBody = (targets: readonly Target[]) => targets.filter((target) => target.body !== undefined);
const named = (category: Category, target: Target, what: string) => ({
  category,
  route: target.key,
  name: `${target.key}: ${what}`,
});

/** Tokens that all claim to be Alice (and ops), none of which the authorizer may accept. */
async function forgedAuthorizations(f: HostileFixtures): Promise<[string, string | null][]> {
  const secret = new TextEncoder().encode(DEFAULT_LOCAL_JWT_SECRET);
  const now = Math.floor(Date.now() / 1000);
  const claims = { roles: ['ops'] };
  const signed = (
    options: { alg?: string; iss?: string; aud?: string; exp?: number; nbf?: number; sub?: string | null },
    key: Uint8Array = secret,
  ) => {
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
      .setIssuer(options.iss ?? LOCAL_ISSUER)
      .setAudience(options.aud ?? LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.exp ?? now + 600);
    if (options.sub !== null) jwt.setSubject(options.sub ?? f.alice.userId);
    if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
    return jwt.sign(key);
  };
  const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const aliceClaims = {
    sub: f.alice.userId,
    roles: ['ops'],
    iss: LOCAL_ISSUER,
    aud: LOCAL_AUDIENCE,
    exp: now + 600,
  };
  const [, , mallorySignature] = f.mallory.token.split('.');
  return [
    ['no Authorization header', null],
    ['a Basic scheme', `Basic ${Buffer.from(`${f.alice.userId}:password`).toString('base64')}`],
    ['an empty bearer', 'Bearer '],
    ['a bearer that is not a JWT', 'Bearer not.a.jwt'],
    ['an alg: none token', `Bearer ${segment({ alg: 'none', typ: 'JWT' })}.${segment(aliceClaims)}.`],
    ['an expired token', `Bearer ${await signed({ exp: now - 3_600 })}`],
    ['a token from another issuer', `Bearer ${await signed({ iss: 'https://evil.example' })}`],
    ['a token for another audience', `Bearer ${await signed({ aud: 'someone-else' })}`],
    [
      'a token signed with another secret',
      `Bearer ${await signed({}, new TextEncoder().encode('x'.repeat(43)))}`,
    ],
    ['an HS512 token', `Bearer ${await signed({ alg: 'HS512' })}`],
    ['a token without a subject', `Bearer ${await signed({ sub: null })}`],
    ['a token not valid for another hour', `Bearer ${await signed({ nbf: now + 3_600 })}`],
    [
      "Alice's claims under Mallory's signature",
      `Bearer ${segment({ alg: 'HS256', typ: 'JWT' })}.${segment(aliceClaims)}.${mallorySignature ?? ''}`,
    ],
    ['two bearer tokens', `Bearer ${f.mallory.token} ${f.mallory.token}`],
  ];
}

async function tokenCases(targets: readonly Target[], f: HostileFixtures): Promise<HostileCase[]> {
  const forged = await forgedAuthorizations(f);
  return targets
    .filter((target) => target.route.auth === 'jwt')
    .flatMap((target) =>
      forged.map(([what, authorization]) => ({
        ...named('forged tokens', target, what),
        request: request(target, { authorization }),
        expect: { status: 401, code: 'UNAUTHORIZED' },
      })),
    );
}

/** Whether `method path` reaches some declared route (a literal segment can fill another route's `{id}`). */
function reachesARoute(method: string, path: string): boolean {
  return routes.some(
    (route) =>
      route.method === method && new RegExp(`^${route.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path),
  );
}

function methodCases(targets: readonly Target[]): HostileCase[] {
  return targets.flatMap((target) =>
    ['DELETE', 'PATCH', target.route.method === 'GET' ? 'POST' : 'GET']
      .filter((method) => !reachesARoute(method, target.path))
      .map((method) => ({
        ...named('unknown methods', target, `${method} instead of ${target.route.method}`),
        request: request(target, { method }),
        expect: { status: 404, code: 'NOT_FOUND' },
      })),
  );
}

const PREFIXES: Readonly<Record<string, string>> = {
  paymentId: 'pay_',
  transferId: 'p2p_',
  giftId: 'gift_',
  intentId: 'pi_',
  endpointId: 'we_',
  eventId: 'evt_',
};

/** Ids no lookup may follow, as raw path segments. */
function hostileSegments(name: string, valid: string): [string, string, Expectation][] {
  const prefix = PREFIXES[name] ?? '@';
  return [
    ['a dot-dot segment', '..', {}],
    ['an encoded traversal', '..%2F..%2F..%2Fhealth', {}],
    ['a percent-encoded dot-dot', '%2e%2e%2f%2e%2e%2fhealth', {}],
    ['a double-encoded traversal', '%252e%252e%252fhealth', {}],
    ['a backslash traversal', '..%5C..%5Chealth', {}],
    ['a SQL injection', encodeURIComponent(`${prefix}x' OR 1=1 --`), {}],
    ['a NoSQL operator', encodeURIComponent('{"$ne":null}'), {}],
    ['a 4 KB id', encodeURIComponent(`${prefix}${'A'.repeat(4_096)}`), {}],
    ['a unicode id', encodeURIComponent(`${prefix}ünïcødé✓`), {}],
    ['the real id and a null byte', `${valid}%00`, {}],
    ['the real id and a traversal', `${valid}%2F..%2F..`, {}],
    ['a wildcard', '*', {}],
    ['a broken escape', `${valid}%zz`, {}],
    ['the prototype', '__proto__', {}],
    ['an empty id', '', {}],
    ['a template placeholder', `%7B${name}%7D`, {}],
  ];
}

/** A route without ids is still only its exact path: near misses of it reach nothing. */
function literalPathCases(targets: readonly Target[]): HostileCase[] {
  return targets
    .filter((target) => paramsOf(target.route).length === 0)
    .flatMap((target) => {
      const variants: [string, string][] = [
        ['a trailing null byte', `${target.path}%00`],
        ['a trailing encoded slash', `${target.path}%2F`],
        ['an encoded traversal after it', `${target.path}/..%2F..%2Fwallet%2Fv1%2Ftopup`],
        ['a matrix parameter', `${target.path};jsessionid=hostile`],
        ['upper case', target.path.toUpperCase()],
        ['a doubled slash', `/${target.path}`],
      ];
      return variants
        .filter(([, path]) => !reachesARoute(target.route.method, path))
        .map(([what, path]) => ({
          ...named('hostile path ids', target, `the path with ${what}`),
          request: request(target, { path }),
          expect: { status: 404, code: 'NOT_FOUND' },
        }));
    });
}

function pathCases(targets: readonly Target[], f: HostileFixtures): HostileCase[] {
  return [...literalPathCases(targets), ...idPathCases(targets, f)];
}

function idPathCases(targets: readonly Target[], f: HostileFixtures): HostileCase[] {
  return targets.flatMap((target) =>
    paramsOf(target.route).flatMap((name) => {
      const valid = paramValue(target.route, name, f);
      const variants = hostileSegments(name, valid);
      const prefix = PREFIXES[name];
      if (name === 'userId') {
        // Mallory calls: every variant of Alice's id is someone else's account.
        const alice = f.alice.userId;
        variants.push(
          ["Alice's id", encodeURIComponent(alice), { status: 403, code: 'FORBIDDEN' }],
          ["Alice's id unencoded", alice, { status: 403, code: 'FORBIDDEN' }],
          [
            "Alice's id in capitals",
            encodeURIComponent(alice.toUpperCase()),
            { status: 403, code: 'FORBIDDEN' },
          ],
          [
            "Alice's id with a trailing space",
            `${encodeURIComponent(alice)}%20`,
            { status: 403, code: 'FORBIDDEN' },
          ],
          [
            "Alice's id in full-width letters",
            encodeURIComponent(alice.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))),
            { status: 403, code: 'FORBIDDEN' },
          ],
          [
            "Mallory's id, a traversal and Alice's",
            encodeURIComponent(`${f.mallory.userId}/../${alice}`),
            { status: 403, code: 'FORBIDDEN' },
          ],
          ["Mallory's id and a null byte", `${f.mallory.path}%00`, { status: 403, code: 'FORBIDDEN' }],
        );
      } else if (prefix !== undefined) {
        const unknown = `${prefix}${randomBytes(12).toString('hex')}`;
        const otherKind = name === 'giftId' ? f.paymentId : f.giftId;
        variants.push(
          ['a well-formed unknown id', unknown, { status: 404, code: 'NOT_FOUND' }],
          ['an id of another kind', otherKind, {}],
          ['the real id in capitals', valid.toUpperCase(), {}],
        );
      }
      const caller = name === 'userId' ? f.mallory : undefined;
      return variants.map(([what, segment, expect]) => ({
        ...named('hostile path ids', target, `{${name}} as ${what}`),
        request: request(target, {
          path: fillPath(target.route, f, { [name]: segment }),
          ...(caller === undefined ? {} : { caller }),
        }),
        expect,
      }));
    }),
  );
}

function queryCases(targets: readonly Target[], f: HostileFixtures): HostileCase[] {
  const lists = targets.filter((target) => operations[target.key]?.request?.query !== undefined);
  return lists.flatMap((target) => {
    const transactions = target.path.includes('/transactions');
    const genuine = transactions ? f.aliceCursor : f.webhookCursor;
    const foreign = transactions ? f.webhookCursor : f.aliceCursor;
    const [payload = '', signature = ''] = genuine.split('.');
    const flipped = `${payload.slice(0, -2)}${payload.at(-2) === 'A' ? 'B' : 'A'}${payload.at(-1) ?? ''}.${signature}`;
    const unsigned = Buffer.from(
      JSON.stringify({ l: transactions ? `transactions:${f.alice.userId}` : 'webhooks:all', p: '9999' }),
    ).toString('base64url');
    const queries: [string, string][] = [
      ['a SQL injection cursor', `cursor=${encodeURIComponent("' OR 1=1 --")}`],
      ['a NoSQL operator cursor', `cursor=${encodeURIComponent('{"$ne":null}')}`],
      ['a traversal cursor', 'cursor=..%2F..%2F..%2Fetc%2Fpasswd'],
      ['a percent-encoded dot-dot cursor', 'cursor=%2e%2e%2f%2e%2e%2f'],
      ['a 2 KB cursor', `cursor=${'A'.repeat(2_048)}`],
      ['an unsigned cursor', `cursor=${unsigned}.`],
      ['a cursor with a made-up signature', `cursor=${unsigned}.${'x'.repeat(43)}`],
      ['a tampered genuine cursor', `cursor=${encodeURIComponent(flipped)}`],
      ["another list's genuine cursor", `cursor=${encodeURIComponent(foreign)}`],
      ['a genuine cursor and a null byte', `cursor=${encodeURIComponent(genuine)}%00`],
      ['an empty cursor', 'cursor='],
      ['two cursors', `cursor=${encodeURIComponent(genuine)}&cursor=${encodeURIComponent(genuine)}`],
      ['a unicode cursor', `cursor=${encodeURIComponent('ünï.cødé✓')}`],
      ['limit 0', 'limit=0'],
      ['limit -1', 'limit=-1'],
      ['limit 101', 'limit=101'],
      ['limit 1.5', 'limit=1.5'],
      ['limit 1e308', 'limit=1e308'],
      ['limit 2^53 + 1', 'limit=9007199254740993'],
      ['limit Infinity', 'limit=Infinity'],
      ['a non-numeric limit', 'limit=abc'],
      ['an empty limit', 'limit='],
      ['an injected limit', `limit=${encodeURIComponent('10; DROP TABLE payments')}`],
      ['two limits', 'limit=1&limit=2'],
      ['an unknown userId parameter', `userId=${encodeURIComponent(f.bob.userId)}`],
      ['an unknown walletId parameter', `walletId=${f.bob.walletId}`],
      ['a prototype parameter', '__proto__%5Badmin%5D=1'],
    ];
    if (transactions) queries.push(['a status filter the list does not have', 'status=posted']);
    else {
      queries.push(
        ['an unknown status', 'status=Processed'],
        ['an injected status', `status=${encodeURIComponent("processed' OR 1=1 --")}`],
        ['a NoSQL operator status', `status=${encodeURIComponent('{"$ne":null}')}`],
        ['two statuses', 'status=processed&status=failed'],
        ["a genuine cursor of another status's list", `status=failed&cursor=${encodeURIComponent(genuine)}`],
      );
    }
    const cases = queries.map(([what, query]) => ({
      ...named('hostile queries', target, what),
      request: request(target, { path: `${target.path}?${query}` }),
      expect: { status: 400, code: 'VALIDATION_ERROR' },
    }));
    if (transactions) {
      // A cursor is bound to its list: Alice's, on Mallory's own list, is refused.
      cases.push({
        ...named('hostile queries', target, "Alice's genuine cursor on Mallory's list"),
        request: request(target, {
          caller: f.mallory,
          path: `${fillPath(target.route, f, { userId: f.mallory.path })}?cursor=${encodeURIComponent(genuine)}`,
        }),
        expect: { status: 400, code: 'VALIDATION_ERROR' },
      });
    }
    return cases;
  });
}

/** Every place in a body whose last key is in `fields`, as a list of keys from the top. */
function fieldPaths(body: Json, fields: ReadonlySet<string>, prefix: string[] = []): string[][] {
  return Object.entries(body).flatMap(([key, value]) => {
    const path = [...prefix, key];
    if (fields.has(key) && typeof value !== 'object') return [path];
    return isJson(value) && !FREE_FORM_FIELDS.has(key) ? fieldPaths(value, fields, path) : [];
  });
}

/** `body` with the field at `path` set to `value` (or removed, for undefined). */
function setField(body: Json, path: readonly string[], value: unknown): Json {
  const [head, ...rest] = path;
  if (head === undefined) return body;
  const copy: Json = { ...body };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head];
    else copy[head] = value;
    return copy;
  }
  const inner = copy[head];
  copy[head] = setField(isJson(inner) ? inner : {}, rest, value);
  return copy;
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON value, or raw JSON text for what JSON.stringify cannot write. */
type Value = { json: unknown } | { raw: string };

const HOSTILE_AMOUNTS: readonly [string, Value][] = [
  ['a float', { json: 100.5 }],
  ['a tiny float', { json: 0.1 }],
  ['a numeric string', { json: '100' }],
  ['an exponent string', { json: '1e3' }],
  ['a hex string', { json: '0x64' }],
  ['an empty string', { json: '' }],
  ['a negative', { json: -100 }],
  ['negative zero', { raw: '-0' }],
  ['zero', { json: 0 }],
  ['1e308', { json: 1e308 }],
  ['2^53', { json: 2 ** 53 }],
  ['2^53 + 1', { raw: '9007199254740993' }],
  ['one above the maximum', { json: MAX_AMOUNT + 1 }],
  ['a number too large for a double', { raw: '1e999' }],
  ['null', { json: null }],
  ['true', { json: true }],
  ['an array', { json: [100] }],
  ['an object', { json: { value: 100 } }],
];

function valueParts(value: Value, body: Json, path: readonly string[]): Parts {
  return 'json' in value
    ? { json: setField(body, path, value.json) }
    : { json: setField(body, path, '__raw__'), rawJson: value.raw };
}

function amountCases(targets: readonly Target[]): HostileCase[] {
  return withBody(targets).flatMap((target) => {
    const body = target.body ?? {};
    return fieldPaths(body, AMOUNT_FIELDS).flatMap((path) => {
      const cases = HOSTILE_AMOUNTS.map(([what, value]) => ({
        ...named('hostile amounts', target, `${path.join('.')} as ${what}`),
        request: request(target, valueParts(value, body, path)),
        expect: { status: 400, code: 'INVALID_AMOUNT' },
      }));
      if (!OVERDRAFT_ROUTES.has(target.key)) return cases;
      return [
        ...cases,
        {
          ...named('hostile amounts', target, `${path.join('.')} as the largest amount, more than there is`),
          request: request(target, { json: setField(body, path, MAX_AMOUNT) }),
          expect: {},
        },
      ];
    });
  });
}

const HOSTILE_CURRENCIES: readonly [string, unknown][] = [
  ['lower case', 'usd'],
  ['mixed case', 'Usd'],
  ['an unknown code', 'XYZ'],
  ['the no-currency code', 'XXX'],
  ['the testing code', 'XTS'],
  ['two letters', 'US'],
  ['four letters', 'USDT'],
  ['a crypto ticker', 'BTC'],
  ['an empty string', ''],
  ['a leading space', ' USD'],
  ['a null byte', 'USD\u0000'],
  ['a SQL injection', "USD' OR 1=1 --"],
  ['the numeric code', 840],
  ['null', null],
  ['an array', ['USD']],
  ['an object', { code: 'USD' }],
];

function currencyCases(targets: readonly Target[]): HostileCase[] {
  return withBody(targets).flatMap((target) => {
    const body = target.body ?? {};
    return fieldPaths(body, CURRENCY_FIELDS).flatMap((path) => {
      const cases: HostileCase[] = HOSTILE_CURRENCIES.map(([what, value]) => ({
        ...named('hostile currencies', target, `${path.join('.')} as ${what}`),
        request: request(target, { json: setField(body, path, value) }),
        expect: { status: 400, code: 'UNSUPPORTED_CURRENCY' },
      }));
      if (OVERDRAFT_ROUTES.has(target.key)) {
        cases.push({
          ...named(
            'hostile currencies',
            target,
            `${path.join('.')} as an enabled currency the wallet does not hold`,
          ),
          request: request(target, { json: setField(body, path, 'JPY') }),
          expect: {},
        });
      }
      return cases;
    });
  });
}

/** Values of every other JSON type than the one a field holds. */
function wrongTypes(value: unknown): [string, unknown][] {
  const all: [string, unknown][] = [
    ['a string', 'hostile'],
    ['a number', 42],
    ['a boolean', true],
    ['null', null],
    ['an array', ['hostile']],
    ['an object', { hostile: true }],
  ];
  const kind =
    value === undefined ? 'none' : Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
  const same: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    boolean: 'a boolean',
    object: 'an object',
  };
  return all.filter(([what]) => what !== same[kind] && what !== kind);
}

function typeCases(targets: readonly Target[]): HostileCase[] {
  return withBody(targets).flatMap((target) => {
    const body = target.body ?? {};
    const shape = bodySchemaOf(target.route)?.shape ?? {};
    return Object.entries(shape).flatMap(([field, schema]) => {
      const required = !z.safeParse(schema, undefined).success;
      // A type the field's schema takes is not a wrong one (null clears a customer's email, for instance).
      const refused = wrongTypes(body[field]).filter(([, value]) => !z.safeParse(schema, value).success);
      const cases: HostileCase[] = refused.map(([what, value]) => ({
        ...named('wrong types and missing fields', target, `${field} as ${what}`),
        request: request(target, { json: { ...body, [field]: value } }),
        expect: { status: 400 },
      }));
      if (required) {
        cases.push({
          ...named('wrong types and missing fields', target, `${field} missing`),
          request: request(target, { json: setField(body, [field], undefined) }),
          expect: { status: 400 },
        });
      }
      return cases;
    });
  });
}

function massAssignmentCases(targets: readonly Target[], f: HostileFixtures): HostileCase[] {
  const claims: [string, unknown][] = [
    ['state', 'Completed'],
    ['status', 'completed'],
    ['userId', f.mallory.userId],
    ['walletId', f.bob.walletId],
    ['refundedAmount', 0],
    ['paymentId', f.paymentId],
    ['createdAt', '2000-01-01T00:00:00.000Z'],
    ['roles', ['ops']],
    ['sender', { user_id: f.bob.userId, wallet_id: f.bob.walletId }],
    ['creator', { user_id: f.mallory.userId, wallet_id: f.mallory.walletId }],
    ['balance', { available: MAX_AMOUNT }],
  ];
  const prototypes: [string, string][] = [
    ['__proto__', '{"roles":["ops"],"userId":"@mallory:tween.example"}'],
    ['constructor', '{"prototype":{"roles":["ops"]}}'],
  ];
  const withBodies = withBody(targets).flatMap((target) => {
    const body = target.body ?? {};
    const top = claims.map(([field, value]) => ({
      ...named('mass assignment', target, `an extra ${field}`),
      request: request(target, { json: { ...body, [field]: value } }),
      expect: { status: 400, code: 'VALIDATION_ERROR' },
    }));
    const proto = prototypes.map(([field, value]) => ({
      ...named('mass assignment', target, `an own ${field} property`),
      request: request(target, { raw: `{"${field}":${value},${JSON.stringify(body).slice(1)}` }),
      expect: { status: 400, code: 'VALIDATION_ERROR' },
    }));
    // Nested objects are strict too: an owner or an amount slipped inside one is refused.
    const nested = Object.entries(body)
      .filter(([field, value]) => isJson(value) && !FREE_FORM_FIELDS.has(field))
      .map(([field, value]) => ({
        ...named('mass assignment', target, `an owner and an amount inside ${field}`),
        request: request(target, {
          json: {
            ...body,
            [field]: { ...(value as Json), userId: f.mallory.userId, walletId: f.bob.walletId, amount: 1 },
          },
        }),
        expect: { status: 400 },
      }));
    return [...top, ...proto, ...nested];
  });
  // Routes without a body ignore one; Mallory claiming Alice's resources through one must change nothing.
  const withoutBodies = targets
    .filter(
      (target) => target.route.method !== 'GET' && target.caller !== undefined && target.body === undefined,
    )
    .map((target) => ({
      ...named('mass assignment', target, "Mallory's body claiming Alice's resource"),
      request: request(target, {
        caller: f.mallory,
        json: {
          userId: f.mallory.userId,
          recipient: { user_id: f.mallory.userId },
          sender: { user_id: f.mallory.userId },
          creator: { user_id: f.mallory.userId },
          room_id: f.roomId,
          state: 'Completed',
          roles: ['ops'],
        },
      }),
      expect: {},
    }));
  return [...withBodies, ...withoutBodies];
}

const BROKEN_JSON: readonly [string, string | Buffer][] = [
  ['an unterminated object', '{"amount":'],
  ['single quotes', "{'amount': 100}"],
  ['unquoted keys', '{amount: 100}'],
  ['a trailing comma', '{"amount": 100,}'],
  ['trailing garbage', '{}}'],
  ['a byte order mark', '\uFEFF{}'],
  ['a comment', '// hostile\n{}'],
  ['NaN', '{"amount": NaN}'],
  ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d])],
  ['a NUL byte', '\u0000'],
  ['an empty body', ''],
  ['whitespace only', ' \n\t '],
  ['a JSON null', 'null'],
  ['a JSON array', '[]'],
  ['a JSON string', '"hostile"'],
  ['a JSON number', '42'],
];

/** Whether the route's body has only optional fields: then no body at all is `{}` (shared/http/request.ts). */
function emptyBodyAccepted(target: Target): boolean {
  const schema = operations[target.key]?.request?.body;
  return schema !== undefined && z.safeParse(schema, {}).success;
}

function brokenJsonCases(targets: readonly Target[]): HostileCase[] {
  const noBody = new Set(['an empty body', 'whitespace only']);
  return withBody(targets).flatMap((target) =>
    BROKEN_JSON.filter(([what]) => !(noBody.has(what) && emptyBodyAccepted(target))).map(([what, raw]) => ({
      ...named('broken JSON', target, what),
      request: request(target, { raw }),
      // Invalid UTF-8 decodes to replacement characters: still JSON, so the schema decides which 400.
      expect: raw instanceof Buffer ? { status: 400 } : { status: 400, code: 'VALIDATION_ERROR' },
    })),
  );
}

function contentTypeCases(targets: readonly Target[]): HostileCase[] {
  return withBody(targets).flatMap((target) => {
    const fields = Object.entries(target.body ?? {}).map(([key, value]): [string, string] => [
      key,
      typeof value === 'object' ? JSON.stringify(value) : String(value),
    ]);
    const multipart = fields
      .map(([key, value]) => `--hostile\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`)
      .join('');
    const xml = `<request>${fields.map(([key, value]) => `<${key}>${value}</${key}>`).join('')}</request>`;
    const bodies: [string, string, string | Buffer][] = [
      ['a form', 'application/x-www-form-urlencoded', new URLSearchParams(fields).toString()],
      ['a multipart form', 'multipart/form-data; boundary=hostile', `${multipart}--hostile--\r\n`],
      ['XML', 'application/xml', xml],
      ['YAML', 'application/yaml', fields.map(([key, value]) => `${key}: ${value}`).join('\n')],
      ['plain text', 'text/plain', fields.map(([key, value]) => `${key}=${value}`).join(' ')],
      ['random bytes', 'application/octet-stream', randomBytes(256)],
    ];
    return bodies.map(([what, contentType, raw]) => ({
      ...named('wrong content types', target, `${what} as ${contentType}`),
      request: request(target, { raw, contentType }),
      expect: { status: 400, code: 'VALIDATION_ERROR' },
    }));
  });
}

/**
 * A body above the size limit is answered 413 PAYLOAD_TOO_LARGE in the error shape (by the local HTTP API,
 * standing in for API Gateway's limit, and by the handlers' own, lower one). API.md's table has no 413 row,
 * so this one code is allowed for the oversized cases only.
 */
const LARGE = { extraCodes: { PAYLOAD_TOO_LARGE: 413 } };
const TOO_LARGE = { ...LARGE, status: 413, code: 'PAYLOAD_TOO_LARGE' };

function oversizedCases(targets: readonly Target[]): HostileCase[] {
  const padded = (body: Json) => JSON.stringify({ ...body, padding: 'x'.repeat(ONE_MB + 1) });
  const bodyCases = withBody(targets).flatMap((target) => {
    const body = target.body ?? {};
    const firstString = Object.entries(body).find(([, value]) => typeof value === 'string')?.[0] ?? 'padding';
    const firstField = Object.keys(body)[0] ?? 'padding';
    const depth = 10_000;
    return [
      {
        ...named('oversized bodies', target, 'a 1 MB body'),
        request: request(target, { raw: padded(body) }),
        expect: TOO_LARGE,
      },
      {
        ...named('oversized bodies', target, 'a 1 MB body without a Content-Length'),
        request: request(target, { raw: padded(body), chunked: true }),
        expect: TOO_LARGE,
      },
      {
        ...named('oversized bodies', target, `a 200 KB ${firstString}`),
        request: request(target, { json: { ...body, [firstString]: 'x'.repeat(200 * 1024) } }),
        expect: LARGE,
      },
      {
        ...named('oversized bodies', target, `${depth} levels of nesting in ${firstField}`),
        request: request(target, {
          json: { ...body, [firstField]: '__raw__' },
          rawJson: `${'['.repeat(depth)}${']'.repeat(depth)}`,
        }),
        expect: { ...LARGE, status: 400 },
      },
      {
        ...named('oversized bodies', target, '10 000 extra fields'),
        request: request(target, {
          json: {
            ...body,
            ...Object.fromEntries(Array.from({ length: 10_000 }, (_, index) => [`extra${index}`, index])),
          },
        }),
        expect: LARGE,
      },
    ];
  });
  const webhooks = targets
    .filter((target) => target.route.auth === 'webhook')
    .map((target) => ({
      ...named('oversized bodies', target, 'a 1 MB event'),
      request: request(target, { raw: JSON.stringify({ id: 'evt_big', padding: 'x'.repeat(ONE_MB) }) }),
      expect: TOO_LARGE,
    }));
  return [...bodyCases, ...webhooks];
}

function bumpAmount(body: Json): Json {
  const [path] = fieldPaths(body, AMOUNT_FIELDS);
  if (path === undefined) return { ...body, hostile: true };
  const current = path.reduce<unknown>((value, key) => (isJson(value) ? value[key] : undefined), body);
  return setField(body, path, Number(current) + 1);
}

function idempotencyKeyCases(targets: readonly Target[], f: HostileFixtures): HostileCase[] {
  const keyed = targets.filter((target) => target.route.idempotency === 'required');
  const headers: [string, string | null, Expectation][] = [
    ['no Idempotency-Key', null, { status: 400, code: 'IDEMPOTENCY_KEY_MISSING' }],
    ['an empty Idempotency-Key', '', { status: 400, code: 'VALIDATION_ERROR' }],
    ['a 256-character Idempotency-Key', 'k'.repeat(256), { status: 400, code: 'VALIDATION_ERROR' }],
    ['a non-ASCII Idempotency-Key', 'clé-ü', { status: 400, code: 'VALIDATION_ERROR' }],
    ['an Idempotency-Key with a tab', 'hostile\tkey', { status: 400, code: 'VALIDATION_ERROR' }],
  ];
  const malformed = keyed.flatMap((target) =>
    headers.map(([what, idempotencyKey, expect]) => ({
      ...named('hostile idempotency keys', target, what),
      request: request(target, { idempotencyKey }),
      expect,
    })),
  );
  // A fixture's own key again with another amount: refused, never a second operation.
  const reused = keyed.flatMap((target) => {
    const original = f.keyed[target.key];
    if (original === undefined) return [];
    const caller = [f.alice, f.bob, f.mallory].find((actor) => actor.token === original.token);
    return [
      {
        ...named('hostile idempotency keys', target, 'a used Idempotency-Key with another amount'),
        request: request(target, {
          idempotencyKey: original.key,
          json: bumpAmount(original.body),
          ...(caller === undefined ? {} : { caller }),
        }),
        expect: { status: 422, code: 'IDEMPOTENCY_KEY_REUSED' },
      },
    ];
  });
  return [...malformed, ...reused];
}

/** Webhook events: forged (not Stripe's signature) and replayed (Stripe's signature, but stale). */
function webhookCases(targets: readonly Target[], f: HostileFixtures): HostileCase[] {
  const stripe = new Stripe('sk_test_hostile_corpus');
  const secret = readLocalEnv().STRIPE_WEBHOOK_SECRET;
  const now = Math.floor(Date.now() / 1000);
  const sign = (payload: string, options: { secret?: string; timestamp?: number } = {}) =>
    stripe.webhooks.generateTestHeaderString({
      payload,
      secret: options.secret ?? secret,
      timestamp: options.timestamp ?? now,
    });
  // What Mallory would love Stripe to say: his pending 3-D Secure top-up succeeded.
  const event = (overrides: Json = {}) =>
    JSON.stringify({
      id: `evt_hostile${randomBytes(8).toString('hex')}`,
      object: 'event',
      type: 'payment_intent.succeeded',
      created: now,
      data: {
        object: {
          id: f.pendingTopup.intentId,
          object: 'payment_intent',
          status: 'succeeded',
          amount: f.pendingTopup.amount,
          amount_received: f.pendingTopup.amount,
          currency: 'usd',
          metadata: { topupId: f.pendingTopup.topupId },
        },
      },
      ...overrides,
    });
  const forged = event();
  const signature = sign(forged);
  const [timestampPart = '', v1Part = ''] = signature.split(',');
  const deliveries: [string, string, Record<string, string>][] = [
    ['no Stripe-Signature', forged, {}],
    ['an empty Stripe-Signature', forged, { 'stripe-signature': '' }],
    ['a made-up Stripe-Signature', forged, { 'stripe-signature': `t=${now},v1=${'0'.repeat(64)}` }],
    ['a garbage Stripe-Signature', forged, { 'stripe-signature': "t=abc,v1=' OR 1=1 --" }],
    [
      'signed with another secret',
      forged,
      { 'stripe-signature': sign(forged, { secret: 'whsec_mallory_0000000000000000' }) },
    ],
    ["another event's signature", event({ id: 'evt_hostileother' }), { 'stripe-signature': signature }],
    [
      'a signed event with a changed amount',
      forged.replace(`"amount_received":${f.pendingTopup.amount}`, '"amount_received":999999'),
      { 'stripe-signature': signature },
    ],
    [
      'replayed 10 minutes after it was signed',
      forged,
      { 'stripe-signature': sign(forged, { timestamp: now - 600 }) },
    ],
    [
      'only a v0 signature',
      forged,
      { 'stripe-signature': `${timestampPart},${v1Part.replace('v1=', 'v0=')}` },
    ],
    ['a timestamp changed after signing', forged, { 'stripe-signature': `t=${now + 1},${v1Part}` }],
    ['a truncated signature', forged, { 'stripe-signature': signature.slice(0, -8) }],
    ['a bearer token instead of a signature', forged, { authorization: `Bearer ${f.ops.token}` }],
  ];
  // Stripe's own signature over bodies Stripe never sends: refused as malformed, never a crash.
  const malformed: [string, string][] = [
    ['text that is not JSON', 'hostile'],
    ['a JSON null', 'null'],
    ['a JSON array', '[]'],
    ['an event without data', event({ data: undefined })],
    ['an event without a creation time', event({ created: undefined })],
    [
      'an event whose object has no id',
      event({ data: { object: { object: 'payment_intent', status: 'succeeded' } } }),
    ],
    ['an event whose object is a string', event({ data: { object: 'pi_hostile' } })],
    ['an event whose id is a number', event({ id: 42 })],
  ];
  return targets
    .filter((target) => target.route.auth === 'webhook')
    .flatMap((target) => [
      ...deliveries.map(([what, raw, extraHeaders]) => ({
        ...named('forged and replayed webhooks', target, what),
        request: request(target, { raw, extraHeaders }),
        expect: { status: 400, code: 'VALIDATION_ERROR' },
      })),
      ...malformed.map(([what, raw]) => ({
        ...named('forged and replayed webhooks', target, `correctly signed, ${what}`),
        request: request(target, { raw, extraHeaders: { 'stripe-signature': sign(raw) } }),
        expect: { status: 400, code: 'VALIDATION_ERROR' },
      })),
    ]);
}
