/**
 * Authorization matrix (#8): for every route of the route table that takes an id in its path, Alice owns
 * the resource and Mallory (authenticated, funded, in none of Alice's rooms) calls it. The answer must be
 * the refusal API.md gives (another user's payment or transfer: 404 as if unknown; a `{userId}` that is not
 * the caller: 403 FORBIDDEN; a gift of a room he is not in: 403 NOT_ROOM_MEMBER), with none of Alice's
 * data in the body, and nothing of Alice's may change: her views through the API and every item of the
 * table (a stack of this file's own) are as they were, but the refusals the API stores under an
 * Idempotency-Key by design.
 *
 * A route with a path parameter that is not in the matrix fails the first test: add it with its answer.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEMO_MERCHANT_ID, DEMO_OWNER, DEMO_TEST_KEY } from '../../local/seed.js';
import { type RouteDefinition, routeKey, routes } from '../../shared/infra/routes.js';
import { tokenFor } from '../support/api.js';
import { type Expectation, refusalProblems } from './support/hostile-assertions.js';
import { createFixtures, type HostileFixtures, PIN } from './support/hostile-fixtures.js';
import {
  type Actor,
  api,
  endpointOf,
  type OwnStack,
  type RawAnswer,
  send,
  startOwnStack,
  stopOwnStack,
} from './support/hostile-stack.js';
import {
  describeChange,
  diffTables,
  isRequestCount,
  isStoredRefusal,
  settledSnapshot,
  type TableSnapshot,
  tableClient,
} from './support/table-snapshot.js';

type Json = Record<string, unknown>;

const FORBIDDEN = { status: 403, code: 'FORBIDDEN' };
const UNKNOWN = { status: 404, code: 'NOT_FOUND' };
const NOT_MEMBER = { status: 403, code: 'NOT_ROOM_MEMBER' };
const INVALID_KEY = { status: 401, code: 'INVALID_API_KEY' };
const NO_SCOPE = { status: 403, code: 'INSUFFICIENT_SCOPE' };

/**
 * Merchant keys that must not open the demo merchant's test-mode PaymentIntents, and what API.md says each
 * gets: no key reaches another merchant's objects, nor the other mode's (404); a revoked key is no key
 * (401); a key without the payments scopes is refused them (403). Made in `beforeAll`.
 */
const INTRUDER_KEYS = {
  "another merchant's test key": UNKNOWN,
  "the demo merchant's live key": UNKNOWN,
  "the demo merchant's revoked test key": INVALID_KEY,
  "the demo merchant's test key with only customers:read": NO_SCOPE,
} as const;
type IntruderKey = keyof typeof INTRUDER_KEYS;
const intentRoutes = routes.filter((route) => route.path.startsWith('/v1/payment_intents/{intentId}'));
const webhookRoutes = routes.filter(
  (route) => route.path.startsWith('/v1/webhook_endpoints/{') || route.path.startsWith('/v1/events/{'),
);

interface Entry {
  /** What API.md says the intruder gets. */
  expect: Required<Pick<Expectation, 'status' | 'code'>>;
  /** The body the intruder sends: a valid one, so that only ownership can refuse it. */
  body?: (f: HostileFixtures) => Json;
  /**
   * A public page whose path id is its capability (a checkout session's page): whoever holds the id may
   * open it, and an id the intruder was not given answers the page's own 404, in HTML.
   */
  page?: true;
}

