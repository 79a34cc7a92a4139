/**
 * Every POST the route table takes an Idempotency-Key on, proven idempotent over HTTP on the local stack
 * (STYLE.md rule 5): a retry replays the first answer, six concurrent twins take effect once, and a required
 * key reused with another body is refused. The cases are keyed by route, and the route table decides which
 * routes need one: a new idempotent POST without a case fails the coverage test.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { generateSync } from 'otplib';
import { DEMO_MERCHANT_ID, DEMO_OWNER, DEMO_TEST_KEY } from '../../local/seed.js';
import { DynamoDbDevices } from '../../shared/adapters/dynamodb/notifications.js';
import { type RouteDefinition, routeKey, routes } from '../../shared/infra/routes.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { type ApiAnswer, apiUrl, call, tokenFor } from '../support/api.js';
import { ledgerProblems, localDocumentClient } from '../support/ledger.js';
import { onboardingClient } from '../support/onboarding.js';
import { payoutShop } from '../support/payout-shops.js';
import { joinRoom, topupCredits, waitFor } from '../support/stack.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/** How many copies of one request (one key) arrive at once in the concurrent-twin tests. */
const TWINS = 6;
const REPLAYED = 'idempotent-replayed';
const PIN = '135790';

interface ResponseBody {
  error?: { code: string };
  [field: string]: unknown;
}
type Answer = ApiAnswer<ResponseBody>;
type JsonBody = Record<string, unknown>;

interface User {
  userId: string;
  token: string;
  path: string;
}

/** One request of a route, ready to send, and how to see what it did. */
interface Scenario {
  caller: User;
  /** The route's path parameters (`{paymentId}` → `paymentId`). */
  params: Readonly<Record<string, string>>;
  body?: JsonBody;
  /** The same request with another amount: what a reused key must be refused for. */
  otherBody?: JsonBody;
  /** The first answer: its status, and its error code when it is an error (`409 INVALID_STATE_TRANSITION`). */
  answer: string;
  /** Reads the money and the resource the request touched (nothing to read for an enrolment). */
  observe: (first: Answer) => Promise<unknown>;
  /** What `observe` reads once the request took effect exactly once, and settled. */
  once: unknown;
}

interface Case {
  /** The route table's key: `POST /wallet/v1/topup`. */
  route: string;
  arrange: () => Promise<Scenario>;
}

interface Wallet {
  available: number;
  pending: number;
}
interface PaymentView {
  state: string;
  refundedAmount: number;
  nextAction?: { url: string };
  history: { state: string; event: string }[];
}

// Fixtures: users, money, rooms, payments in the state a route needs.

async function newPerson(roles: readonly string[] = []): Promise<User> {
  const userId = `@idem${randomUUID().slice(0, 8)}:tween.example`;
  const token = await tokenFor(userId, roles.length === 0 ? {} : { roles: [...roles] });
  return { userId, token, path: encodeURIComponent(userId) };
}

const visa = (amount: number) => ({
  amount,
  currency: 'USD',
  paymentMethod: { type: 'card', id: 'pm_card_visa' },
});

async function fundedPerson(amount: number): Promise<User> {
  const user = await newPerson();
  const topup = await call('POST', '/wallet/v1/topup', {
    token: user.token,
    headers: { 'idempotency-key': randomUUID() },
    body: visa(amount),
  });
  expect(topup.status).toBe(201);
  return user;
}

/** The USD wallets of `users`, in order. */
function walletsOf(...users: User[]): Promise<Wallet[]> {
  return Promise.all(
    users.map(async ({ path, token }) => {
      const { body } = await call<{ balances: ({ currency: string } & Wallet)[] }>(
        'GET',
        `/payments/v1/user/${path}/balance`,
        { token },
      );
      const usd = body.balances.find((balance) => balance.currency === 'USD');
      return { available: usd?.available ?? 0, pending: usd?.pending ?? 0 };
    }),
  );
}

async function roomWith(...members: User[]): Promise<string> {
  const roomId = `!idem${randomUUID().slice(0, 8)}:tween.example`;
  await Promise.all(members.map((member) => joinRoom(roomId, member.userId)));
  return roomId;
}

async function enrolPin(user: User): Promise<void> {
  const answer = await call('PUT', `/payments/v1/user/${user.path}/mfa/pin`, {
    token: user.token,
    body: { pin: PIN },
  });
  expect(answer.status).toBe(200);
}

const paymentRequest = (value: number, paymentMethod: JsonBody = { type: 'wallet' }) => ({
  appId: 'app_idempotency',
  amount: { value, currency: 'USD' },
  paymentMethod,
  description: 'Idempotency proof',
});

/** Requests a payment that must be accepted; answers its id. */
async function requestedPayment(payer: User, request: JsonBody): Promise<string> {
  const answer = await call<{ paymentId: string }>('POST', '/api/v1/payments/request', {
    token: payer.token,
    headers: { 'idempotency-key': randomUUID() },
    body: request,
  });
  expect(answer.status).toBe(201);
  return answer.body.paymentId;
}

async function readPayment(payer: User, paymentId: string): Promise<PaymentView> {
  return (await call<PaymentView>('GET', `/api/v1/payments/${paymentId}`, { token: payer.token })).body;
}

/** Polls the payment until `ready` says it has reached the point the test needs. */
function paymentWhere(
  payer: User,
  paymentId: string,
  ready: (payment: PaymentView) => boolean,
  what: string,
): Promise<PaymentView> {
  return waitFor(async () => {
    const payment = await readPayment(payer, paymentId);
    return ready(payment) ? payment : undefined;
  }, `payment ${paymentId} ${what}`);
}

/** A payer ($100, a PIN) whose $60 wallet payment, above the $50 threshold, waits in MFA_Required. */
async function paymentAwaitingMfa(): Promise<{ payer: User; paymentId: string }> {
  const payer = await fundedPerson(10_000);
  await enrolPin(payer);
  const paymentId = await requestedPayment(payer, paymentRequest(6_000));
  await paymentWhere(payer, paymentId, (p) => p.state === 'MFA_Required', 'waiting for MFA');
  return { payer, paymentId };
}

/**
 * A $25 card payment whose card asks for 3-D Secure, with the customer's authentication completed on the
 * provider's page (as the app's web view would): the payment is still Processing until someone asks the
 * provider, which is what authorize does (the provider's webhook may get there first).
 */
