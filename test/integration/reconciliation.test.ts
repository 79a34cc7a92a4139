/**
 * Reconciliation over HTTP on the local stack: a crash injected between the provider's success and our write,
 * repaired by `POST /local/reconcile` (the local stand-in for the schedule's next run).
 *
 * The crash: the card is charged at the local Stripe server exactly as the top-up use case charges it (same
 * idempotency key, same parameters), and our record is left behind as it was before the provider answered,
 * written through the repository adapter, an hour old. The provider's own webhook must not repair it first:
 * it is sent while the record does not exist yet, so it fails and ends in the dead-letter queue (a lost
 * webhook), before the stuck record is written.
 */
import { randomUUID } from 'node:crypto';
import { DeleteMessageCommand, type Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import Stripe from 'stripe';
import { readLocalEnv } from '../../local/config.js';
import { DynamoDbTopups } from '../../shared/adapters/dynamodb/topups.js';
import { DynamoDbWalletDirectory } from '../../shared/adapters/dynamodb/wallets.js';
import { randomIds } from '../../shared/adapters/ids.js';
import type { Topup } from '../../shared/app/wallets/ports.js';
import { topupCharge } from '../../shared/app/wallets/top-up.js';
import { queues } from '../../shared/infra/queues.js';
import { call, endpoint, tokenFor } from '../support/api.js';
import { ledgerProblems, localDocumentClient, TABLE_NAME } from '../support/ledger.js';
import { availableUsd, topupCredits, waitFor } from '../support/stack.js';

const env = readLocalEnv();
const LOCAL_ACCOUNT = '000000000000';
const AMOUNT = 4_200;
const AN_HOUR_MS = 60 * 60 * 1000;

interface RunCounts {
  examined: number;
  repaired: number;
  stillWaiting: number;
  alreadySettled: number;
  failed: number;
}
interface StripeEventJson {
  id: string;
  type: string;
  data: { object: { id: string } };
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

describe('Stack: reconciliation', () => {
  const documents = localDocumentClient();
  const topups = new DynamoDbTopups(documents, TABLE_NAME);
  const wallets = new DynamoDbWalletDirectory(documents, TABLE_NAME, randomIds);
  let sqs: SQSClient;

  beforeAll(() => {
    sqs = new SQSClient({
      endpoint: endpoint('sqs'),
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    sqs.destroy();
    expect(await ledgerProblems(documents)).toEqual([]);
  });

  async function newUser() {
    const userId = `@rc${randomUUID().slice(0, 8)}:tween.example`;
    return { userId, token: await tokenFor(userId), path: encodeURIComponent(userId) };
  }
  type User = Awaited<ReturnType<typeof newUser>>;

  /** Charges the card as the top-up use case would, lets the webhook die, then leaves our record behind. */
  async function crashAfterCharge(
    user: User,
    recorded: 'pending' | 'processing',
  ): Promise<{ topup: Topup; intentId: string }> {
    const wallet = await wallets.ensure(user.userId);
    const startedAt = new Date(Date.now() - AN_HOUR_MS).toISOString();
    const topup: Topup = {
      topupId: `tu_rc${randomUUID().replaceAll('-', '')}`,
      userId: user.userId,
      walletId: wallet.walletId,
      amount: AMOUNT,
      currency: 'USD',
      paymentMethodId: 'pm_card_visa',
      provider: 'stripe',
      status: 'pending',
      createdAt: startedAt,
      updatedAt: startedAt,
    };
    // The exact request the Stripe adapter sends for this top-up, under the same idempotency key.
    const charge = topupCharge(topup);
    const intent = await stripe.paymentIntents.create(
      {
        amount: charge.amount,
        currency: charge.currency.toLowerCase(),
        payment_method: charge.paymentMethodId,
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
        capture_method: charge.capture,
        confirm: true,
        description: charge.description ?? '',
        metadata: { ...charge.metadata },
      },
      { idempotencyKey: charge.idempotencyKey },
    );
    expect(intent.status).toBe('succeeded');
    await webhookLost(intent.id);
    await topups.create(recorded === 'pending' ? topup : { ...topup, status: 'processing' });
    if (recorded === 'processing') {
      await topups.transition(
        topup.topupId,
        ['processing'],
        { status: 'processing', providerPaymentId: intent.id },
        startedAt,
      );
    }
    return { topup, intentId: intent.id };
  }

  /** Waits until the provider's succeeded event, sent for a record we did not have, is dead-lettered. */
  async function webhookLost(intentId: string): Promise<void> {
    const succeeded = await waitFor(async () => {
      const response = await fetch(`${endpoint('stripe')}/local/stripe/events?type=payment_intent.succeeded`);
      const { data } = (await response.json()) as { data: { event: StripeEventJson }[] };
      return data.find((record) => record.event.data.object.id === intentId)?.event;
    }, 'the succeeded event');
    const dlqUrl = `${endpoint('sqs')}/${LOCAL_ACCOUNT}/${queues.webhooksDlq.name}`;
    const dead = await waitFor<Message>(
      async () => {
        const { Messages: messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
        );
        return messages.find((message) => message.Body?.includes(succeeded.id));
      },
      'the lost webhook in the dead-letter queue',
      60_000,
    );
    await sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: dead.ReceiptHandle }));
  }

  async function reconcileNow(): Promise<RunCounts> {
    const answer = await call<RunCounts>('POST', '/local/reconcile');
    expect(answer.status).toBe(200);
    return answer.body;
  }

  describe('Route: POST /local/reconcile', () => {
    it('credits a top-up charged at the provider but left pending exactly once, and a second run changes nothing', async () => {
      // Arrange: we never learned the provider's payment id (the crash came right after the call)
      const user = await newUser();
      const { topup: stuck, intentId } = await crashAfterCharge(user, 'pending');
      expect(await availableUsd(user)).toBe(0);

      // Act
      const first = await reconcileNow();
      const second = await reconcileNow();

      // Assert
      expect(first.repaired).toBeGreaterThanOrEqual(1);
      expect(first.failed).toBe(0);
      // The repeated create was answered with the first PaymentIntent: the card was charged once.
      expect(await topups.get(stuck.topupId)).toMatchObject({
        status: 'succeeded',
        providerPaymentId: intentId,
      });
      expect(await availableUsd(user)).toBe(AMOUNT);
      expect(await topupCredits(user)).toBe(1);
      expect(second).toMatchObject({ repaired: 0, failed: 0 });
      expect(await availableUsd(user)).toBe(AMOUNT);
      expect(await ledgerProblems(documents)).toEqual([]);
    });

    it('completes a top-up left processing whose provider payment succeeded meanwhile', async () => {
      // Arrange: the provider's id is on record; its success was never written (nor heard by webhook)
      const user = await newUser();
      const { topup: stuck } = await crashAfterCharge(user, 'processing');

      // Act
      const report = await reconcileNow();

      // Assert
      expect(report.failed).toBe(0);
      expect(await topups.get(stuck.topupId)).toMatchObject({ status: 'succeeded' });
      expect(await availableUsd(user)).toBe(AMOUNT);
      expect(await topupCredits(user)).toBe(1);
    });
  });
});
