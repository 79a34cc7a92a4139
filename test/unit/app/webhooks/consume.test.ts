import fc from 'fast-check';
import { PAYMENT_DECLINED_ERROR } from '../../../../shared/app/payments/lifecycle.js';
import type { ProviderEvent, ProviderPayment } from '../../../../shared/app/payments/ports.js';
import { ProviderOutcomeConflictError } from '../../../../shared/app/provider-outcome.js';
import type { Topup, TopupStatus } from '../../../../shared/app/wallets/ports.js';
import {
  type ConsumeDeps,
  consumeWebhook,
  consumeWebhookBatch,
  INBOX_RETENTION_SECONDS,
  ProviderNotSettledError,
  UnknownWebhookSubjectError,
} from '../../../../shared/app/webhooks/consume.js';
import { accounts, checkLedgerInvariant } from '../../../../shared/domain/ledger.js';
import type { Payment, PaymentState } from '../../../../shared/domain/payment.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { InMemoryDisputes } from '../../../support/fakes/disputes.js';
import { InMemoryPayments } from '../../../support/fakes/payments.js';
import { ScriptedProviderPayments } from '../../../support/fakes/provider-payments.js';
import { InMemoryTopups } from '../../../support/fakes/topups.js';
import { InMemoryWebhookInbox } from '../../../support/fakes/webhook-inbox.js';
import { RecordingWorkflows } from '../../../support/fakes/workflows.js';
import { InMemoryLedger } from '../../../support/in-memory-ledger.js';

const NOW = '2026-03-01T12:00:00.000Z';
const WALLET = 'tw_alice';
const TOPUP = 'tu_1';
const PAYMENT = 'pay_1';
const INTENT = 'pi_1';
const TOKEN = 'task-token-1';
const AMOUNT = 1_500;

function setup() {
  const clock = fixedClock(NOW);
  const ledger = new InMemoryLedger(() => clock.now());
  const topups = new InMemoryTopups(ledger);
  const payments = new InMemoryPayments(ledger);
  const workflows = new RecordingWorkflows();
  const inbox = new InMemoryWebhookInbox();
  const provider = new ScriptedProviderPayments();
  const disputes = new InMemoryDisputes(ledger);
  const deps: ConsumeDeps = { inbox, provider, topups, ledger, payments, workflows, disputes, clock };
  return { deps, clock, ledger, topups, payments, workflows, inbox, provider, disputes };
}
type Harness = ReturnType<typeof setup>;

function topupWaiting(status: TopupStatus = 'requires_action'): Topup {
  return {
    topupId: TOPUP,
    userId: 'user_alice',
    walletId: WALLET,
    amount: AMOUNT,
    currency: 'USD',
    paymentMethodId: 'pm_card_authenticationRequired',
    provider: 'stripe',
    status,
    ...(status === 'pending' ? {} : { providerPaymentId: INTENT }),
    createdAt: NOW,
    updatedAt: NOW,
  };
}

function cardPayment(state: PaymentState = 'Processing', taskToken: string | undefined = TOKEN): Payment {
  return {
    paymentId: PAYMENT,
    userId: 'user_alice',
    appId: 'app_shop',
    amount: { value: AMOUNT, currency: 'USD' },
    paymentMethod: { type: 'card', id: 'pm_card_authenticationRequired' },
    description: 'Sticker pack',
    metadata: {},
    state,
    mfaRequired: false,
    refundedAmount: 0,
    history: [{ state, event: 'created', at: NOW, actor: 'user_alice' }],
    createdAt: NOW,
    updatedAt: NOW,
    providerPaymentId: INTENT,
    ...(taskToken === undefined ? {} : { taskToken }),
  };
}

/** The provider's PaymentIntent as it is now, for a top-up unless `metadata` says otherwise. */
function intent(
  status: ProviderPayment['status'],
  overrides: Partial<ProviderPayment> = {},
): ProviderPayment {
  return {
    provider: 'stripe',
    id: INTENT,
    status,
    amount: AMOUNT,
    amountReceived: status === 'succeeded' ? AMOUNT : 0,
    currency: 'USD',
    metadata: { topupId: TOPUP },
    ...overrides,
  };
}