async function cardPaymentAuthenticated(payer: User): Promise<string> {
  const paymentId = await requestedPayment(
    payer,
    paymentRequest(2_500, { type: 'card', id: 'pm_card_authenticationRequired' }),
  );
  const waiting = await paymentWhere(
    payer,
    paymentId,
    (p) => p.nextAction !== undefined,
    'asking for 3-D Secure',
  );
  const response = await fetch(waiting.nextAction?.url ?? '', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ outcome: 'succeed' }),
  });
  expect(response.status).toBe(200);
  return paymentId;
}

const transferRequest = (recipient: User, amount: number, roomId: string) => ({
  recipient: recipient.userId,
  amount,
  currency: 'USD',
  note: 'Idempotency proof',
  room_id: roomId,
});

/** A funded sender and an empty recipient in one room, with a $40 transfer waiting for the recipient. */
async function pendingTransfer() {
  const [sender, recipient] = await Promise.all([fundedPerson(10_000), newPerson()]);
  const roomId = await roomWith(sender, recipient);
  const answer = await call<{ transfer_id: string }>('POST', '/wallet/v1/p2p/initiate', {
    token: sender.token,
    headers: { 'idempotency-key': randomUUID() },
    body: transferRequest(recipient, 4_000, roomId),
  });
  expect(answer.status).toBe(201);
  return { sender, recipient, transferId: answer.body.transfer_id };
}

async function transferStatus(user: User, transferId: string): Promise<unknown> {
  return (await call<{ status: string }>('GET', `/wallet/v1/p2p/${transferId}`, { token: user.token })).body
    .status;
}

const giftRequest = (roomId: string, total: number) => ({
  room_id: roomId,
  total_amount: total,
  currency: 'USD',
  count: 4,
  distribution: 'equal',
  message: 'Idempotency proof',
});

async function readGift(user: User, giftId: string) {
  const { body } = await call<{ status: string; remaining: number; opened_by: { user_id: string }[] }>(
    'GET',
    `/wallet/v1/gift/${giftId}`,
    { token: user.token },
  );
  return { status: body.status, remaining: body.remaining, openedBy: body.opened_by.map((o) => o.user_id) };
}

/** A string field of an answer's body (the id of what it created). */
function idIn(answer: Answer, field: string): string {
  const value = answer.body[field];
  if (typeof value !== 'string') throw new Error(`No ${field} in ${JSON.stringify(answer.body)}`);
  return value;
}

const nothingToObserve = async (): Promise<unknown> => null;

/** A P2P decision by the recipient (accept, reject) or the sender (cancel), and where the $40 ends up. */
function decision(action: 'accept' | 'reject' | 'cancel', status: string, moved: boolean): Case {
  return {
    route: `POST /wallet/v1/p2p/{transferId}/${action}`,
    arrange: async () => {
      const { sender, recipient, transferId } = await pendingTransfer();
      return {
        caller: action === 'cancel' ? sender : recipient,
        params: { transferId },
        answer: '200',
        observe: async () => ({
          transfer: await transferStatus(sender, transferId),
          wallets: await walletsOf(sender, recipient),
        }),
        once: {
          transfer: status,
          wallets: moved
            ? [
                { available: 6_000, pending: 0 },
                { available: 4_000, pending: 0 },
              ]
            : [
                { available: 10_000, pending: 0 },
                { available: 0, pending: 0 },
              ],
        },
      };
    },
  };
}

