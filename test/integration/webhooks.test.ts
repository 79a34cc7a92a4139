/**
 * Provider webhooks over HTTP on the local stack, as Stripe sends them: events signed with Stripe's own SDK
 * helper and the local signing secret, through the ingest route, the FIFO queue, the consumer and the inbox.
 * The local Stripe-compatible server also delivers its own events to the same route, as Stripe would.
 *
 * The local queues have a 1 s visibility timeout (SQS_RETRY_DELAY_SECONDS), so a failed event comes back
 * after a second and a poison one reaches the dead-letter queue within seconds.
 */
import { randomUUID } from 'node:crypto';
import { DeleteMessageCommand, type Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import Stripe from 'stripe';
import { readLocalEnv } from '../../local/config.js';
import { queues } from '../../shared/infra/queues.js';
import { call, endpoint, tokenFor } from '../support/api.js';
import { ledgerProblems } from '../support/ledger.js';
import { availableUsd, topupCredits, waitFor } from '../support/stack.js';

const env = readLocalEnv();
const LOCAL_ACCOUNT = '000000000000';
const DELIVERIES_PER_EVENT = 5;
const MAX_RECEIVE_COUNT = queues.webhooks.deadLetter.maxReceiveCount;

interface StripeEventJson {
  id: string;
  type: string;
  created: number;
  data: { object: { id: string; metadata?: Record<string, string> } };
}
interface InboxEvent {
  eventId: string;
  type: string;
  objectId: string;
  status: 'received' | 'processed' | 'ignored' | 'failed';
  deliveries: number;
  failures: number;
  outcome?: string;
  reason?: string;
  lastError?: string;
  subject?: { type: string; id: string };
  settledAt?: string;
}
interface InboxPage {
  items: InboxEvent[];
  nextCursor: string | null;
}
interface ErrorBody {
  error: { code: string };
}
interface PaymentBody {
  paymentId: string;
  state: string;
  history: { state: string; event: string; actor: string }[];
}

const stripe = (() => {
  const url = new URL(endpoint('stripe'));
  return new Stripe(env.STRIPE_SECRET_KEY, {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    maxNetworkRetries: 0,
  });
})();

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

async function newUser(roles?: string[]) {
  const userId = `@wh${randomUUID().slice(0, 8)}:tween.example`;
  const token = await tokenFor(userId, roles === undefined ? {} : { roles });
  return { userId, token, path: encodeURIComponent(userId) };
}
type User = Awaited<ReturnType<typeof newUser>>;

/** Signs `payload` as Stripe does (a fresh timestamp unless told) and POSTs it to the webhook route. */
function deliver(
  payload: string,
  options: { secret?: string; timestamp?: number; header?: string | null } = {},
) {
  const header =
    options.header === null
      ? undefined
      : (options.header ??
        stripe.webhooks.generateTestHeaderString({
          payload,
          secret: options.secret ?? env.STRIPE_WEBHOOK_SECRET,
          ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
        }));
  return call<{ received: boolean } & ErrorBody>('POST', '/api/v1/webhooks/stripe', {
    rawBody: payload,
    headers: {
      'content-type': 'application/json',
      ...(header === undefined ? {} : { 'stripe-signature': header }),
    },
  });
}

/** The events the local Stripe server emitted (and delivered to us) about one PaymentIntent. */
async function stripeEventsOf(intentId: string): Promise<StripeEventJson[]> {
  const response = await fetch(`${endpoint('stripe')}/local/stripe/events`);
  const { data } = (await response.json()) as { data: { event: StripeEventJson }[] };
  return data
    .map((record) => record.event)
    .filter((event) => event.type.startsWith('payment_intent.') && event.data.object.id === intentId);
}

/** The PaymentIntent the local Stripe server holds for one of our records (by its metadata). */
async function intentFor(field: 'topupId' | 'paymentId', id: string): Promise<string> {
  return waitFor(async () => {
    const response = await fetch(`${endpoint('stripe')}/local/stripe/events?type=payment_intent.created`);
    const { data } = (await response.json()) as { data: { event: StripeEventJson }[] };
    return data.find((record) => record.event.data.object.metadata?.[field] === id)?.event.data.object.id;
  }, `the PaymentIntent of ${id}`);
}

async function authenticate(intentId: string, outcome: 'succeed' | 'fail'): Promise<void> {
  const response = await fetch(
    `${endpoint('stripe')}/local/stripe/payment_intents/${intentId}/authenticate`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome }),
    },
  );
  expect(response.status).toBe(200);
}

