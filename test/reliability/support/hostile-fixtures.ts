/**
 * Real resources for the hostile corpus and the authorization matrix to aim at, made through the API as
 * an app would: funded wallets, a completed payment, a payment waiting on its PIN challenge, a pending P2P
 * transfer, an active group gift, page cursors and a settled webhook event. Ids in hostile paths then
 * point at something that exists, so a hole in a check would show as a change, not as a 404.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { DEMO_TEST_KEY } from '../../../local/seed.js';
import { waitFor } from '../../support/stack.js';
import { type Actor, api, endpointOf, joinRoom, newActor, type OwnStack } from './hostile-stack.js';

export const PIN = '482913';

/** An actor with a wallet. */
export interface Holder extends Actor {
  walletId: string;
}

/** A money-moving request made once with its Idempotency-Key, kept to be reused with another body. */
export interface KeyedRequest {
  /** The token of whoever made it. */
  token: string;
  path: string;
  key: string;
  body: Record<string, unknown>;
}

export interface HostileFixtures {
  /** Owns every resource below. */
  alice: Holder;
  /** Alice's counterparty: in her room, recipient of her transfer. */
  bob: Holder;
  /** The attacker: a funded wallet of his own, in no room of Alice's. */
  mallory: Holder;
  /** Holds the ops role and nothing else. */
  ops: Actor;
  roomId: string;
  /** Alice's wallet payment, Completed. */
  paymentId: string;
  /** Alice's payment above the MFA threshold, in MFA_Challenge with a pending PIN challenge. */
  mfaPaymentId: string;
  challengeId: string;
  /** Alice → Bob, pending_recipient_acceptance. */
  transferId: string;
  /** Alice's gift in the room, active. */
  giftId: string;
  /** Alice's merchant, pending_verification. */
  merchantId: string;
  /** A genuine next-page cursor of Alice's transactions. */
  aliceCursor: string;
  /** A genuine next-page cursor of the webhook inbox. */
  webhookCursor: string;
  /** A settled event in the webhook inbox. */
  webhookEventId: string;
  /** Mallory's card top-up waiting on 3-D Secure: what a forged "succeeded" webhook would complete. */
  pendingTopup: { topupId: string; intentId: string; amount: number };
  /** A P-256 public key (SPKI, base64), as a device enrols it. */
  devicePublicKey: string;
  /** The seeded demo merchant's test-mode PaymentIntents, made with its test key. */
  intents: DemoIntents;
  /**
   * The demo merchant's test-mode webhook endpoint (it takes only payout.paid, which no fixture emits, so no
   * delivery changes the table during a test), its URL, and the customer.created event of a customer.
   */
  webhooks: { endpointId: string; eventId: string; url: string };
  /** Alice's fixture requests, by route key, for key-reuse attempts. */
  keyed: Readonly<Record<string, KeyedRequest>>;
  /** Amounts and texts that appear nowhere but in Alice's resources (to find them in a body). */
  marks: {
    paymentAmount: number;
    transferAmount: number;
    giftAmount: number;
    description: string;
    note: string;
    message: string;
  };
}

/** The demo merchant's PaymentIntents (API.md "The merchant API"): one of each state a route acts on. */
export interface DemoIntents {
  /** requires_payment_method: what a confirm would charge. */
  unconfirmed: string;
  /** requires_capture (manual capture, confirmed): what a capture or a cancel would act on. */
  authorized: string;
  /** The description both carry: no refusal to anyone else may contain it. */
  description: string;
}

const paymentRoute = '/api/v1/payments/request';
const intentsRoute = '/v1/payment_intents';
const p2pRoute = '/wallet/v1/p2p/initiate';
const giftRoute = '/wallet/v1/gift/create';
const topupRoute = '/wallet/v1/topup';