const cases: Case[] = [
  {
    route: 'POST /wallet/v1/topup',
    arrange: async () => {
      const caller = await newPerson();
      return {
        caller,
        params: {},
        body: visa(2_500),
        otherBody: visa(9_000),
        answer: '201',
        observe: async () => ({ wallets: await walletsOf(caller), topupCredits: await topupCredits(caller) }),
        once: { wallets: [{ available: 2_500, pending: 0 }], topupCredits: 1 },
      };
    },
  },
  {
    route: 'POST /api/v1/payments/request',
    arrange: async () => {
      const caller = await fundedPerson(5_000);
      return {
        caller,
        params: {},
        body: paymentRequest(1_000),
        otherBody: paymentRequest(2_000),
        answer: '201',
        observe: async (first) => ({
          payment: (await readPayment(caller, idIn(first, 'paymentId'))).state,
          wallets: await walletsOf(caller),
        }),
        once: { payment: 'Completed', wallets: [{ available: 4_000, pending: 0 }] },
      };
    },
  },
  {
    route: 'POST /api/v1/payments/{paymentId}/authorize',
    arrange: async () => {
      const caller = await newPerson();
      const paymentId = await cardPaymentAuthenticated(caller);
      return {
        caller,
        params: { paymentId },
        answer: '200',
        observe: async () => {
          const payment = await readPayment(caller, paymentId);
          const completions = payment.history.filter((entry) => entry.event === 'completed').length;
          return { state: payment.state, completions };
        },
        once: { state: 'Completed', completions: 1 },
      };
    },
  },
  {
    route: 'POST /api/v1/payments/{paymentId}/cancel',
    arrange: async () => {
      // A payment waiting for MFA is cancelled (API.md): Failed, cancelled, the $60 hold released once.
      const { payer: caller, paymentId } = await paymentAwaitingMfa();
      return {
        caller,
        params: { paymentId },
        answer: '200',
        observe: async () => {
          const payment = await readPayment(caller, paymentId);
          const cancels = payment.history.filter((entry) => entry.event === 'cancel').length;
          return { payment: payment.state, cancels, wallets: await walletsOf(caller) };
        },
        once: { payment: 'Failed', cancels: 1, wallets: [{ available: 10_000, pending: 0 }] },
      };
    },
  },
  {
    route: 'POST /api/v1/payments/{paymentId}/refund',
    arrange: async () => {
      // Only ops refund: the payer pays, an ops user sends the refund.
      const payer = await fundedPerson(5_000);
      const paymentId = await requestedPayment(payer, paymentRequest(2_000));
      await paymentWhere(payer, paymentId, (p) => p.state === 'Completed', 'completed');
      return {
        caller: await newPerson(['ops']),
        params: { paymentId },
        body: { amount: 500, reason: 'Idempotency proof' },
        otherBody: { amount: 700, reason: 'Idempotency proof' },
        answer: '201',
        observe: async () => {
          const { state, refundedAmount } = await readPayment(payer, paymentId);
          return { payment: { state, refundedAmount }, wallets: await walletsOf(payer) };
        },
        once: {
          payment: { state: 'Completed', refundedAmount: 500 },
          wallets: [{ available: 3_500, pending: 0 }],
        },
      };
    },
  },
  {
    route: 'POST /payments/v1/{paymentId}/mfa/challenge',
    arrange: async () => {
      const { payer: caller, paymentId } = await paymentAwaitingMfa();
      return {
        caller,
        params: { paymentId },
        body: { method: 'transaction_pin' },
        answer: '201',
        observe: async (first) => {
          const { body } = await call<{ state: string; challenge?: { challengeId: string } }>(
            'GET',
            `/payments/v1/${paymentId}/mfa/status`,
            { token: caller.token },
          );
          return {
            state: body.state,
            activeChallenge: body.challenge?.challengeId === idIn(first, 'challengeId'),
          };
        },
        once: { state: 'MFA_Challenge', activeChallenge: true },
      };
    },
  },
  {
    route: 'POST /payments/v1/user/{userId}/mfa/totp/confirm',
    arrange: async () => {
      const caller = await newPerson();
      const started = await call<{ secret: string }>('POST', `/payments/v1/user/${caller.path}/mfa/totp`, {
        token: caller.token,
      });
      expect(started.status).toBe(201);
      return {
        caller,
        params: { userId: caller.userId },
        body: { code: generateSync({ secret: started.body.secret, epoch: Math.floor(Date.now() / 1000) }) },
        answer: '200',
        observe: nothingToObserve,
        once: null,
      };
    },
  },
  {
    route: 'POST /payments/v1/user/{userId}/mfa/devices',
    arrange: async () => {
      const caller = await newPerson();
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      return {
        caller,
        params: { userId: caller.userId },
        body: {
          deviceId: 'phone-1',
          publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
        },
        answer: '201',
        observe: nothingToObserve,
        once: null,
      };
    },
  },
  {
    route: 'POST /wallet/v1/p2p/initiate',
    arrange: async () => {
      const [caller, recipient] = await Promise.all([fundedPerson(10_000), newPerson()]);
      const roomId = await roomWith(caller, recipient);
      return {
        caller,
        params: {},
        body: transferRequest(recipient, 2_500, roomId),
        otherBody: transferRequest(recipient, 3_000, roomId),
        answer: '201',
        observe: async (first) => ({
          transfer: await transferStatus(caller, idIn(first, 'transfer_id')),
          wallets: await walletsOf(caller, recipient),
        }),
        once: {
          transfer: 'pending_recipient_acceptance',
          wallets: [
            { available: 7_500, pending: 2_500 },
            { available: 0, pending: 0 },
          ],
        },
      };
    },
  },
  decision('accept', 'completed', true),
  decision('reject', 'rejected', false),
  decision('cancel', 'cancelled', false),
  {
    route: 'POST /wallet/v1/gift/create',
    arrange: async () => {
      const caller = await fundedPerson(10_000);
      const roomId = await roomWith(caller);
      return {
        caller,
        params: {},
        body: giftRequest(roomId, 2_000),
        otherBody: giftRequest(roomId, 3_000),
        answer: '201',
        observe: async (first) => ({
          gift: await readGift(caller, idIn(first, 'gift_id')),
          wallets: await walletsOf(caller),
        }),
        once: {
          gift: { status: 'active', remaining: 4, openedBy: [] },
          wallets: [{ available: 8_000, pending: 0 }],
        },
      };
    },
  },
  {
    // The merchant API: the seeded demo merchant's test key is the caller (idempotency scope: merchant, mode).
    route: 'POST /v1/apps',
    arrange: async () => {
      const name = `idem-${randomUUID()}`;
      const caller = { userId: DEMO_MERCHANT_ID, token: DEMO_TEST_KEY, path: DEMO_MERCHANT_ID };
      return {
        caller,
        params: {},
        body: { name },
        otherBody: { name: `${name}-other` },
        answer: '201',
        observe: async () => {
          const listed = await call<{ data: { name: string }[] }>('GET', '/v1/apps?limit=100', {
            token: DEMO_TEST_KEY,
          });
          return listed.body.data.filter((app) => app.name.startsWith(name)).length;
        },
        once: 1,
      };
    },
  },
  ...customerCases(),
  ...billingCases(),
  ...subscriptionCases(),
  ...checkoutCases(),
  ...webhookCases(),
  refundCase(),
  payoutCase(),
  ...paymentIntentCases(),
  {
    route: 'POST /wallet/v1/gift/{giftId}/open',
    arrange: async () => {
      const [creator, caller] = await Promise.all([fundedPerson(10_000), newPerson()]);
      const roomId = await roomWith(creator, caller);
      const created = await call<{ gift_id: string }>('POST', '/wallet/v1/gift/create', {
        token: creator.token,
        headers: { 'idempotency-key': randomUUID() },
        body: giftRequest(roomId, 1_000),
      });
      expect(created.status).toBe(201);
      const giftId = created.body.gift_id;
      return {
        caller,
        params: { giftId },
        answer: '200',
        observe: async () => ({
          gift: await readGift(creator, giftId),
          wallets: await walletsOf(caller, creator),
        }),
        once: {
          gift: { status: 'active', remaining: 3, openedBy: [caller.userId] },
          wallets: [
            { available: 250, pending: 0 },
            { available: 9_000, pending: 0 },
          ],
        },
      };
    },
  },
  ...merchantCases(),
];