async function topup(user: User, paymentMethodId: string, amount: number) {
  const answer = await call<{ topupId: string; status: string }>('POST', '/wallet/v1/topup', {
    token: user.token,
    body: { amount, currency: 'USD', paymentMethod: { type: 'card', id: paymentMethodId } },
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(answer.status).toBe(201);
  return answer.body;
}

describe('Stack: provider webhooks', () => {
  let ops: string;
  let sqs: SQSClient;

  beforeAll(async () => {
    ops = (await newUser(['ops'])).token;
    sqs = new SQSClient({
      endpoint: endpoint('sqs'),
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    sqs.destroy();
    expect(await ledgerProblems()).toEqual([]);
  });

  /** The inbox entry of `eventId` (`stripe:evt_…`), looked for among the newest entries of every status. */
  async function inboxEntry(eventId: string): Promise<InboxEvent | undefined> {
    let cursor: string | null = null;
    for (let page = 0; page < 20; page += 1) {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const answer = await call<InboxPage>('GET', `/api/v1/webhooks/events?limit=100${query}`, {
        token: ops,
      });
      expect(answer.status).toBe(200);
      const found = answer.body.items.find((item) => item.eventId === eventId);
      if (found !== undefined) return found;
      cursor = answer.body.nextCursor;
      if (cursor === null) return undefined;
    }
    return undefined;
  }

  function settled(eventId: string, status: InboxEvent['status'] = 'processed'): Promise<InboxEvent> {
    return waitFor(async () => {
      const entry = await inboxEntry(eventId);
      return entry?.status === status ? entry : undefined;
    }, `${eventId} to be ${status}`);
  }

  describe('Route: POST /api/v1/webhooks/stripe', () => {
    it('credits a 3-D Secure top-up once when each of its events is delivered 5 times in shuffled order', async () => {
      // Arrange
      const user = await newUser();
      const waiting = await topup(user, 'pm_card_authenticationRequired', 7_000);
      expect(waiting.status).toBe('requires_action');
      const intentId = await intentFor('topupId', waiting.topupId);
      await authenticate(intentId, 'succeed');
      const events = await stripeEventsOf(intentId);
      expect(events.map((event) => event.type)).toEqual(
        expect.arrayContaining(['payment_intent.requires_action', 'payment_intent.succeeded']),
      );
      const deliveries = shuffled(events.flatMap((event) => Array(DELIVERIES_PER_EVENT).fill(event)));

      // Act
      const answers = [];
      for (const event of deliveries) answers.push(await deliver(JSON.stringify(event, null, 2)));

      // Assert
      expect(answers.map((answer) => answer.status)).toEqual(deliveries.map(() => 200));
      expect(answers[0]?.body).toEqual({ received: true });
      const succeeded = events.find((event) => event.type === 'payment_intent.succeeded');
      const entry = await settled(`stripe:${succeeded?.id}`);
      expect(entry).toMatchObject({ subject: { type: 'topup', id: waiting.topupId } });
      expect(['topup_completed', 'topup_unchanged']).toContain(entry.outcome);
      await waitFor(async () => ((await availableUsd(user)) === 7_000 ? true : undefined), 'the credit');
      const requiresAction = events.find((event) => event.type === 'payment_intent.requires_action');
      await settled(`stripe:${requiresAction?.id}`);
      expect(await availableUsd(user)).toBe(7_000);
      expect(await topupCredits(user)).toBe(1);
    });

    it('completes a card payment waiting on 3-D Secure from its later webhook and resumes its lifecycle', async () => {
      // Arrange
      const user = await newUser();
      const requested = await call<PaymentBody>('POST', '/api/v1/payments/request', {
        token: user.token,
        headers: { 'idempotency-key': randomUUID() },
        body: {
          appId: 'app_webhooks',
          amount: { value: 2_500, currency: 'USD' },
          paymentMethod: { type: 'card', id: 'pm_card_authenticationRequired' },
          description: 'Sticker pack',
        },
      });
      expect(requested.status).toBe(201);
      const { paymentId } = requested.body;
      const intentId = await intentFor('paymentId', paymentId);

      // Act
      await authenticate(intentId, 'succeed');

      // Assert
      const completed = await waitFor(async () => {
        const answer = await call<PaymentBody>('GET', `/api/v1/payments/${paymentId}`, { token: user.token });
        return answer.body.state === 'Completed' ? answer.body : undefined;
      }, 'the payment to complete');
      expect(completed.history.filter((entry) => entry.event === 'completed')).toEqual([
        expect.objectContaining({ actor: 'provider' }),
      ]);
      const execution = await waitFor(async () => {
        const answer = await call<{ status: string }>('GET', `/local/executions/${paymentId}`);
        return answer.body.status === 'RUNNING' ? undefined : answer.body;
      }, 'the lifecycle to end');
      expect(execution.status).toBe('SUCCEEDED');
      const succeeded = (await stripeEventsOf(intentId)).find((e) => e.type === 'payment_intent.succeeded');
      expect(await settled(`stripe:${succeeded?.id}`)).toMatchObject({
        subject: { type: 'payment', id: paymentId },
      });
    });

    it('answers 400 and stores nothing for a forged, stale, missing or tampered signature', async () => {
      // Arrange
      const user = await newUser();
      const paid = await topup(user, 'pm_card_visa', 1_200);
      const intentId = await intentFor('topupId', paid.topupId);
      const intent = await stripe.paymentIntents.retrieve(intentId);
      const eventOf = (id: string) =>
        JSON.stringify({
          id,
          object: 'event',
          type: 'payment_intent.succeeded',
          created: Math.floor(Date.now() / 1000),
          data: { object: intent },
        });
      const run = randomUUID().replaceAll('-', '');
      const refused = {
        forged: eventOf(`evt_forged${run}`),
        stale: eventOf(`evt_stale${run}`),
        missing: eventOf(`evt_missing${run}`),
        tampered: eventOf(`evt_tampered${run}`),
      };
      const valid = eventOf(`evt_valid${run}`);

      // Act
      const answers = [
        await deliver(refused.forged, { secret: 'whsec_not_the_endpoint_secret' }),
        await deliver(refused.stale, { timestamp: Math.floor(Date.now() / 1000) - 600 }),
        await deliver(refused.missing, { header: null }),
        await deliver(refused.tampered.replace('"succeeded"', '"canceled"'), {
          header: stripe.webhooks.generateTestHeaderString({
            payload: refused.tampered,
            secret: env.STRIPE_WEBHOOK_SECRET,
          }),
        }),
      ];
      // Same object, so the same queue group: had a refused one been queued, it would be applied first.
      const accepted = await deliver(valid);

      // Assert
      for (const answer of answers) {
        expect(answer).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR' } } });
      }
      expect(accepted.status).toBe(200);
      await settled(`stripe:evt_valid${run}`);
      for (const name of Object.keys(refused)) {
        expect(await inboxEntry(`stripe:evt_${name}${run}`)).toBeUndefined();
      }
      expect(await availableUsd(user)).toBe(1_200);
    });

    it('ends a poison event (an object we do not know) in the dead-letter queue after 5 receives', async () => {
      // Arrange: a payment at the provider that names a top-up we never had
      const topupId = `tu_unknown${randomUUID().replaceAll('-', '')}`;
      const intent = await stripe.paymentIntents.create({
        amount: 1_000,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
        metadata: { topupId },
      });
      const dlqUrl = `${endpoint('sqs')}/${LOCAL_ACCOUNT}/${queues.webhooksDlq.name}`;

      // Act: the local server delivers its events itself
      const succeeded = await waitFor(
        async () =>
          (await stripeEventsOf(intent.id)).find((event) => event.type === 'payment_intent.succeeded'),
        'the succeeded event',
      );
      const dead = await waitFor<Message>(
        async () => {
          const { Messages: messages = [] } = await sqs.send(
            new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
          );
          return messages.find((message) => message.Body?.includes(succeeded.id));
        },
        'the event in the dead-letter queue',
        (MAX_RECEIVE_COUNT + 10) * 2_000,
      );

      // Assert
      expect(JSON.parse(dead.Body ?? '{}')).toMatchObject({ id: succeeded.id, objectId: intent.id });
      const entry = await inboxEntry(`stripe:${succeeded.id}`);
      expect(entry).toMatchObject({
        status: 'failed',
        deliveries: MAX_RECEIVE_COUNT,
        failures: MAX_RECEIVE_COUNT,
        lastError: expect.stringContaining('UnknownWebhookSubjectError'),
      });
      const failedOnly = await call<InboxPage>('GET', '/api/v1/webhooks/events?status=failed&limit=100', {
        token: ops,
      });
      expect(failedOnly.body.items.every((item) => item.status === 'failed')).toBe(true);
      expect(failedOnly.body.items.map((item) => item.eventId)).toContain(`stripe:${succeeded.id}`);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: dead.ReceiptHandle }));
    });
  });

  describe('Route: POST /api/v1/webhooks/replay', () => {
    it('changes nothing when a processed event is replayed', async () => {
      // Arrange
      const user = await newUser();
      const paid = await topup(user, 'pm_card_visa', 3_300);
      const intentId = await intentFor('topupId', paid.topupId);
      const succeeded = (await stripeEventsOf(intentId)).find((e) => e.type === 'payment_intent.succeeded');
      const eventId = `stripe:${succeeded?.id}`;
      const before = await settled(eventId);

      // Act
      const answer = await call('POST', '/api/v1/webhooks/replay', { token: ops, body: { eventId } });

      // Assert
      expect(answer).toMatchObject({ status: 202, body: { eventId, status: 'processed', replayed: true } });
      const after = await waitFor(async () => {
        const entry = await inboxEntry(eventId);
        return entry !== undefined && entry.deliveries > before.deliveries ? entry : undefined;
      }, 'the replay to be delivered');
      expect(after).toEqual({ ...before, deliveries: before.deliveries + 1 });
      expect(await availableUsd(user)).toBe(3_300);
      expect(await topupCredits(user)).toBe(1);
    });

    it('answers 404 NOT_FOUND for an event the inbox does not have', async () => {
      // Act
      const answer = await call<ErrorBody>('POST', '/api/v1/webhooks/replay', {
        token: ops,
        body: { eventId: `evt_none${randomUUID().replaceAll('-', '')}` },
      });

      // Assert
      expect(answer).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    });
  });

  describe('Ops role', () => {
    it.each([
      ['GET', '/api/v1/webhooks/events', undefined],
      ['POST', '/api/v1/webhooks/replay', { eventId: 'evt_anything' }],
    ])(
      'answers 403 FORBIDDEN to %s %s without the ops role, and 401 without a token',
      async (method, path, body) => {
        // Arrange
        const user = await newUser();
        const admin = await newUser(['admin']);

        // Act
        const plain = await call<ErrorBody>(method, path, {
          token: user.token,
          ...(body === undefined ? {} : { body }),
        });
        const other = await call<ErrorBody>(method, path, {
          token: admin.token,
          ...(body === undefined ? {} : { body }),
        });
        const anonymous = await call<ErrorBody>(method, path, body === undefined ? {} : { body });

        // Assert
        expect(plain).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
        expect(other).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
        expect(anonymous.status).toBe(401);
      },
    );

    it('pages the inbox with signed cursors for the ops role and refuses an unknown status', async () => {
      // Act
      const first = await call<InboxPage>('GET', '/api/v1/webhooks/events?limit=1', { token: ops });
      const second = await call<InboxPage>(
        'GET',
        `/api/v1/webhooks/events?limit=1&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`,
        { token: ops },
      );
      const bogus = await call<ErrorBody>('GET', '/api/v1/webhooks/events?status=bogus', { token: ops });

      // Assert
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(1);
      expect(second.body.items).toHaveLength(1);
      expect(second.body.items[0]?.eventId).not.toBe(first.body.items[0]?.eventId);
      expect(bogus).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR' } } });
    });
  });
});