/** Every route with a path parameter, and how it answers someone who is not entitled to the resource. */
const MATRIX: Readonly<Record<string, Entry>> = {
  'GET /payments/v1/user/{userId}/balance': { expect: FORBIDDEN },
  'GET /payments/v1/user/{userId}/transactions': { expect: FORBIDDEN },
  'GET /payments/v1/user/{userId}/payment-methods': { expect: FORBIDDEN },
  'GET /api/v1/payments/{paymentId}': { expect: UNKNOWN },
  'POST /api/v1/payments/{paymentId}/authorize': { expect: UNKNOWN },
  'POST /api/v1/payments/{paymentId}/cancel': { expect: UNKNOWN },
  // Ops only: refused before the payment is looked up, so the answer says nothing about it.
  'POST /api/v1/payments/{paymentId}/refund': {
    expect: FORBIDDEN,
    body: () => ({ amount: 100, reason: 'mine' }),
  },
  'POST /payments/v1/{paymentId}/mfa/challenge': {
    expect: UNKNOWN,
    body: () => ({ method: 'transaction_pin' }),
  },
  // Even with Alice's challenge id and her PIN, the payment is not Mallory's.
  'POST /payments/v1/{paymentId}/mfa/verify': {
    expect: UNKNOWN,
    body: (f) => ({ challengeId: f.challengeId, pin: PIN }),
  },
  'GET /payments/v1/{paymentId}/mfa/status': { expect: UNKNOWN },
  'PUT /payments/v1/user/{userId}/mfa/pin': { expect: FORBIDDEN, body: () => ({ pin: '111111' }) },
  'POST /payments/v1/user/{userId}/mfa/totp': { expect: FORBIDDEN },
  'POST /payments/v1/user/{userId}/mfa/totp/confirm': { expect: FORBIDDEN, body: () => ({ code: '123456' }) },
  'POST /payments/v1/user/{userId}/mfa/devices': {
    expect: FORBIDDEN,
    body: (f) => ({ deviceId: 'mallory-phone', publicKey: f.devicePublicKey }),
  },
  // Even with Alice's own PIN, a step-up token for her factors is hers alone to mint.
  'POST /payments/v1/user/{userId}/mfa/step-up': {
    expect: FORBIDDEN,
    body: () => ({ purpose: 'factors', method: 'transaction_pin', pin: PIN }),
  },
  'POST /payments/v1/user/{userId}/mfa/step-up/challenge': {
    expect: FORBIDDEN,
    body: () => ({ purpose: 'transfer', amount: 9_000, currency: 'USD' }),
  },
  'GET /wallet/v1/p2p/{transferId}': { expect: UNKNOWN },
  'POST /wallet/v1/p2p/{transferId}/accept': { expect: UNKNOWN },
  'POST /wallet/v1/p2p/{transferId}/reject': { expect: UNKNOWN },
  'POST /wallet/v1/p2p/{transferId}/cancel': { expect: UNKNOWN },
  'POST /wallet/v1/gift/{giftId}/open': { expect: NOT_MEMBER },
  'GET /wallet/v1/gift/{giftId}': { expect: NOT_MEMBER },
  'GET /merchant/v1/merchants/{merchantId}': { expect: UNKNOWN },
  'POST /merchant/v1/merchants/{merchantId}': { expect: UNKNOWN, body: () => ({ phone: '+15555550100' }) },
  'POST /merchant/v1/merchants/{merchantId}/verify-email': {
    expect: UNKNOWN,
    body: () => ({ code: '123456' }),
  },
  'POST /merchant/v1/merchants/{merchantId}/verify-email/resend': { expect: UNKNOWN },
  'POST /merchant/v1/merchants/{merchantId}/kyc/submit': { expect: UNKNOWN },
  // Ops only: refused before the merchant is looked up.
  'POST /ops/v1/merchants/{merchantId}/review': { expect: FORBIDDEN, body: () => ({ decision: 'approve' }) },
  // The seeded demo merchant's keys (local/seed.ts): another user is told the merchant does not exist.
  'POST /merchant/v1/merchants/{merchantId}/api-keys': {
    expect: UNKNOWN,
    body: () => ({ mode: 'test', name: 'mallory' }),
  },
  'GET /merchant/v1/merchants/{merchantId}/api-keys': { expect: UNKNOWN },
  'POST /merchant/v1/merchants/{merchantId}/api-keys/{keyId}/roll': {
    expect: UNKNOWN,
    body: () => ({ grace_seconds: 0 }),
  },
  'DELETE /merchant/v1/merchants/{merchantId}/api-keys/{keyId}': { expect: UNKNOWN },
  // A user's JWT opens no merchant API route (another merchant's key: test/integration/merchant-api-keys.test.ts).
  'GET /v1/apps/{id}': { expect: INVALID_KEY },
  'GET /v1/balance_transactions/{id}': { expect: INVALID_KEY },
  'GET /v1/customers/{customerId}': { expect: INVALID_KEY },
  'POST /v1/customers/{customerId}': { expect: INVALID_KEY, body: () => ({ name: 'mallory' }) },
  'DELETE /v1/customers/{customerId}': { expect: INVALID_KEY },
  'POST /v1/customers/{customerId}/payment_methods': {
    expect: INVALID_KEY,
    body: () => ({ payment_method: 'pm_card_visa' }),
  },
  'GET /v1/customers/{customerId}/payment_methods': { expect: INVALID_KEY },
  'DELETE /v1/customers/{customerId}/payment_methods/{paymentMethodId}': { expect: INVALID_KEY },
  'GET /v1/refunds/{refundId}': { expect: INVALID_KEY },
  'GET /v1/payouts/{payoutId}': { expect: INVALID_KEY },
  'GET /v1/products/{productId}': { expect: INVALID_KEY },
  'GET /v1/prices/{priceId}': { expect: INVALID_KEY },
  'GET /v1/subscriptions/{subscriptionId}': { expect: INVALID_KEY },
  'POST /v1/subscriptions/{subscriptionId}/cancel': { expect: INVALID_KEY, body: () => ({}) },
  'GET /v1/invoices/{invoiceId}': { expect: INVALID_KEY },
  'POST /v1/invoices/{invoiceId}': { expect: INVALID_KEY, body: () => ({ due_days: 5 }) },
  'POST /v1/invoices/{invoiceId}/finalize': { expect: INVALID_KEY, body: () => ({}) },
  'POST /v1/invoices/{invoiceId}/pay': { expect: INVALID_KEY, body: () => ({}) },
  'POST /v1/invoices/{invoiceId}/void': { expect: INVALID_KEY, body: () => ({}) },
  'POST /v1/invoices/{invoiceId}/mark_uncollectible': { expect: INVALID_KEY, body: () => ({}) },
  'GET /v1/checkout/sessions/{sessionId}': { expect: INVALID_KEY },
  'POST /v1/checkout/sessions/{sessionId}/expire': { expect: INVALID_KEY },
  'GET /checkout/{sessionId}': { expect: UNKNOWN, page: true },
  'POST /checkout/{sessionId}': { expect: UNKNOWN, page: true },
  'GET /checkout/{sessionId}/return': { expect: UNKNOWN, page: true },
  // The demo merchant's webhook endpoint and event (merchant keys on them: "Merchant keys", below).
  'GET /v1/webhook_endpoints/{endpointId}': { expect: INVALID_KEY },
  'POST /v1/webhook_endpoints/{endpointId}': {
    expect: INVALID_KEY,
    body: () => ({ url: 'http://127.0.0.1:9/mallory', disabled: true }),
  },
  'DELETE /v1/webhook_endpoints/{endpointId}': { expect: INVALID_KEY },
  'GET /v1/webhook_endpoints/{endpointId}/deliveries': { expect: INVALID_KEY },
  'GET /v1/events/{eventId}': { expect: INVALID_KEY },
  'POST /v1/events/{eventId}/resend': {
    expect: INVALID_KEY,
    body: () => ({ endpoint: demoWebhooks.endpointId }),
  },
  'GET /v1/notifications/{notificationId}': { expect: INVALID_KEY },
  'GET /v1/invoices/{invoiceId}/pdf': { expect: INVALID_KEY },
  // Alice's merchant's owner's devices: another user is told the merchant does not exist.
  'POST /merchant/v1/merchants/{merchantId}/devices': {
    expect: UNKNOWN,
    body: () => ({ token: 'mallory-device', platform: 'apns' }),
  },
  // Alice's merchant's documents: another user is told the merchant does not exist.
  'POST /merchant/v1/merchants/{merchantId}/kyc/documents': {
    expect: UNKNOWN,
    body: () => ({ type: 'id_document', file_name: 'passport.pdf', content_type: 'application/pdf' }),
  },
  'GET /merchant/v1/merchants/{merchantId}/kyc/documents': { expect: UNKNOWN },
  // Ops only: refused before the merchant is looked up.
  'POST /ops/v1/merchants/{merchantId}/reserve': { expect: FORBIDDEN, body: () => ({ reserve_bps: 100 }) },
  // The demo merchant's PaymentIntents (merchant keys on them: "Merchant keys", below).
  'GET /v1/payment_intents/{intentId}': { expect: INVALID_KEY },
  'POST /v1/payment_intents/{intentId}/confirm': {
    expect: INVALID_KEY,
    body: () => ({ payment_method: 'pm_card_visa' }),
  },
  'POST /v1/payment_intents/{intentId}/capture': { expect: INVALID_KEY, body: () => ({}) },
  // The handler parses a JSON body (an empty one: no reason given) before anything else.
  'POST /v1/payment_intents/{intentId}/cancel': { expect: INVALID_KEY, body: () => ({}) },
};