/** Merchant onboarding's POSTs (all take an optional key): each takes effect once, whatever the retries. */
function merchantCases(): Case[] {
  const onboarding = onboardingClient(apiUrl());
  const owner = async (): Promise<User> => {
    const { userId, token } = await onboarding.newOwner();
    return { userId, token, path: encodeURIComponent(userId) };
  };
  const statusOf = async (merchantId: string) =>
    (await onboarding.call('GET', `/merchant/v1/merchants/${merchantId}`, await onboarding.opsToken())).body;
  const verified = async (caller: User) => {
    const created = await onboarding.create(caller.token);
    const code = await onboarding.codeSentTo(created.body.email);
    const answer = await onboarding.call(
      'POST',
      `/merchant/v1/merchants/${created.body.id}/verify-email`,
      caller.token,
      {
        code,
      },
    );
    expect(answer.status).toBe(200);
    return created.body;
  };
  return [
    {
      route: 'POST /merchant/v1/merchants',
      arrange: async () => {
        const email = `idem-${randomUUID().slice(0, 8)}@shop.example`;
        return {
          caller: await owner(),
          params: {},
          body: { name: 'Idempotent Shop', email, country: 'US', business_type: 'individual' },
          answer: '201',
          observe: async () => (await onboarding.emails(email)).length,
          once: 1,
        };
      },
    },
    {
      route: 'POST /merchant/v1/merchants/{merchantId}/verify-email',
      arrange: async () => {
        const caller = await owner();
        const created = await onboarding.create(caller.token);
        const code = await onboarding.codeSentTo(created.body.email);
        return {
          caller,
          params: { merchantId: created.body.id },
          body: { code },
          answer: '200',
          observe: async () => (await statusOf(created.body.id)).status,
          once: 'kyc_required',
        };
      },
    },
    {
      route: 'POST /merchant/v1/merchants/{merchantId}/verify-email/resend',
      arrange: async () => {
        const caller = await owner();
        const created = await onboarding.create(caller.token);
        await onboarding.codeSentTo(created.body.email);
        return {
          caller,
          params: { merchantId: created.body.id },
          answer: '202',
          observe: async () => (await onboarding.emails(created.body.email)).length,
          once: 2,
        };
      },
    },
    {
      route: 'POST /merchant/v1/merchants/{merchantId}/kyc/documents',
      arrange: async () => {
        const caller = await owner();
        const merchant = await verified(caller);
        return {
          caller,
          params: { merchantId: merchant.id },
          body: { type: 'id_document', file_name: 'passport.pdf', content_type: 'application/pdf' },
          otherBody: { type: 'pan', file_name: 'pan.pdf', content_type: 'application/pdf' },
          answer: '201',
          observe: async () =>
            (
              await onboarding.call<{ data: unknown[] }>(
                'GET',
                `/merchant/v1/merchants/${merchant.id}/kyc/documents?limit=100`,
                caller.token,
              )
            ).body.data.length,
          once: 1,
        };
      },
    },
    {
      route: 'POST /merchant/v1/merchants/{merchantId}/kyc/submit',
      arrange: async () => {
        const caller = await owner();
        const merchant = await verified(caller);
        await onboarding.uploadDocument(merchant.id, caller.token);
        return {
          caller,
          params: { merchantId: merchant.id },
          answer: '202',
          observe: async () => {
            const executions = await call<{ executions: { name: string }[] }>('GET', '/local/executions');
            return {
              status: (await statusOf(merchant.id)).status,
              executions: executions.body.executions.filter((e) => e.name.startsWith(merchant.id)).length,
            };
          },
          once: { status: 'in_review', executions: 1 },
        };
      },
    },
    {
      route: 'POST /ops/v1/merchants/{merchantId}/review',
      arrange: async () => {
        const merchant = await onboarding.inReview((await owner()).token);
        return {
          caller: await newPerson(['ops']),
          params: { merchantId: merchant.id },
          body: { decision: 'approve' },
          answer: '200',
          observe: async (first) => {
            const now = await statusOf(merchant.id);
            return {
              status: now.status,
              sameAccount: now.connected_account_id === first.body.connected_account_id,
            };
          },
          once: { status: 'active', sameAccount: true },
        };
      },
    },
    {
      route: 'POST /ops/v1/merchants/{merchantId}/reserve',
      arrange: async () => {
        const merchant = (await onboarding.create((await owner()).token)).body;
        return {
          caller: await newPerson(['ops']),
          params: { merchantId: merchant.id },
          body: { reserve_bps: 250 },
          otherBody: { reserve_bps: 300 },
          answer: '200',
          observe: async () => (await statusOf(merchant.id)).reserve_bps,
          once: 250,
        };
      },
    },
    {
      route: 'POST /merchant/v1/merchants/{merchantId}/devices',
      arrange: async () => {
        const caller = await owner();
        const merchant = (await onboarding.create(caller.token)).body;
        const devices = new DynamoDbDevices(localDocumentClient(), tableDefinition.localName);
        return {
          caller,
          params: { merchantId: merchant.id },
          body: { token: `apns-${randomUUID()}`, platform: 'apns' },
          otherBody: { token: `fcm-${randomUUID()}`, platform: 'fcm' },
          answer: '201',
          observe: async () => (await devices.list(merchant.id)).length,
          once: 1,
        };
      },
    },
  ];
}

const modeOf = new Map(
  routes.map((route): [string, RouteDefinition['idempotency']] => [routeKey(route), route.idempotency]),
);

/** The route template with the scenario's parameters in place: `/api/v1/payments/pay_…/refund`. */
function pathOf(template: string, params: Scenario['params']): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`No value for {${name}} in ${template}`);
    return encodeURIComponent(value);
  });
}

function send(route: string, scenario: Scenario, key: string, body = scenario.body): Promise<Answer> {
  const [method = '', template = ''] = route.split(' ');
  return call<ResponseBody>(method, pathOf(template, scenario.params), {
    token: scenario.caller.token,
    headers: { 'idempotency-key': key },
    ...(body === undefined ? {} : { body }),
  });
}

/** `201`, or `409 IDEMPOTENCY_IN_PROGRESS` for an error. */
function outcome(answer: Answer): string {
  const code = answer.body?.error?.code;
  return code === undefined ? `${answer.status}` : `${answer.status} ${code}`;
}

/** What a client can compare: the status and the body. */
const seen = (answer: Answer) => ({ status: answer.status, body: answer.body });

/** The one answer among twins that ran the request (the others replayed it or were told it was running). */
function firstAnswerAmong(answers: Answer[]): Answer {
  const ran = answers.filter(
    (answer) => outcome(answer) !== '409 IDEMPOTENCY_IN_PROGRESS' && answer.headers.get(REPLAYED) === null,
  );
  const [first] = ran;
  if (first === undefined || ran.length > 1) {
    throw new Error(`Expected one answer that ran the request, got ${ran.map(outcome).join(', ') || 'none'}`);
  }
  return first;
}

