import { jest } from '@jest/globals';
import { PAYMENT_DECLINED_ERROR, paymentCharge } from '../../../../shared/app/payments/lifecycle.js';
import {
  IDEMPOTENCY_REPLAY_WINDOW_MS,
  ProviderPaymentUnknownError,
  type ReconcileDeps,
  reconcile,
  TOPUP_ABANDONED_AFTER_MS,
} from '../../../../shared/app/reconciliation/reconcile.js';
import type { Topup, TopupStatus } from '../../../../shared/app/wallets/ports.js';
import { topupCharge } from '../../../../shared/app/wallets/top-up.js';
import { accounts, checkLedgerInvariant } from '../../../../shared/domain/ledger.js';
import type { Payment } from '../../../../shared/domain/payment.js';
import { ProviderStateConflictError } from '../../../../shared/domain/provider-errors.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { FakePaymentProvider } from '../../../support/fakes/payment-provider.js';
import { InMemoryPayments } from '../../../support/fakes/payments.js';
import { InMemoryProviderWaits } from '../../../support/fakes/provider-waits.js';
import { InMemoryTopups } from '../../../support/fakes/topups.js';
import { RecordingWorkflows } from '../../../support/fakes/workflows.js';
import { InMemoryLedger } from '../../../support/in-memory-ledger.js';

const STARTED = '2026-03-01T12:00:00.000Z';
/** Runs happen an hour after the records started waiting; the threshold is ten minutes. */
const THRESHOLD_MS = 10 * 60 * 1000;
const WALLET = 'tw_alice';
const TOKEN = 'task-token-1';
const AMOUNT = 1_500;

function setup() {
  const clock = fixedClock(STARTED);
  const ledger = new InMemoryLedger(() => clock.now());
  const topups = new InMemoryTopups(ledger);
  const payments = new InMemoryPayments(ledger);
  const workflows = new RecordingWorkflows();
  const waits = new InMemoryProviderWaits(topups, payments);
  const provider = new FakePaymentProvider()
    .card('pm_card_visa', 'succeeded')
    .card('pm_card_authenticationRequired', 'requires_action')
    .card('pm_card_chargeDeclined', { decline: 'generic_decline' })
    .card('pm_card_down', 'processor_down');
  const deps: ReconcileDeps = { waits, provider, topups, payments, ledger, workflows, clock };
  const run = (limit = 100) =>
    reconcile({ olderThan: new Date(clock.now().getTime() - THRESHOLD_MS).toISOString(), limit }, deps);
  return { deps, clock, ledger, topups, payments, workflows, waits, provider, run };
}
type Harness = ReturnType<typeof setup>;

function topup(id: string, status: TopupStatus, paymentMethodId = 'pm_card_visa'): Topup {
  return {
    topupId: id,
    userId: 'user_alice',
    walletId: WALLET,
    amount: AMOUNT,
    currency: 'USD',
    paymentMethodId,
    provider: 'stripe',
    status,
    createdAt: STARTED,
    updatedAt: STARTED,
  };
}

function cardPayment(id: string, paymentMethodId: string): Payment {
  return {
    paymentId: id,
    userId: 'user_alice',
    appId: 'app_shop',
    amount: { value: AMOUNT, currency: 'USD' },
    paymentMethod: { type: 'card', id: paymentMethodId },
    description: 'Sticker pack',
    metadata: {},
    state: 'Processing',
    mfaRequired: false,
    refundedAmount: 0,
    history: [{ state: 'Processing', event: 'process', at: STARTED, actor: 'system' }],
    createdAt: STARTED,
    updatedAt: STARTED,
    taskToken: TOKEN,
  };
}

/** The provider charged the top-up's card, then we crashed before writing anything down. */
async function chargedThenCrashed(harness: Harness, record: Topup): Promise<string> {
  await harness.topups.create(record);
  return (await harness.provider.createPayment(topupCharge(record))).id;
}