const paramRoutes = routes.filter((route) => route.path.includes('{'));

/** Alice's resource behind each path parameter. */
function alicesPath(route: RouteDefinition, f: HostileFixtures): string {
  const ids: Readonly<Record<string, string>> = {
    userId: f.alice.path,
    paymentId: route.path.includes('/mfa/') ? f.mfaPaymentId : f.paymentId,
    transferId: f.transferId,
    giftId: f.giftId,
    merchantId: f.merchantId,
    // The seeded demo merchant (not Mallory's), its test key and its live app.
    id: route.path.startsWith('/v1/apps')
      ? 'app_demo'
      : route.path.startsWith('/v1/balance_transactions')
        ? 'txn_alice00000000000000000'
        : 'mch_demo',
    keyId: 'key_demo',
    // The merchant API answers a user's JWT before it looks anything up: any well-formed id will do.
    customerId: 'cus_alice00000000000000000',
    paymentMethodId: 'pm_alice00000000000000000',
    refundId: 're_alice00000000000000000',
    payoutId: 'po_alice00000000000000000',
    productId: 'prod_alice00000000000000000',
    priceId: 'price_alice00000000000000000',
    subscriptionId: 'sub_alice00000000000000000',
    invoiceId: 'in_alice00000000000000000',
    // A session id Mallory was not given: the merchant API answers his JWT first, the page its 404.
    sessionId: 'cs_alice00000000000000000',
    endpointId: demoWebhooks.endpointId,
    eventId: demoWebhooks.eventId,
    notificationId: 'ntf_alice00000000000000000',
    // The demo merchant's own intents: one to confirm, one authorized to capture or cancel.
    intentId: route.path.endsWith('/confirm') ? f.intents.unconfirmed : f.intents.authorized,
  };
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const id = ids[name];
    if (id === undefined) throw new Error(`${routeKey(route)}: no fixture of Alice's for {${name}}`);
    return id;
  });
}