/**
 * Reads the scenario's money and resource until they equal `once` (effects that settle after the answer:
 * the payment lifecycle, a P2P settlement) or 10 s pass; answers the last reading.
 */
async function settled(scenario: Scenario, first: Answer): Promise<unknown> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const reading = await scenario.observe(first);
    if (isDeepStrictEqual(reading, scenario.once) || Date.now() > deadline) return reading;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function otherBodyOf(scenario: Scenario): JsonBody {
  if (scenario.otherBody === undefined)
    throw new Error('A route that requires a key needs an otherBody case');
  return scenario.otherBody;
}

describe('Stack: idempotent routes', () => {
  afterAll(async () => {
    expect(await ledgerProblems()).toEqual([]);
  });

  it('has a case for every POST route whose idempotency is required or optional, and for no other route', () => {
    // Arrange
    const idempotentPosts = routes
      .filter((route) => route.method === 'POST' && route.idempotency !== 'none')
      .map(routeKey);

    // Act
    const covered = cases.map((testCase) => testCase.route);

    // Assert
    expect([...covered].sort()).toEqual([...idempotentPosts].sort());
  });

  describe.each(cases)('Route: $route', ({ route, arrange }) => {
    it('replays the first status and body with Idempotent-Replayed: true when retried with the same key, and takes effect once', async () => {
      // Arrange
      const scenario = await arrange();
      const key = randomUUID();
      const first = await send(route, scenario, key);

      // Act
      const retry = await send(route, scenario, key);

      // Assert
      expect(outcome(first)).toBe(scenario.answer);
      expect(first.headers.get(REPLAYED)).toBeNull();
      expect(seen(retry)).toEqual(seen(first));
      expect(retry.headers.get(REPLAYED)).toBe('true');
      expect(await settled(scenario, first)).toEqual(scenario.once);
    });

    it(`answers ${TWINS} concurrent twins with one run, its replays or 409 IDEMPOTENCY_IN_PROGRESS, and takes effect once`, async () => {
      // Arrange
      const scenario = await arrange();
      const key = randomUUID();

      // Act
      const answers = await Promise.all(Array.from({ length: TWINS }, () => send(route, scenario, key)));

      // Assert
      const first = firstAnswerAmong(answers);
      expect(outcome(first)).toBe(scenario.answer);
      const others = answers.filter((answer) => answer !== first);
      const running = others.filter((answer) => outcome(answer) === '409 IDEMPOTENCY_IN_PROGRESS');
      const replays = others.filter((answer) => !running.includes(answer));
      expect(replays.map(seen)).toEqual(replays.map(() => seen(first)));
      expect(replays.map((answer) => answer.headers.get(REPLAYED))).toEqual(replays.map(() => 'true'));
      expect(await settled(scenario, first)).toEqual(scenario.once);
    });
  });

  describe.each(cases.filter(({ route }) => modeOf.get(route) === 'required'))(
    'Route: $route (key required)',
    ({ route, arrange }) => {
      it('answers 422 IDEMPOTENCY_KEY_REUSED when the key comes back with another body, and moves nothing more', async () => {
        // Arrange
        const scenario = await arrange();
        const key = randomUUID();
        const first = await send(route, scenario, key);

        // Act
        const reused = await send(route, scenario, key, otherBodyOf(scenario));

        // Assert
        expect(outcome(first)).toBe(scenario.answer);
        expect(outcome(reused)).toBe('422 IDEMPOTENCY_KEY_REUSED');
        expect(await settled(scenario, first)).toEqual(scenario.once);
      });
    },
  );
});

const receivers: WebhookReceiver[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
});

/**
 * The webhook POSTs, with the demo merchant's test key: one endpoint per registration, one change per update,
 * and one more delivery per resend (a receiver of its own counts what it acknowledged of the event).
 */
function webhookCases(): Case[] {
  const caller = { userId: DEMO_MERCHANT_ID, token: DEMO_TEST_KEY, path: DEMO_MERCHANT_ID };
  const asDemo = { token: DEMO_TEST_KEY };
  const newEndpoint = async (url: string, events: string[]) => {
    const created = await call<{ id: string; secret: string }>('POST', '/v1/webhook_endpoints', {
      ...asDemo,
      headers: { 'idempotency-key': randomUUID() },
      body: { url, enabled_events: events },
    });
    expect(created.status).toBe(201);
    return created.body;
  };
  return [
    {
      route: 'POST /v1/webhook_endpoints',
      arrange: async () => {
        const url = `http://127.0.0.1:9/idem-${randomUUID().slice(0, 8)}`;
        return {
          caller,
          params: {},
          body: { url, enabled_events: ['payout.paid'] },
          otherBody: { url, enabled_events: ['payout.failed'] },
          answer: '201',
          observe: async () =>
            (
              await call<{ data: { url: string }[] }>('GET', '/v1/webhook_endpoints?limit=100', asDemo)
            ).body.data.filter((endpoint) => endpoint.url === url).length,
          once: 1,
        };
      },
    },
    {
      route: 'POST /v1/webhook_endpoints/{endpointId}',
      arrange: async () => {
        const { id: endpointId } = await newEndpoint('http://127.0.0.1:9/idem', ['payout.paid']);
        return {
          caller,
          params: { endpointId },
          body: { description: 'Renamed' },
          otherBody: { description: 'Other' },
          answer: '200',
          observe: async () =>
            (await call<{ description: string | null }>('GET', `/v1/webhook_endpoints/${endpointId}`, asDemo))
              .body.description,
          once: 'Renamed',
        };
      },
    },
    {
      route: 'POST /v1/events/{eventId}/resend',
      arrange: async () => {
        const receiver = await WebhookReceiver.start();
        receivers.push(receiver);
        const endpoint = await newEndpoint(receiver.url, ['customer.created']);
        receiver.useSecret(endpoint.secret);
        const customer = await call<{ id: string }>('POST', '/v1/customers', {
          ...asDemo,
          headers: { 'idempotency-key': randomUUID() },
          body: { name: 'Resend' },
        });
        // Delivered once before the resend, so the resend is one more delivery, never a twin of the first.
        const first = await waitFor(
          async () => receiver.acknowledged().find((delivery) => delivery.objectId === customer.body.id),
          'the first customer.created delivery',
        );
        return {
          caller,
          params: { eventId: first.id },
          body: { endpoint: endpoint.id },
          otherBody: { endpoint: 'we_other0000000000000000' },
          answer: '202',
          observe: async () => receiver.acknowledged().filter((delivery) => delivery.id === first.id).length,
          once: 2,
        };
      },
    },
  ];
}