function event(type: string, overrides: Partial<ProviderEvent> = {}): ProviderEvent {
  return {
    provider: 'stripe',
    id: `evt_${type.replaceAll('.', '_')}`,
    type,
    objectId: INTENT,
    paymentId: INTENT,
    createdAt: NOW,
    payload: { type },
    ...overrides,
  };
}

async function walletCredits(harness: Harness): Promise<number> {
  return (await harness.ledger.account(accounts.wallet(WALLET, 'USD').id))?.creditsPosted ?? 0;
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected a failure');
}

describe('Use case: consumeWebhook', () => {
  describe('when a top-up waits on the provider', () => {
    it('credits the wallet once and marks the event processed when the payment succeeded', async () => {
      // Arrange
      const harness = setup();
      await harness.topups.create(topupWaiting());
      harness.provider.set(intent('succeeded'));

      // Act
      const record = await consumeWebhook(event('payment_intent.succeeded'), harness.deps);

      // Assert
      expect(await walletCredits(harness)).toBe(AMOUNT);
      expect(await harness.topups.get(TOPUP)).toMatchObject({ status: 'succeeded', completedAt: NOW });
      expect(record).toMatchObject({
        eventId: 'stripe:evt_payment_intent_succeeded',
        status: 'processed',
        outcome: 'topup_completed',
        subject: { type: 'topup', id: TOPUP },
        deliveries: 1,
        settledAt: NOW,
      });
      expect(harness.inbox.peek(record.eventId)?.expiresAt).toBe(
        Date.parse(NOW) / 1000 + INBOX_RETENTION_SECONDS,
      );
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });

    it('confirms a payment the payer approved, once under our key, and credits the wallet', async () => {
      // Arrange
      const harness = setup();
      await harness.topups.create(topupWaiting());
      harness.provider.set(intent('requires_confirmation', { provider: 'paypal' }));
      const approved = event('CHECKOUT.ORDER.APPROVED', { provider: 'paypal', id: 'WH-approved' });
      const completed = event('PAYMENT.CAPTURE.COMPLETED', { provider: 'paypal', id: 'WH-completed' });

      // Act
      const first = await consumeWebhook(approved, harness.deps);
      await consumeWebhook(approved, harness.deps);
      const second = await consumeWebhook(completed, harness.deps);

      // Assert
      expect(harness.provider.confirmed).toEqual([`${INTENT} ${TOPUP}:confirm`]);
      expect(first).toMatchObject({ eventId: 'paypal:WH-approved', outcome: 'topup_completed' });
      expect(second).toMatchObject({ status: 'processed', outcome: 'topup_unchanged' });
      expect(await walletCredits(harness)).toBe(AMOUNT);
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });

    it('fails the top-up once when the approved payment is declined at confirmation, without failing the delivery', async () => {
      // Arrange
      const harness = setup();
      await harness.topups.create(topupWaiting());
      harness.provider
        .set(intent('requires_confirmation', { provider: 'paypal' }))
        .declineConfirmationOf(INTENT);
      const approved = event('CHECKOUT.ORDER.APPROVED', { provider: 'paypal', id: 'WH-approved' });

      // Act
      const record = await consumeWebhook(approved, harness.deps);

      // Assert
      expect(record).toMatchObject({ status: 'processed', outcome: 'topup_failed' });
      expect(await harness.topups.get(TOPUP)).toMatchObject({
        status: 'failed',
        failureCode: 'generic_decline',
      });
      expect(await walletCredits(harness)).toBe(0);
    });

    it('confirms nothing for a top-up we do not know: the delivery fails before any money is taken', async () => {
      // Arrange
      const harness = setup();
      harness.provider.set(intent('requires_confirmation', { provider: 'paypal' }));
      const approved = event('CHECKOUT.ORDER.APPROVED', { provider: 'paypal', id: 'WH-approved' });

      // Act
      const error = await failureOf(consumeWebhook(approved, harness.deps));

      // Assert
      expect(error).toBeInstanceOf(UnknownWebhookSubjectError);
      expect(harness.provider.confirmed).toEqual([]);
    });

    it('changes nothing and asks the provider nothing when the processed event is delivered again', async () => {
      // Arrange
      const harness = setup();
      await harness.topups.create(topupWaiting());
      harness.provider.set(intent('succeeded'));
      const first = await consumeWebhook(event('payment_intent.succeeded'), harness.deps);

      // Act
      const again = await consumeWebhook(event('payment_intent.succeeded'), harness.deps);

      // Assert
      expect(await walletCredits(harness)).toBe(AMOUNT);
      expect(harness.provider.retrieved).toHaveLength(1);
      expect(again).toEqual({ ...first, deliveries: 2 });
    });

    it('credits once and ends succeeded whatever order five deliveries of each event come in', async () => {
      const deliveries = [
        ...Array.from({ length: 5 }, () => event('payment_intent.requires_action')),
        ...Array.from({ length: 5 }, () => event('payment_intent.succeeded')),
      ];
      await fc.assert(
        fc.asyncProperty(fc.shuffledSubarray(deliveries, { minLength: deliveries.length }), async (order) => {
          // Arrange
          const harness = setup();
          await harness.topups.create(topupWaiting('pending'));
          harness.provider.set(intent('succeeded'));

          // Act
          await Promise.all(order.map((delivery) => consumeWebhook(delivery, harness.deps)));

          // Assert
          expect(await walletCredits(harness)).toBe(AMOUNT);
          expect((await harness.topups.get(TOPUP))?.status).toBe('succeeded');
          expect(harness.inbox.all().map((record) => [record.status, record.deliveries])).toEqual([
            ['processed', 5],
            ['processed', 5],
          ]);
          expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
        }),
        { numRuns: 25 },
      );
    });

    it.each<[TopupStatus, ProviderPayment['status'], TopupStatus]>([
      ['pending', 'requires_action', 'requires_action'],
      ['pending', 'processing', 'processing'],
      ['requires_action', 'processing', 'processing'],
      ['processing', 'requires_action', 'processing'],
      ['succeeded', 'requires_action', 'succeeded'],
      ['failed', 'processing', 'failed'],
    ])('moves a %s top-up only forward when the provider says %s (ends %s)', async (from, status, to) => {
      // Arrange
      const harness = setup();
      await harness.topups.create(topupWaiting(from));
      harness.provider.set(
        intent(status, status === 'requires_action' ? { nextActionUrl: 'https://3ds.test/pi_1' } : {}),
      );

      // Act
      await consumeWebhook(event(`payment_intent.${status}`), harness.deps);

      // Assert
      const topup = await harness.topups.get(TOPUP);
      expect(topup?.status).toBe(to);
      if (from === 'pending' && to === 'requires_action') {
        expect(topup).toMatchObject({ providerPaymentId: INTENT, nextActionUrl: 'https://3ds.test/pi_1' });
      }
      expect(await walletCredits(harness)).toBe(0);
    });

    it("fails the top-up with the provider's reason when the payment failed", async () => {
      // Arrange
      const harness = setup();
      await harness.topups.create(topupWaiting());
      harness.provider.set(intent('requires_payment_method', { failureCode: 'authentication_failed' }));

      // Act
      const record = await consumeWebhook(event('payment_intent.payment_failed'), harness.deps);

      // Assert
      expect(await harness.topups.get(TOPUP)).toMatchObject({
        status: 'failed',
        failureCode: 'authentication_failed',
      });
      expect(record).toMatchObject({ status: 'processed', outcome: 'topup_failed' });
      expect(await walletCredits(harness)).toBe(0);
    });

    it('records a conflict for ops and credits nothing when the provider charged a top-up we failed', async () => {
      // Arrange
      const harness = setup();
      await harness.topups.create(topupWaiting('failed'));
      harness.provider.set(intent('succeeded'));

      // Act
      const error = await failureOf(consumeWebhook(event('payment_intent.succeeded'), harness.deps));

      // Assert
      expect(error).toBeInstanceOf(ProviderOutcomeConflictError);
      expect(harness.inbox.all()).toEqual([
        expect.objectContaining({ status: 'failed', failures: 1, lastError: expect.any(String) }),
      ]);
      expect(await walletCredits(harness)).toBe(0);
    });
  });

  describe('when the event is about something we do not know', () => {
    it('fails the delivery and keeps the event failed when the top-up is not known (yet)', async () => {
      // Arrange
      const harness = setup();
      harness.provider.set(intent('succeeded', { metadata: { topupId: 'tu_unknown' } }));

      // Act
      const error = await failureOf(consumeWebhook(event('payment_intent.succeeded'), harness.deps));

      // Assert
      expect(error).toBeInstanceOf(UnknownWebhookSubjectError);
      expect(harness.inbox.all()).toEqual([
        expect.objectContaining({
          status: 'failed',
          failures: 1,
          lastError: 'UnknownWebhookSubjectError: The topup tu_unknown the event is about is not known (yet)',
        }),
      ]);
    });

    it('applies the event when it comes back after the top-up was stored', async () => {
      // Arrange
      const harness = setup();
      harness.provider.set(intent('succeeded'));
      await failureOf(consumeWebhook(event('payment_intent.succeeded'), harness.deps));
      await harness.topups.create(topupWaiting());

      // Act
      const record = await consumeWebhook(event('payment_intent.succeeded'), harness.deps);

      // Assert
      expect(record).toMatchObject({ status: 'processed', deliveries: 2, failures: 1 });
      expect(await walletCredits(harness)).toBe(AMOUNT);
    });

    it('ignores, with why, a payment that carries none of our ids', async () => {
      // Arrange
      const harness = setup();
      harness.provider.set(intent('succeeded', { metadata: {} }));

      // Act
      const record = await consumeWebhook(event('payment_intent.succeeded'), harness.deps);

      // Assert
      expect(record).toMatchObject({ status: 'ignored', reason: 'not_ours' });
    });

    it('ignores an event type we do not act on without asking the provider', async () => {
      // Arrange
      const harness = setup();

      // Act
      const record = await consumeWebhook(event('payment_intent.created'), harness.deps);

      // Assert
      expect(record).toMatchObject({ status: 'ignored', reason: 'unhandled_type' });
      expect(harness.provider.retrieved).toEqual([]);
    });
  });

  it('fails the delivery when the event says succeeded but the provider does not show it yet', async () => {
    // Arrange
    const harness = setup();
    await harness.topups.create(topupWaiting());
    harness.provider.set(intent('requires_action'));

    // Act
    const error = await failureOf(consumeWebhook(event('payment_intent.succeeded'), harness.deps));

    // Assert
    expect(error).toBeInstanceOf(ProviderNotSettledError);
    expect((await harness.topups.get(TOPUP))?.status).toBe('requires_action');
  });

  describe('when a card payment waits on the provider', () => {
    it('completes the payment and resumes the waiting lifecycle when it succeeded', async () => {
      // Arrange
      const harness = setup();
      await harness.payments.create(cardPayment());
      harness.provider.set(intent('succeeded', { metadata: { paymentId: PAYMENT } }));

      // Act
      const record = await consumeWebhook(event('payment_intent.succeeded'), harness.deps);

      // Assert
      expect(harness.payments.peek(PAYMENT)).toMatchObject({ state: 'Completed', completedAt: NOW });
      expect(harness.payments.peek(PAYMENT)?.history.at(-1)).toMatchObject({
        event: 'completed',
        actor: 'provider',
      });
      expect(harness.workflows.resumes).toEqual([
        { taskToken: TOKEN, output: { state: 'Completed' }, accepted: true },
      ]);
      expect(record).toMatchObject({
        outcome: 'payment_completed',
        subject: { type: 'payment', id: PAYMENT },
      });
    });

    it('does not take the money when the payer approves at PayPal after the payment already failed', async () => {
      // Arrange
      const harness = setup();
      await harness.payments.create({
        ...cardPayment('Failed', undefined),
        paymentMethod: { type: 'paypal' },
      });
      harness.provider.set(
        intent('requires_confirmation', { provider: 'paypal', metadata: { paymentId: PAYMENT } }),
      );
      const approved = event('CHECKOUT.ORDER.APPROVED', { provider: 'paypal', id: 'WH-late' });

      // Act
      const record = await consumeWebhook(approved, harness.deps);

      // Assert
      expect(harness.provider.confirmed).toEqual([]);
      expect(harness.payments.peek(PAYMENT)?.state).toBe('Failed');
      expect(record).toMatchObject({ status: 'processed', subject: { type: 'payment', id: PAYMENT } });
    });

    it('confirms a PayPal payment the payer approved while it waits, and completes it', async () => {
      // Arrange
      const harness = setup();
      await harness.payments.create({ ...cardPayment(), paymentMethod: { type: 'paypal' } });
      harness.provider.set(
        intent('requires_confirmation', { provider: 'paypal', metadata: { paymentId: PAYMENT } }),
      );
      const approved = event('CHECKOUT.ORDER.APPROVED', { provider: 'paypal', id: 'WH-approved' });

      // Act
      const record = await consumeWebhook(approved, harness.deps);

      // Assert
      expect(harness.provider.confirmed).toEqual([`${INTENT} ${PAYMENT}:confirm`]);
      expect(harness.payments.peek(PAYMENT)?.state).toBe('Completed');
      expect(record).toMatchObject({ outcome: 'payment_completed' });
    });

    it('fails the payment and the waiting task when the payer failed authentication', async () => {
      // Arrange
      const harness = setup();
      await harness.payments.create(cardPayment());
      harness.provider.set(
        intent('requires_payment_method', {
          metadata: { paymentId: PAYMENT },
          failureCode: 'authentication_failed',
        }),
      );

      // Act
      await consumeWebhook(event('payment_intent.payment_failed'), harness.deps);

      // Assert
      expect(harness.payments.peek(PAYMENT)).toMatchObject({
        state: 'Failed',
        failureCode: 'authentication_failed',
      });
      expect(harness.workflows.failures).toEqual([
        { taskToken: TOKEN, error: PAYMENT_DECLINED_ERROR, cause: 'authentication_failed', accepted: true },
      ]);
    });

    it('completes once and resumes once when two events about it are applied at the same time', async () => {
      // Arrange
      const harness = setup();
      await harness.payments.create(cardPayment());
      harness.provider.set(intent('succeeded', { metadata: { paymentId: PAYMENT } }));
      const twins = [event('payment_intent.succeeded'), event('payment_intent.succeeded', { id: 'evt_2' })];

      // Act
      await Promise.all(twins.map((twin) => consumeWebhook(twin, harness.deps)));

      // Assert
      expect(
        harness.payments.peek(PAYMENT)?.history.filter((entry) => entry.event === 'completed'),
      ).toHaveLength(1);
      expect(harness.workflows.resumes).toHaveLength(1);
      expect(
        harness.inbox
          .all()
          .map((record) => record.outcome)
          .sort(),
      ).toEqual(['payment_completed', 'payment_unchanged']);
    });

    it('leaves the payment Processing while the provider still waits for the payer', async () => {
      // Arrange
      const harness = setup();
      await harness.payments.create(cardPayment());
      harness.provider.set(intent('requires_action', { metadata: { paymentId: PAYMENT } }));

      // Act
      const record = await consumeWebhook(event('payment_intent.requires_action'), harness.deps);

      // Assert
      expect(harness.payments.peek(PAYMENT)?.state).toBe('Processing');
      expect(record.outcome).toBe('payment_unchanged');
      expect(harness.workflows.resumes).toEqual([]);
    });
  });

  describe('when a charge is refunded or disputed', () => {
    it('notes the refund next to what we recorded as refunded', async () => {
      // Arrange
      const harness = setup();
      await harness.payments.create(cardPayment('Completed'));
      harness.provider.set(intent('succeeded', { metadata: { paymentId: PAYMENT } }));

      // Act
      const record = await consumeWebhook(
        event('charge.refunded', {
          objectId: 'ch_1',
          details: { chargeId: 'ch_1', amountRefunded: 500, currency: 'USD' },
        }),
        harness.deps,
      );

      // Assert
      expect(record).toMatchObject({
        status: 'processed',
        outcome: 'refund_noted',
        details: { chargeId: 'ch_1', amountRefunded: 500, currency: 'USD', recordedRefunded: 0 },
      });
      expect(harness.payments.peek(PAYMENT)?.state).toBe('Completed');
    });

    it('keeps a dispute for good, with its reason, and changes no payment', async () => {
      // Arrange
      const harness = setup();
      await harness.payments.create(cardPayment('Completed'));
      harness.provider.set(intent('succeeded', { metadata: { paymentId: PAYMENT } }));
      const dispute = { disputeId: 'dp_1', amount: AMOUNT, currency: 'USD', reason: 'fraudulent' };

      // Act
      const record = await consumeWebhook(
        event('charge.dispute.created', { objectId: 'dp_1', details: dispute }),
        harness.deps,
      );

      // Assert
      expect(record).toMatchObject({ status: 'processed', outcome: 'dispute_noted', details: dispute });
      expect(harness.inbox.peek(record.eventId)?.expiresAt).toBeUndefined();
      expect(harness.payments.peek(PAYMENT)?.state).toBe('Completed');
    });

    it('fails the delivery when the refunded payment is not known', async () => {
      // Arrange
      const harness = setup();
      harness.provider.set(intent('succeeded', { metadata: { paymentId: 'pay_unknown' } }));

      // Act
      const error = await failureOf(
        consumeWebhook(event('charge.refunded', { objectId: 'ch_1' }), harness.deps),
      );

      // Assert
      expect(error).toBeInstanceOf(UnknownWebhookSubjectError);
    });
  });
});