function attempt(
  caller: Actor,
  method: string,
  path: string,
  body?: Json,
  keyed = false,
): Promise<RawAnswer> {
  return send(running().stack.info.apiUrl, {
    method,
    path,
    headers: {
      authorization: `Bearer ${caller.token}`,
      ...(keyed ? { 'idempotency-key': randomUUID() } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Everything Alice can see of her own through the API. */
async function alicesViews(f: HostileFixtures): Promise<Record<string, unknown>> {
  const reads: Record<string, string> = {
    balance: `/payments/v1/user/${f.alice.path}/balance`,
    transactions: `/payments/v1/user/${f.alice.path}/transactions?limit=100`,
    paymentMethods: `/payments/v1/user/${f.alice.path}/payment-methods`,
    payment: `/api/v1/payments/${f.paymentId}`,
    mfaPayment: `/api/v1/payments/${f.mfaPaymentId}`,
    mfaStatus: `/payments/v1/${f.mfaPaymentId}/mfa/status`,
    transfer: `/wallet/v1/p2p/${f.transferId}`,
    gift: `/wallet/v1/gift/${f.giftId}`,
  };
  const views: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(reads)) {
    const answer = await api(running().stack, 'GET', path, { token: f.alice.token });
    views[name] = { status: answer.status, body: answer.body };
  }
  return { ...views, ...(await demoIntentViews(f)) };
}

/** The demo merchant's intents and balance, as its own test key reads them. */
async function demoIntentViews(f: HostileFixtures): Promise<Record<string, unknown>> {
  const reads: Record<string, string> = {
    unconfirmedIntent: `/v1/payment_intents/${f.intents.unconfirmed}`,
    authorizedIntent: `/v1/payment_intents/${f.intents.authorized}`,
    testBalance: '/v1/balance',
    webhookEndpoint: `/v1/webhook_endpoints/${demoWebhooks.endpointId}`,
    webhookEvent: `/v1/events/${demoWebhooks.eventId}`,
  };
  const views: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(reads)) {
    const answer = await api(running().stack, 'GET', path, { token: DEMO_TEST_KEY });
    views[name] = { status: answer.status, body: answer.body };
  }
  return views;
}

/** Text of Alice's that no answer to Mallory may contain. */
function alicesData(f: HostileFixtures): string[] {
  return [
    f.alice.userId,
    f.alice.walletId,
    f.bob.userId,
    f.bob.walletId,
    f.paymentId,
    f.mfaPaymentId,
    f.challengeId,
    f.transferId,
    f.giftId,
    f.roomId,
    f.marks.description,
    f.marks.note,
    f.marks.message,
    String(f.marks.paymentAmount),
    String(f.marks.transferAmount),
    String(f.marks.giftAmount),
    f.intents.unconfirmed,
    f.intents.authorized,
    f.intents.description,
    demoWebhooks.endpointId,
    demoWebhooks.eventId,
    demoWebhooks.url,
  ];
}

let stack: OwnStack | undefined;
let table: DynamoDBClient | undefined;
let f: HostileFixtures;
let mallorysMfaPaymentId: string;
let intruderSecrets: Readonly<Record<IntruderKey, string>>;
let viewsBefore: Record<string, unknown>;
let before: TableSnapshot;
/** The demo merchant's test-mode webhook endpoint and one of its events (f.webhooks). */
let demoWebhooks: HostileFixtures['webhooks'];

function running(): { stack: OwnStack; table: DynamoDBClient } {
  if (stack === undefined || table === undefined) throw new Error('The stack did not start');
  return { stack, table };
}

beforeAll(async () => {
  stack = await startOwnStack();
  table = tableClient(endpointOf(stack, 'dynamodb'));
  f = await createFixtures(stack);
  // Mallory's own payment waiting on MFA, to try Alice's challenge on.
  const { mallory } = f;
  const pin = await api(stack, 'PUT', `/payments/v1/user/${mallory.path}/mfa/pin`, {
    token: mallory.token,
    body: { pin: PIN },
  });
  expect(pin.status).toBe(200);
  const payment = await api(stack, 'POST', '/api/v1/payments/request', {
    token: mallory.token,
    key: randomUUID(),
    body: {
      appId: 'app_mallory',
      amount: { value: 6_000, currency: 'USD' },
      paymentMethod: { type: 'wallet' },
      description: 'x',
    },
  });
  expect(payment.body.state).toBe('MFA_Required');
  mallorysMfaPaymentId = String(payment.body.paymentId);
  intruderSecrets = await intruderKeys(stack, f);
  demoWebhooks = f.webhooks;
  viewsBefore = await alicesViews(f);
  before = await settledSnapshot(table);
}, 150_000);

afterAll(async () => {
  table?.destroy();
  await stopOwnStack(stack);
}, 30_000);

describe('Reliability: authorization matrix', () => {
  it('covers every route of the route table that takes an id in its path, and no other', () => {
    // Arrange
    const withParams = paramRoutes.map(routeKey);

    // Act
    const missing = withParams.filter((key) => MATRIX[key] === undefined);
    const stale = Object.keys(MATRIX).filter((key) => !withParams.includes(key));

    // Assert
    expect(missing).toEqual([]);
    expect(stale).toEqual([]);
  });

  describe("Intruder: Mallory on Alice's resources", () => {
    it.each(paramRoutes.map((route) => [routeKey(route), route] as const))(
      "refuses %s as API.md says and answers none of Alice's data",
      async (key, route) => {
        // Arrange
        const entry = MATRIX[key];
        if (entry === undefined) throw new Error(`${key} is not in the authorization matrix`);

        // Act
        const answer = await attempt(
          f.mallory,
          route.method,
          alicesPath(route, f),
          entry.body?.(f),
          route.idempotency === 'required',
        );

        // Assert
        if (entry.page === true) {
          expect([answer.status, String(answer.headers['content-type'])]).toEqual([
            404,
            'text/html; charset=utf-8',
          ]);
          expect(alicesData(f).filter((text) => text !== '' && answer.text.includes(text))).toEqual([]);
          return;
        }
        expect({ status: answer.status, code: errorCode(answer) }).toEqual(entry.expect);
        expect(refusalProblems(answer, entry.expect, alicesData(f))).toEqual([]);
      },
    );

    it("answers 404 NOT_FOUND when Mallory answers Alice's challenge on his own payment", async () => {
      // Act
      const answer = await attempt(f.mallory, 'POST', `/payments/v1/${mallorysMfaPaymentId}/mfa/verify`, {
        challengeId: f.challengeId,
        pin: PIN,
      });

      // Assert
      expect(refusalProblems(answer, UNKNOWN, alicesData(f))).toEqual([]);
    });

    it('answers 403 FORBIDDEN to the webhook inbox and its replays without the ops role', async () => {
      // Act
      const answers = [
        await attempt(f.mallory, 'GET', '/api/v1/webhooks/events'),
        await attempt(f.mallory, 'POST', '/api/v1/webhooks/replay', { eventId: f.webhookEventId }),
      ];

      // Assert
      expect(answers.flatMap((answer) => refusalProblems(answer, FORBIDDEN, alicesData(f)))).toEqual([]);
    });
  });

  describe("Merchant keys: on the demo merchant's PaymentIntents", () => {
    it.each(
      intentRoutes.flatMap((route) =>
        Object.keys(INTRUDER_KEYS).map((name) => [routeKey(route), name as IntruderKey, route] as const),
      ),
    )("refuses %s with %s as API.md says and answers none of the owner's data", async (key, name, route) => {
      // Arrange
      const intruder = { userId: name, token: intruderSecrets[name], path: '' };

      // Act
      const answer = await attempt(
        intruder,
        route.method,
        alicesPath(route, f),
        MATRIX[key]?.body?.(f),
        route.idempotency === 'required',
      );

      // Assert
      expect({ status: answer.status, code: errorCode(answer) }).toEqual(INTRUDER_KEYS[name]);
      expect(refusalProblems(answer, INTRUDER_KEYS[name], alicesData(f))).toEqual([]);
    });

    it.each(["another merchant's test key", "the demo merchant's live key"] as const)(
      "lists none of the demo merchant's test intents to %s",
      async (name) => {
        // Act
        const answer = await attempt(
          { userId: name, token: intruderSecrets[name], path: '' },
          'GET',
          '/v1/payment_intents?limit=100',
        );

        // Assert
        expect(answer.status).toBe(200);
        expect(alicesData(f).filter((text) => answer.text.includes(text))).toEqual([]);
      },
    );
  });

  describe("Merchant keys: on the demo merchant's webhook endpoint and events", () => {
    it.each(
      webhookRoutes.flatMap((route) =>
        Object.keys(INTRUDER_KEYS).map((name) => [routeKey(route), name as IntruderKey, route] as const),
      ),
    )("refuses %s with %s as API.md says and answers none of the owner's data", async (key, name, route) => {
      // Arrange
      const intruder = { userId: name, token: intruderSecrets[name], path: '' };

      // Act
      const answer = await attempt(
        intruder,
        route.method,
        alicesPath(route, f),
        MATRIX[key]?.body?.(f),
        true,
      );

      // Assert
      expect({ status: answer.status, code: errorCode(answer) }).toEqual(INTRUDER_KEYS[name]);
      expect(refusalProblems(answer, INTRUDER_KEYS[name], alicesData(f))).toEqual([]);
    });

    it.each(["another merchant's test key", "the demo merchant's live key"] as const)(
      "lists none of the demo merchant's test endpoints and events to %s",
      async (name) => {
        // Act
        const answers = await Promise.all(
          ['/v1/webhook_endpoints?limit=100', '/v1/events?limit=100'].map((path) =>
            attempt({ userId: name, token: intruderSecrets[name], path: '' }, 'GET', path),
          ),
        );

        // Assert
        expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
        // The demo merchant's live events do show the live mini-app payments made to its app (its own).
        const testModeData = [demoWebhooks.endpointId, demoWebhooks.eventId, demoWebhooks.url];
        expect(testModeData.filter((text) => answers.some((answer) => answer.text.includes(text)))).toEqual(
          [],
        );
      },
    );
  });

  describe('Parties: who may decide a transfer', () => {
    it.each([
      ['the sender accepts', 'alice', 'accept'],
      ['the sender rejects', 'alice', 'reject'],
      ['the recipient cancels', 'bob', 'cancel'],
    ] as const)('answers 403 FORBIDDEN when %s', async (_case, who, decision) => {
      // Act
      const answer = await attempt(f[who], 'POST', `/wallet/v1/p2p/${f.transferId}/${decision}`);

      // Assert
      expect(refusalProblems(answer, FORBIDDEN, [])).toEqual([]);
    });
  });

  describe('Afterwards', () => {
    it('shows Alice her balance, payments, factors, transfer and gift exactly as before', async () => {
      // Act
      const viewsAfter = await alicesViews(f);

      // Assert
      expect(viewsAfter).toEqual(viewsBefore);
    });

    it('holds every item of the table as it was but the 4xx answers stored under an Idempotency-Key', async () => {
      // Act
      const after = await settledSnapshot(running().table);

      // Assert
      const changes = diffTables(before, after).filter(
        (change) => !isStoredRefusal(change) && !isRequestCount(change),
      );
      expect(changes.map(describeChange)).toEqual([]);
    });
  });
});

/** The intruder keys: Alice's merchant's test key, and the demo owner's live, revoked and narrow keys. */
async function intruderKeys(own: OwnStack, fixtures: HostileFixtures): Promise<Record<IntruderKey, string>> {
  const owner = await tokenFor(DEMO_OWNER);
  const keysOf = (merchantId: string) => `/merchant/v1/merchants/${merchantId}/api-keys`;
  const create = async (token: string, merchantId: string, body: Json) => {
    const answer = await api(own, 'POST', keysOf(merchantId), { token, body });
    expect(answer.status).toBe(201);
    return { id: String(answer.body.id), secret: String(answer.body.secret) };
  };
  const revoked = await create(owner, DEMO_MERCHANT_ID, { mode: 'test', name: 'revoked' });
  const revoke = await api(own, 'DELETE', `${keysOf(DEMO_MERCHANT_ID)}/${revoked.id}`, { token: owner });
  expect(revoke.status).toBe(200);
  return {
    "another merchant's test key": (
      await create(fixtures.alice.token, fixtures.merchantId, { mode: 'test', name: 'intruder' })
    ).secret,
    "the demo merchant's live key": (await create(owner, DEMO_MERCHANT_ID, { mode: 'live', name: 'live' }))
      .secret,
    "the demo merchant's revoked test key": revoked.secret,
    "the demo merchant's test key with only customers:read": (
      await create(owner, DEMO_MERCHANT_ID, { mode: 'test', name: 'narrow', scopes: ['customers:read'] })
    ).secret,
  };
}

function errorCode(answer: RawAnswer): string | undefined {
  try {
    const body = JSON.parse(answer.text) as { error?: { code?: string } };
    return body.error?.code;
  } catch {
    return undefined;
  }
}