/** The merchant API's customer POSTs, with the seeded demo merchant's test key: each takes effect once. */
function customerCases(): Case[] {
  const caller = { userId: DEMO_MERCHANT_ID, token: DEMO_TEST_KEY, path: DEMO_MERCHANT_ID };
  const newCustomer = async (email: string) => {
    const created = await call<{ id: string }>('POST', '/v1/customers', {
      token: DEMO_TEST_KEY,
      headers: { 'idempotency-key': randomUUID() },
      body: { email },
    });
    expect(created.status).toBe(201);
    return created.body.id;
  };
  return [
    {
      route: 'POST /v1/customers',
      arrange: async () => {
        const email = `idem-${randomUUID().slice(0, 8)}@customers.example`;
        return {
          caller,
          params: {},
          body: { email, name: 'Idem' },
          otherBody: { email, name: 'Other' },
          answer: '201',
          observe: async () =>
            (
              await call<{ data: unknown[] }>('GET', `/v1/customers?email=${encodeURIComponent(email)}`, {
                token: DEMO_TEST_KEY,
              })
            ).body.data.length,
          once: 1,
        };
      },
    },
    {
      route: 'POST /v1/customers/{customerId}',
      arrange: async () => {
        const customerId = await newCustomer(`idem-${randomUUID().slice(0, 8)}@customers.example`);
        return {
          caller,
          params: { customerId },
          body: { name: 'Renamed' },
          otherBody: { name: 'Other' },
          answer: '200',
          observe: async () =>
            (
              await call<{ name: string | null }>('GET', `/v1/customers/${customerId}`, {
                token: DEMO_TEST_KEY,
              })
            ).body.name,
          once: 'Renamed',
        };
      },
    },
    {
      route: 'POST /v1/customers/{customerId}/payment_methods',
      arrange: async () => {
        const customerId = await newCustomer(`idem-${randomUUID().slice(0, 8)}@customers.example`);
        return {
          caller,
          params: { customerId },
          body: { payment_method: 'pm_card_visa' },
          otherBody: { payment_method: 'pm_card_mastercard' },
          answer: '200',
          observe: async () =>
            (
              await call<{ data: unknown[] }>('GET', `/v1/customers/${customerId}/payment_methods`, {
                token: DEMO_TEST_KEY,
              })
            ).body.data.length,
          once: 1,
        };
      },
    },
  ];
}

/** A live key of the seeded demo merchant, whose live app `app_demo` mini-app payments pay (made once). */
let demoLiveKey: Promise<string> | undefined;
function liveKeyOfDemo(): Promise<string> {
  demoLiveKey ??= (async () => {
    const created = await call<{ secret: string }>(
      'POST',
      `/merchant/v1/merchants/${DEMO_MERCHANT_ID}/api-keys`,
      {
        token: await tokenFor(DEMO_OWNER),
        body: { mode: 'live', name: 'idempotency proof' },
      },
    );
    expect(created.status).toBe(201);
    return created.body.secret;
  })();
  return demoLiveKey;
}

/** The merchant refunds a wallet payment to its live app: one refund, once. */
function refundCase(): Case {
  return {
    route: 'POST /v1/refunds',
    arrange: async () => {
      const payer = await fundedPerson(5_000);
      const paymentId = await requestedPayment(payer, paymentRequest(2_000));
      await paymentWhere(payer, paymentId, (p) => p.state === 'Completed', 'completed');
      const key = await liveKeyOfDemo();
      return {
        caller: { userId: DEMO_MERCHANT_ID, token: key, path: DEMO_MERCHANT_ID },
        params: {},
        body: { payment: paymentId, amount: 500 },
        otherBody: { payment: paymentId, amount: 700 },
        answer: '201',
        observe: async () => {
          const { state, refundedAmount } = await readPayment(payer, paymentId);
          return { payment: { state, refundedAmount }, wallets: await walletsOf(payer) };
        },
        once: {
          payment: { state: 'Completed', refundedAmount: 500 },
          wallets: [{ available: 3_500, pending: 0 }],
        },
      };
    },
  };
}

/** The merchant API's billing POSTs, with the seeded demo merchant's test key: each takes effect once. */
function billingCases(): Case[] {
  const caller = { userId: DEMO_MERCHANT_ID, token: DEMO_TEST_KEY, path: DEMO_MERCHANT_ID };
  const asDemo = { token: DEMO_TEST_KEY };
  const newProduct = async (name: string) => {
    const created = await call<{ id: string }>('POST', '/v1/products', { ...asDemo, body: { name } });
    expect(created.status).toBe(201);
    return created.body.id;
  };
  return [
    {
      route: 'POST /v1/products',
      arrange: async () => {
        const name = `idem-${randomUUID()}`;
        return {
          caller,
          params: {},
          body: { name },
          otherBody: { name, description: 'other' },
          answer: '201',
          observe: async () =>
            (
              await call<{ data: { name: string }[] }>('GET', '/v1/products?limit=100', asDemo)
            ).body.data.filter((product) => product.name === name).length,
          once: 1,
        };
      },
    },
    {
      route: 'POST /v1/prices',
      arrange: async () => {
        const product = await newProduct(`idem-${randomUUID()}`);
        return {
          caller,
          params: {},
          body: { product, unit_amount: 1_000, currency: 'USD' },
          otherBody: { product, unit_amount: 2_000, currency: 'USD' },
          answer: '201',
          observe: async () =>
            (await call<{ data: unknown[] }>('GET', `/v1/prices?product=${product}`, asDemo)).body.data
              .length,
          once: 1,
        };
      },
    },
    ...invoiceCases(),
  ];
}