async function walletCredits(harness: Harness): Promise<number> {
  return (await harness.ledger.account(accounts.wallet(WALLET, 'USD').id))?.creditsPosted ?? 0;
}

function anHourLater(harness: Harness): void {
  harness.clock.advance(60 * 60 * 1000);
}

describe('Use case: reconcile', () => {
  describe('Top-ups', () => {
    it('credits the wallet exactly once when the provider charged but our record stayed pending', async () => {
      // Arrange
      const harness = setup();
      const intentId = await chargedThenCrashed(harness, topup('tu_1', 'pending'));
      anHourLater(harness);

      // Act
      const first = await harness.run();
      const second = await harness.run();

      // Assert
      expect(first).toMatchObject({ examined: 1, repaired: 1, stillWaiting: 0, failed: 0 });
      expect(first.items[0]).toMatchObject({ kind: 'topup', id: 'tu_1', applied: 'completed' });
      expect(await harness.topups.get('tu_1')).toMatchObject({
        status: 'succeeded',
        providerPaymentId: intentId,
      });
      // The repeated create named the first payment: one PaymentIntent for the key, never a second charge.
      expect(new Set(harness.provider.charges().map((call) => call.idempotencyKey))).toEqual(
        new Set(['tu_1']),
      );
      expect(second).toMatchObject({ examined: 0, repaired: 0, failed: 0 });
      expect(await walletCredits(harness)).toBe(AMOUNT);
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });

    it('asks by the recorded provider id and completes a processing top-up the webhook never settled', async () => {
      // Arrange
      const harness = setup();
      const record = topup('tu_1', 'requires_action', 'pm_card_authenticationRequired');
      const intentId = await chargedThenCrashed(harness, record);
      await harness.topups.transition(
        'tu_1',
        ['requires_action'],
        { status: 'processing', providerPaymentId: intentId },
        STARTED,
      );
      harness.provider.settle(intentId);
      anHourLater(harness);

      // Act
      const report = await harness.run();

      // Assert
      expect(report).toMatchObject({ examined: 1, repaired: 1 });
      expect(harness.provider.charges()).toHaveLength(1);
      expect(await walletCredits(harness)).toBe(AMOUNT);
    });

    it('leaves a top-up waiting while the payer has not authenticated, and credits nothing', async () => {
      // Arrange
      const harness = setup();
      await chargedThenCrashed(harness, topup('tu_1', 'pending', 'pm_card_authenticationRequired'));
      anHourLater(harness);

      // Act
      const report = await harness.run();

      // Assert: moved forward to what the provider says, still in the worklist
      expect(report).toMatchObject({ examined: 1, repaired: 0, stillWaiting: 1, failed: 0 });
      expect(report.items[0]?.applied).toBe('advanced');
      expect(await harness.topups.get('tu_1')).toMatchObject({ status: 'requires_action' });
      expect(await walletCredits(harness)).toBe(0);
    });

    it('fails a top-up whose charge the provider declined', async () => {
      // Arrange
      const harness = setup();
      const record = topup('tu_1', 'pending', 'pm_card_chargeDeclined');
      await harness.topups.create(record);
      await expect(harness.provider.createPayment(topupCharge(record))).rejects.toThrow('declined');
      anHourLater(harness);

      // Act
      const report = await harness.run();

      // Assert
      expect(report).toMatchObject({ examined: 1, repaired: 1 });
      expect(await harness.topups.get('tu_1')).toMatchObject({ status: 'failed' });
      expect(await walletCredits(harness)).toBe(0);
    });

    it('does not look at a top-up that has waited less than the threshold', async () => {
      // Arrange
      const harness = setup();
      await chargedThenCrashed(harness, topup('tu_1', 'pending'));
      harness.clock.advance(THRESHOLD_MS - 1);

      // Act
      const report = await harness.run();

      // Assert
      expect(report.examined).toBe(0);
      expect(await harness.topups.get('tu_1')).toMatchObject({ status: 'pending' });
    });

    it('reports for ops, without asking the provider, a top-up with no provider id older than the replay window', async () => {
      // Arrange
      const harness = setup();
      await chargedThenCrashed(harness, topup('tu_1', 'pending'));
      harness.clock.advance(IDEMPOTENCY_REPLAY_WINDOW_MS + 1);

      // Act
      const report = await harness.run();

      // Assert
      expect(report).toMatchObject({ examined: 1, failed: 1 });
      expect(report.items[0]?.error).toBeInstanceOf(ProviderPaymentUnknownError);
      expect(harness.provider.charges()).toHaveLength(1);
      expect(await harness.topups.get('tu_1')).toMatchObject({ status: 'pending' });
    });

    it('reads the worklist page by page, up to the limit', async () => {
      // Arrange
      const harness = setup();
      for (let index = 10; index < 35; index += 1) {
        await chargedThenCrashed(harness, topup(`tu_${index}`, 'pending'));
      }
      anHourLater(harness);

      // Act
      const first = await harness.run(12);
      const second = await harness.run(100);

      // Assert
      expect(first).toMatchObject({ examined: 12, repaired: 12 });
      expect(harness.waits.pages.filter((page) => page.kind === 'topup').map((page) => page.limit)).toEqual(
        expect.arrayContaining([10, 2]),
      );
      expect(first.items.map((item) => item.id)).toEqual(
        Array.from({ length: 12 }, (_, index) => `tu_${index + 10}`),
      );
      expect(second).toMatchObject({ examined: 13, repaired: 13 });
      expect(await walletCredits(harness)).toBe(25 * AMOUNT);
    });
  });

  describe('Abandoned top-ups', () => {
    /** A top-up answered requires_action whose payer never came back from the 3-D Secure page. */
    async function abandoned(harness: Harness, id: string): Promise<string> {
      const record = topup(id, 'pending', 'pm_card_authenticationRequired');
      const providerPaymentId = await chargedThenCrashed(harness, record);
      await harness.topups.transition(
        id,
        ['pending'],
        { status: 'requires_action', providerPaymentId },
        STARTED,
      );
      return providerPaymentId;
    }

    it('cancels at the provider and fails a top-up left on 3-D Secure past the deadline, crediting nothing', async () => {
      // Arrange
      const harness = setup();
      const providerPaymentId = await abandoned(harness, 'tu_1');
      harness.clock.advance(TOPUP_ABANDONED_AFTER_MS + 1);

      // Act
      const report = await harness.run();
      const next = await harness.run();

      // Assert
      expect(report).toMatchObject({ examined: 1, repaired: 1, failed: 0 });
      expect(harness.provider.calls).toContainEqual({
        method: 'cancelPayment',
        paymentId: providerPaymentId,
        idempotencyKey: 'tu_1:abandon',
      });
      expect(await harness.topups.get('tu_1')).toMatchObject({ status: 'failed', failureCode: 'canceled' });
      expect(await walletCredits(harness)).toBe(0);
      expect(next).toMatchObject({ examined: 0 });
    });

    it('leaves it waiting, and cancels nothing, before the deadline', async () => {
      // Arrange
      const harness = setup();
      await abandoned(harness, 'tu_1');
      harness.clock.advance(TOPUP_ABANDONED_AFTER_MS - 60_000);

      // Act
      const report = await harness.run();

      // Assert
      expect(report).toMatchObject({ examined: 1, stillWaiting: 1 });
      expect(harness.provider.calls.filter((call) => call.method === 'cancelPayment')).toEqual([]);
      expect(await harness.topups.get('tu_1')).toMatchObject({ status: 'requires_action' });
    });

    it('credits the wallet once when the payer authenticated just as it was being cancelled', async () => {
      // Arrange
      const harness = setup();
      await abandoned(harness, 'tu_1');
      harness.clock.advance(TOPUP_ABANDONED_AFTER_MS + 1);
      jest.spyOn(harness.provider, 'cancelPayment').mockImplementation(async (paymentId) => {
        harness.provider.settle(paymentId);
        throw new ProviderStateConflictError('succeeded');
      });

      // Act
      const report = await harness.run();

      // Assert
      expect(report).toMatchObject({ examined: 1, repaired: 1, failed: 0 });
      expect(await harness.topups.get('tu_1')).toMatchObject({ status: 'succeeded' });
      expect(await walletCredits(harness)).toBe(AMOUNT);
    });

    it('no longer lets abandoned top-ups take every slot from a newer stuck one', async () => {
      // Arrange
      const harness = setup();
      for (const id of ['tu_a', 'tu_b', 'tu_c']) await abandoned(harness, id);
      harness.clock.advance(TOPUP_ABANDONED_AFTER_MS);
      const later = harness.clock.now().toISOString();
      await chargedThenCrashed(harness, {
        ...topup('tu_new', 'pending'),
        createdAt: later,
        updatedAt: later,
      });
      anHourLater(harness);

      // Act: runs of 3, the oldest first
      const first = await harness.run(3);
      const second = await harness.run(3);

      // Assert
      expect(first.items.map((item) => [item.id, item.applied])).toEqual([
        ['tu_a', 'failed'],
        ['tu_b', 'failed'],
        ['tu_c', 'failed'],
      ]);
      expect(second.items.map((item) => [item.id, item.applied])).toEqual([['tu_new', 'completed']]);
      expect(await walletCredits(harness)).toBe(AMOUNT);
    });
  });

  describe('Card payments', () => {
    it('completes a payment the provider charged and resumes its waiting lifecycle', async () => {
      // Arrange
      const harness = setup();
      const payment = cardPayment('pay_1', 'pm_card_authenticationRequired');
      await harness.payments.create(payment);
      const intentId = (
        await harness.provider.createPayment(paymentCharge(payment, 'pm_card_authenticationRequired'))
      ).id;
      harness.provider.settle(intentId);
      anHourLater(harness);

      // Act
      const report = await harness.run();

      // Assert
      expect(report).toMatchObject({ examined: 1, repaired: 1, failed: 0 });
      expect(await harness.payments.get('pay_1')).toMatchObject({
        state: 'Completed',
        providerPaymentId: intentId,
      });
      expect(harness.workflows.resumes).toEqual([
        expect.objectContaining({ taskToken: TOKEN, output: { state: 'Completed' } }),
      ]);
      expect((await harness.run()).examined).toBe(0);
    });

    it('fails a payment the provider declined and fails its waiting task', async () => {
      // Arrange
      const harness = setup();
      await harness.payments.create(cardPayment('pay_1', 'pm_card_chargeDeclined'));
      anHourLater(harness);

      // Act
      const report = await harness.run();

      // Assert
      expect(report).toMatchObject({ examined: 1, repaired: 1 });
      expect(await harness.payments.get('pay_1')).toMatchObject({ state: 'Failed' });
      expect(harness.workflows.failures).toEqual([
        expect.objectContaining({ taskToken: TOKEN, error: PAYMENT_DECLINED_ERROR }),
      ]);
    });
  });

  it('settles every other record when one fails, and reports the failure with its error', async () => {
    // Arrange
    const harness = setup();
    await chargedThenCrashed(harness, topup('tu_1', 'pending'));
    await harness.topups.create(topup('tu_2', 'pending', 'pm_card_down'));
    await chargedThenCrashed(harness, topup('tu_3', 'pending'));
    anHourLater(harness);

    // Act
    const report = await harness.run();

    // Assert
    expect(report).toMatchObject({ examined: 3, repaired: 2, failed: 1 });
    const failed = report.items.find((item) => item.outcome === 'failed');
    expect(failed).toMatchObject({ id: 'tu_2', error: expect.objectContaining({ name: 'ProcessorError' }) });
    expect(await walletCredits(harness)).toBe(2 * AMOUNT);
  });
});