describe('Use case: consumeWebhookBatch', () => {
  function message(id: string, groupId: string, body: ProviderEvent | string) {
    return { messageId: id, groupId, body: typeof body === 'string' ? body : JSON.stringify(body) };
  }
  const parse = (body: string) => JSON.parse(body) as ProviderEvent;

  it('reports a failed message and the later ones of its group, and applies every other group', async () => {
    // Arrange
    const harness = setup();
    await harness.topups.create(topupWaiting());
    harness.provider
      .set(intent('succeeded'))
      .set(intent('succeeded', { id: 'pi_unknown', metadata: { topupId: 'tu_unknown' } }));
    const poison = event('payment_intent.succeeded', {
      id: 'evt_p1',
      objectId: 'pi_unknown',
      paymentId: 'pi_unknown',
    });
    const behind = event('payment_intent.canceled', {
      id: 'evt_p2',
      objectId: 'pi_unknown',
      paymentId: 'pi_unknown',
    });

    // Act
    const failures = await consumeWebhookBatch(
      [
        message('m1', 'pi_unknown', poison),
        message('m2', INTENT, event('payment_intent.succeeded')),
        message('m3', 'pi_unknown', behind),
        message('m4', 'pi_other', 'not json'),
      ],
      parse,
      harness.deps,
    );

    // Assert
    expect(failures.map((failure) => failure.messageId).sort()).toEqual(['m1', 'm3', 'm4']);
    expect(failures.find((failure) => failure.messageId === 'm1')?.error).toBeInstanceOf(
      UnknownWebhookSubjectError,
    );
    expect(failures.find((failure) => failure.messageId === 'm3')?.error).toBeUndefined();
    expect(failures.find((failure) => failure.messageId === 'm4')?.error).toBeInstanceOf(SyntaxError);
    expect(harness.inbox.peek('stripe:evt_p2')).toBeUndefined();
    expect(await walletCredits(harness)).toBe(AMOUNT);
  });

  it('reports nothing when every message is applied', async () => {
    // Arrange
    const harness = setup();
    await harness.topups.create(topupWaiting());
    harness.provider.set(intent('succeeded'));

    // Act
    const failures = await consumeWebhookBatch(
      [
        message('m1', INTENT, event('payment_intent.requires_action')),
        message('m2', INTENT, event('payment_intent.succeeded')),
      ],
      parse,
      harness.deps,
    );

    // Assert
    expect(failures).toEqual([]);
    expect(harness.inbox.all().map((record) => record.status)).toEqual(['processed', 'processed']);
  });
});