/** The invoice POSTs: a customer of the demo merchant's with a default card, and invoices of its own. */
function invoiceCases(): Case[] {
  const caller = { userId: DEMO_MERCHANT_ID, token: DEMO_TEST_KEY, path: DEMO_MERCHANT_ID };
  const asDemo = { token: DEMO_TEST_KEY };
  const post = async (path: string, body: JsonBody = {}) => {
    const answer = await call<{ id: string }>('POST', path, {
      ...asDemo,
      headers: { 'idempotency-key': randomUUID() },
      body,
    });
    expect(answer.status).toBeLessThan(300);
    return answer.body.id;
  };
  const customerWithCard = async () => {
    const customer = await post('/v1/customers', { name: 'Invoiced' });
    const card = await post(`/v1/customers/${customer}/payment_methods`, { payment_method: 'pm_card_visa' });
    await post(`/v1/customers/${customer}`, { default_payment_method: card });
    return customer;
  };
  const invoice = async (finalized: boolean) => {
    const id = await post('/v1/invoices', {
      customer: await customerWithCard(),
      currency: 'USD',
      items: [{ amount: 1_200, description: 'Idem' }],
    });
    if (finalized) await post(`/v1/invoices/${id}/finalize`);
    return id;
  };
  const read = async (id: string) => {
    const { body } = await call<{ status: string; number: string | null; attempt_count: number }>(
      'GET',
      `/v1/invoices/${id}`,
      asDemo,
    );
    return { status: body.status, numbered: body.number !== null, attempts: body.attempt_count };
  };
  const action = (name: string, finalized: boolean, status: string, attempts = 0): Case => ({
    route: `POST /v1/invoices/{invoiceId}/${name}`,
    arrange: async () => {
      const invoiceId = await invoice(finalized);
      return {
        caller,
        params: { invoiceId },
        body: name === 'pay' ? { payment_method: 'pm_card_visa' } : {},
        ...(name === 'pay' ? { otherBody: { payment_method: 'pm_card_mastercard' } } : {}),
        answer: '200',
        observe: () => read(invoiceId),
        once: { status, numbered: true, attempts },
      };
    },
  });
  return [
    {
      route: 'POST /v1/invoices',
      arrange: async () => {
        const customer = await customerWithCard();
        const body = { customer, currency: 'USD', items: [{ amount: 900, description: 'Idem' }] };
        return {
          caller,
          params: {},
          body,
          otherBody: { ...body, due_days: 3 },
          answer: '201',
          observe: async () =>
            (await call<{ data: unknown[] }>('GET', `/v1/invoices?customer=${customer}`, asDemo)).body.data
              .length,
          once: 1,
        };
      },
    },
    {
      route: 'POST /v1/invoices/{invoiceId}',
      arrange: async () => {
        const invoiceId = await invoice(false);
        return {
          caller,
          params: { invoiceId },
          body: { items: [{ amount: 2_000, description: 'Edited' }], due_days: 5 },
          otherBody: { due_days: 6 },
          answer: '200',
          observe: async () => {
            const { body } = await call<{ status: string; total: number }>(
              'GET',
              `/v1/invoices/${invoiceId}`,
              asDemo,
            );
            return { status: body.status, total: body.total };
          },
          once: { status: 'draft', total: 2_000 },
        };
      },
    },
    action('finalize', false, 'open'),
    action('pay', true, 'paid', 1),
    action('void', true, 'void'),
    action('mark_uncollectible', true, 'uncollectible'),
  ];
}

/**
 * Subscriptions, with the demo merchant's test key: a trial subscription of a new customer is made once and
 * cancelled once (its first charge, once per period, is held by test/integration/subscriptions.test.ts).
 */
function subscriptionCases(): Case[] {
  const caller = { userId: DEMO_MERCHANT_ID, token: DEMO_TEST_KEY, path: DEMO_MERCHANT_ID };
  const asDemo = { token: DEMO_TEST_KEY };
  const created = async (path: string, body: JsonBody) => {
    const answer = await call<{ id: string }>('POST', path, { ...asDemo, body });
    expect(answer.status).toBe(201);
    return answer.body.id;
  };
  const subscriptionOf = async () => {
    const customer = await created('/v1/customers', {
      email: `idem-${randomUUID().slice(0, 8)}@subs.example`,
    });
    const product = await created('/v1/products', { name: `idem-${randomUUID()}` });
    const price = await created('/v1/prices', {
      product,
      unit_amount: 1_500,
      currency: 'USD',
      recurring: { interval: 'month' },
    });
    return { customer, items: [{ price }], trial_period_days: 7 };
  };
  const subscriptionsOf = async (customer: string) =>
    (await call<{ data: { status: string }[] }>('GET', `/v1/subscriptions?customer=${customer}`, asDemo)).body
      .data;
  return [
    {
      route: 'POST /v1/subscriptions',
      arrange: async () => {
        const body = await subscriptionOf();
        return {
          caller,
          params: {},
          body,
          otherBody: { ...body, trial_period_days: 8 },
          answer: '201',
          observe: async () => (await subscriptionsOf(body.customer)).length,
          once: 1,
        };
      },
    },
    {
      route: 'POST /v1/subscriptions/{subscriptionId}/cancel',
      arrange: async () => {
        const body = await subscriptionOf();
        const subscriptionId = await created('/v1/subscriptions', body);
        return {
          caller,
          params: { subscriptionId },
          body: {},
          otherBody: { at_period_end: true },
          answer: '200',
          observe: async () =>
            (await subscriptionsOf(body.customer)).map((subscription) => subscription.status),
          once: ['canceled'],
        };
      },
    },
  ];
}