export async function createFixtures(stack: OwnStack): Promise<HostileFixtures> {
  const [alice, bob, mallory] = await Promise.all([
    holder(stack, 'alice', 50_000),
    holder(stack, 'bob', 10_000),
    holder(stack, 'mallory', 10_000),
  ]);
  const ops = await newActor('ops', ['ops']);
  const roomId = `!hostile${randomUUID().slice(0, 8)}:tween.example`;
  await joinRoom(stack, roomId, alice);
  await joinRoom(stack, roomId, bob);
  const pin = await api(stack, 'PUT', `/payments/v1/user/${alice.path}/mfa/pin`, {
    token: alice.token,
    body: { pin: PIN },
  });
  expect(pin.status).toBe(200);

  const marks = {
    paymentAmount: 1_337,
    transferAmount: 777,
    giftAmount: 4_321,
    description: `alice-secret-${randomUUID().slice(0, 8)}`,
    note: `alice-note-${randomUUID().slice(0, 8)}`,
    message: `alice-message-${randomUUID().slice(0, 8)}`,
  };
  const keyed: Record<string, KeyedRequest> = {
    [`POST ${paymentRoute}`]: {
      token: alice.token,
      path: paymentRoute,
      key: randomUUID(),
      body: {
        appId: 'app_fixture',
        amount: { value: marks.paymentAmount, currency: 'USD' },
        paymentMethod: { type: 'wallet' },
        description: marks.description,
      },
    },
    [`POST ${p2pRoute}`]: {
      token: alice.token,
      path: p2pRoute,
      key: randomUUID(),
      body: {
        recipient: bob.userId,
        amount: marks.transferAmount,
        currency: 'USD',
        note: marks.note,
        room_id: roomId,
      },
    },
    [`POST ${giftRoute}`]: {
      token: alice.token,
      path: giftRoute,
      key: randomUUID(),
      body: {
        room_id: roomId,
        total_amount: marks.giftAmount,
        currency: 'USD',
        count: 3,
        distribution: 'random',
        message: marks.message,
      },
    },
  };
  const made = async (routeKey: string, field: string): Promise<string> => {
    const request = keyed[routeKey];
    if (request === undefined) throw new Error(`No fixture request for ${routeKey}`);
    const answer = await api(stack, 'POST', request.path, {
      token: request.token,
      key: request.key,
      body: request.body,
    });
    expect(answer.status).toBe(201);
    return String(answer.body[field]);
  };
  const paymentId = await made(`POST ${paymentRoute}`, 'paymentId');
  const transferId = await made(`POST ${p2pRoute}`, 'transfer_id');
  const giftId = await made(`POST ${giftRoute}`, 'gift_id');
  const merchant = await api(stack, 'POST', '/merchant/v1/merchants', {
    token: alice.token,
    body: { name: 'Alice Shop', email: 'alice@shop.example', country: 'US', business_type: 'individual' },
  });
  expect(merchant.status).toBe(201);
  const merchantId = String(merchant.body.id);
  await waitFor(async () => {
    const answer = await api(stack, 'GET', `/api/v1/payments/${paymentId}`, { token: alice.token });
    return answer.body.state === 'Completed' ? true : undefined;
  }, `payment ${paymentId} to complete`);

  const mfaPayment = await api(stack, 'POST', paymentRoute, {
    token: alice.token,
    key: randomUUID(),
    body: {
      appId: 'app_fixture',
      amount: { value: 6_000, currency: 'USD' },
      paymentMethod: { type: 'wallet' },
      description: marks.description,
    },
  });
  expect(mfaPayment.body.state).toBe('MFA_Required');
  const mfaPaymentId = String(mfaPayment.body.paymentId);
  const challenge = await api(stack, 'POST', `/payments/v1/${mfaPaymentId}/mfa/challenge`, {
    token: alice.token,
    body: { method: 'transaction_pin' },
  });
  expect(challenge.status).toBe(201);

  const intents = await demoIntents(stack, keyed);

  const topupKey = randomUUID();
  keyed[`POST ${topupRoute}`] = {
    token: mallory.token,
    path: topupRoute,
    key: topupKey,
    body: {
      amount: 2_500,
      currency: 'USD',
      paymentMethod: { type: 'card', id: 'pm_card_authenticationRequired' },
    },
  };
  const pending = await api(stack, 'POST', topupRoute, {
    token: mallory.token,
    key: topupKey,
    body: keyed[`POST ${topupRoute}`]?.body,
  });
  expect(pending.body.status).toBe('requires_action');
  const topupId = String(pending.body.topupId);

  const transactions = await api<{ nextCursor: string | null }>(
    stack,
    'GET',
    `/payments/v1/user/${alice.path}/transactions?limit=1`,
    { token: alice.token },
  );
  const aliceCursor = transactions.body.nextCursor;
  if (aliceCursor === null) throw new Error("Alice's history should span more than one page of one");
  const inbox = await waitFor(async () => {
    const page = await api<{ items: { eventId: string; status: string }[]; nextCursor: string | null }>(
      stack,
      'GET',
      '/api/v1/webhooks/events?limit=1&status=processed',
      { token: ops.token },
    );
    const first = page.body.items[0];
    return first !== undefined && page.body.nextCursor !== null
      ? { first, cursor: page.body.nextCursor }
      : undefined;
  }, 'two processed webhook events');

  return {
    alice,
    bob,
    mallory,
    ops,
    roomId,
    paymentId,
    mfaPaymentId,
    challengeId: String(challenge.body.challengeId),
    transferId,
    giftId,
    merchantId,
    aliceCursor,
    webhookCursor: inbox.cursor,
    webhookEventId: inbox.first.eventId,
    pendingTopup: { topupId, intentId: await intentOf(stack, topupId), amount: 2_500 },
    devicePublicKey: generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .publicKey.export({ format: 'der', type: 'spki' })
      .toString('base64'),
    intents,
    webhooks: await demoWebhooks(stack),
    keyed,
    marks,
  };
}