/** Hosted checkout's POSTs (an optional key), with the demo merchant's test key: each takes effect once. */
function checkoutCases(): Case[] {
  const caller = { userId: DEMO_MERCHANT_ID, token: DEMO_TEST_KEY, path: DEMO_MERCHANT_ID };
  const asDemo = { token: DEMO_TEST_KEY };
  const newPrice = async () => {
    const product = await call<{ id: string }>('POST', '/v1/products', { ...asDemo, body: { name: 'idem' } });
    const price = await call<{ id: string }>('POST', '/v1/prices', {
      ...asDemo,
      body: { product: product.body.id, unit_amount: 1_500, currency: 'USD' },
    });
    expect(price.status).toBe(201);
    return price.body.id;
  };
  const session = (price: string, successUrl: string) => ({
    mode: 'payment',
    line_items: [{ price, quantity: 2 }],
    success_url: successUrl,
    cancel_url: 'https://shop.example/cart',
  });
  const sessionsTo = async (successUrl: string) =>
    (
      await call<{ data: { success_url: string }[] }>('GET', '/v1/checkout/sessions?limit=100', asDemo)
    ).body.data.filter((found) => found.success_url === successUrl).length;
  return [
    {
      route: 'POST /v1/checkout/sessions',
      arrange: async () => {
        const price = await newPrice();
        const successUrl = `https://shop.example/thanks/${randomUUID()}`;
        return {
          caller,
          params: {},
          body: session(price, successUrl),
          otherBody: { ...session(price, successUrl), line_items: [{ price, quantity: 3 }] },
          answer: '200',
          observe: () => sessionsTo(successUrl),
          once: 1,
        };
      },
    },
    {
      route: 'POST /v1/checkout/sessions/{sessionId}/expire',
      arrange: async () => {
        const created = await call<{ id: string }>('POST', '/v1/checkout/sessions', {
          ...asDemo,
          body: session(await newPrice(), 'https://shop.example/thanks'),
        });
        const sessionId = created.body.id;
        return {
          caller,
          params: { sessionId },
          answer: '200',
          observe: async () =>
            (await call<{ status: string }>('GET', `/v1/checkout/sessions/${sessionId}`, asDemo)).body.status,
          once: 'expired',
        };
      },
    },
  ];
}

/** A merchant with settled funds pays out: one payout, its amount debited once. */
function payoutCase(): Case {
  return {
    route: 'POST /v1/payouts',
    arrange: async () => {
      const shop = await payoutShop(100_000);
      const asShop = { token: shop.test };
      return {
        caller: { userId: shop.merchantId, token: shop.test, path: shop.merchantId },
        params: {},
        body: { amount: 20_000, currency: 'USD', method: 'instant' },
        otherBody: { amount: 30_000, currency: 'USD', method: 'instant' },
        answer: '201',
        observe: async () => {
          const list = await call<{ data: unknown[] }>('GET', '/v1/payouts?limit=100', asShop);
          const balance = await call<{ available: { amount: number }[] }>('GET', '/v1/balance', asShop);
          return { payouts: list.body.data.length, available: balance.body.available[0]?.amount };
        },
        once: { payouts: 1, available: 80_000 },
      };
    },
  };
}

/**
 * The merchant API's PaymentIntent POSTs, with the seeded demo merchant's test key (a create answers 201, as every
 * create in this API does): each intent is its own
 * (a fresh customer's, or made for the case), so what a request did is read from it alone, with the balance
 * transactions it posted.
 */
function paymentIntentCases(): Case[] {
  const caller = { userId: DEMO_MERCHANT_ID, token: DEMO_TEST_KEY, path: DEMO_MERCHANT_ID };
  const asDemo = { token: DEMO_TEST_KEY };
  interface IntentView {
    id: string;
    status: string;
    amount_capturable: number;
    amount_received: number;
  }
  const newIntent = async (body: JsonBody, status: string): Promise<string> => {
    const created = await call<IntentView>('POST', '/v1/payment_intents', {
      ...asDemo,
      headers: { 'idempotency-key': randomUUID() },
      body: { amount: 1_500, currency: 'USD', capture_method: 'manual', ...body },
    });
    expect({ status: created.status, intent: created.body.status }).toEqual({ status: 201, intent: status });
    return created.body.id;
  };
  const authorized = () => newIntent({ payment_method: 'pm_card_visa', confirm: true }, 'requires_capture');
  /** The intent's state and how many balance transactions it posted (a charge posts one). */
  const intentOf = async (intentId: string) => {
    const intent = (await call<IntentView>('GET', `/v1/payment_intents/${intentId}`, asDemo)).body;
    const posted = await call<{ data: { source: string }[] }>(
      'GET',
      '/v1/balance_transactions?limit=100',
      asDemo,
    );
    return {
      status: intent.status,
      capturable: intent.amount_capturable,
      received: intent.amount_received,
      posted: posted.body.data.filter((transaction) => transaction.source === intentId).length,
    };
  };
  return [
    {
      route: 'POST /v1/payment_intents',
      arrange: async () => {
        const customer = await call<{ id: string }>('POST', '/v1/customers', {
          ...asDemo,
          headers: { 'idempotency-key': randomUUID() },
          body: { email: `idem-${randomUUID().slice(0, 8)}@intents.example` },
        });
        expect(customer.status).toBe(201);
        const body = {
          amount: 1_234,
          currency: 'USD',
          customer: customer.body.id,
          payment_method: 'pm_card_visa',
          confirm: true,
        };
        return {
          caller,
          params: {},
          body,
          otherBody: { ...body, amount: 1_235 },
          answer: '201',
          observe: async () => {
            const list = await call<{ data: IntentView[] }>(
              'GET',
              `/v1/payment_intents?customer=${customer.body.id}`,
              asDemo,
            );
            return Promise.all(list.body.data.map((intent) => intentOf(intent.id)));
          },
          once: [{ status: 'succeeded', capturable: 0, received: 1_234, posted: 1 }],
        };
      },
    },
    {
      route: 'POST /v1/payment_intents/{intentId}/confirm',
      arrange: async () => {
        const intentId = await newIntent({}, 'requires_payment_method');
        return {
          caller,
          params: { intentId },
          body: { payment_method: 'pm_card_visa' },
          otherBody: { payment_method: 'pm_card_mastercard' },
          answer: '200',
          observe: () => intentOf(intentId),
          once: { status: 'requires_capture', capturable: 1_500, received: 0, posted: 0 },
        };
      },
    },
    {
      route: 'POST /v1/payment_intents/{intentId}/capture',
      arrange: async () => {
        const intentId = await authorized();
        return {
          caller,
          params: { intentId },
          body: { amount_to_capture: 1_000 },
          otherBody: { amount_to_capture: 900 },
          answer: '200',
          observe: () => intentOf(intentId),
          once: { status: 'succeeded', capturable: 0, received: 1_000, posted: 1 },
        };
      },
    },
    {
      route: 'POST /v1/payment_intents/{intentId}/cancel',
      arrange: async () => {
        const intentId = await authorized();
        return {
          caller,
          params: { intentId },
          body: { cancellation_reason: 'requested_by_customer' },
          answer: '200',
          observe: () => intentOf(intentId),
          once: { status: 'canceled', capturable: 0, received: 0, posted: 0 },
        };
      },
    },
  ];
}