async function demoWebhooks(stack: OwnStack): Promise<HostileFixtures['webhooks']> {
  const url = 'http://127.0.0.1:9/demo-hooks';
  const endpoint = await api(stack, 'POST', '/v1/webhook_endpoints', {
    token: DEMO_TEST_KEY,
    body: { url, enabled_events: ['payout.paid'] },
  });
  expect(endpoint.status).toBe(201);
  const customer = await api(stack, 'POST', '/v1/customers', {
    token: DEMO_TEST_KEY,
    body: { name: 'Hooks' },
  });
  expect(customer.status).toBe(201);
  const eventId = await waitFor(async () => {
    const events = await api<{ data: { id: string; data: { object: { id: string } } }[] }>(
      stack,
      'GET',
      '/v1/events?type=customer.created&limit=100',
      { token: DEMO_TEST_KEY },
    );
    return events.body.data.find((event) => event.data.object.id === customer.body.id)?.id;
  }, "the demo customer's customer.created event");
  return { endpointId: String(endpoint.body.id), eventId, url };
}

/** The demo merchant's intents, made over HTTP with its test key; the authorized one's request is kept. */
async function demoIntents(stack: OwnStack, keyed: Record<string, KeyedRequest>): Promise<DemoIntents> {
  const description = `demo-intent-${randomUUID().slice(0, 8)}`;
  const create = async (request: KeyedRequest, status: string): Promise<string> => {
    const answer = await api(stack, 'POST', request.path, {
      token: request.token,
      key: request.key,
      body: request.body,
    });
    expect({ status: answer.status, intent: answer.body.status }).toEqual({ status: 201, intent: status });
    return String(answer.body.id);
  };
  const unconfirmed = await create(
    {
      token: DEMO_TEST_KEY,
      path: intentsRoute,
      key: randomUUID(),
      body: { amount: 2_468, currency: 'USD', capture_method: 'manual', description },
    },
    'requires_payment_method',
  );
  const authorizing: KeyedRequest = {
    token: DEMO_TEST_KEY,
    path: intentsRoute,
    key: randomUUID(),
    body: {
      amount: 3_579,
      currency: 'USD',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
      confirm: true,
      description,
    },
  };
  keyed[`POST ${intentsRoute}`] = authorizing;
  const authorized = await create(authorizing, 'requires_capture');
  return { unconfirmed, authorized, description };
}

async function holder(stack: OwnStack, name: string, amount: number): Promise<Holder> {
  const actor = await newActor(name);
  const topup = await api(stack, 'POST', topupRoute, {
    token: actor.token,
    key: randomUUID(),
    body: { amount, currency: 'USD', paymentMethod: { type: 'card', id: 'pm_card_visa' } },
  });
  expect(topup.status).toBe(201);
  return { ...actor, walletId: String(topup.body.walletId) };
}

/** The PaymentIntent the local Stripe server holds for a top-up (by its metadata). */
async function intentOf(stack: OwnStack, topupId: string): Promise<string> {
  return waitFor(async () => {
    const response = await fetch(
      `${endpointOf(stack, 'stripe')}/local/stripe/events?type=payment_intent.created`,
    );
    const { data } = (await response.json()) as {
      data: { event: { data: { object: { id: string; metadata?: Record<string, string> } } } }[];
    };
    return data.find((record) => record.event.data.object.metadata?.topupId === topupId)?.event.data.object
      .id;
  }, `the PaymentIntent of ${topupId}`);
}
