import type { ProviderEvent, ProviderRefund, Refund } from '../../../../shared/app/payments/ports.js';
import { type ConsumeDeps, consumeWebhook } from '../../../../shared/app/webhooks/consume.js';
import { accounts, checkLedgerInvariant } from '../../../../shared/domain/ledger.js';
import { captureOf, type Payment, paymentTransferIds } from '../../../../shared/domain/payment.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { InMemoryDisputes } from '../../../support/fakes/disputes.js';
import { InMemoryPayments } from '../../../support/fakes/payments.js';
import { ScriptedProviderPayments } from '../../../support/fakes/provider-payments.js';
import { InMemoryTopups } from '../../../support/fakes/topups.js';
import { InMemoryWebhookInbox } from '../../../support/fakes/webhook-inbox.js';
import { RecordingWorkflows } from '../../../support/fakes/workflows.js';
import { InMemoryLedger } from '../../../support/in-memory-ledger.js';

const NOW = '2026-03-01T12:00:00.000Z';
const PAYMENT = 'pay_1';
const INTENT = 'pi_1';
const REFUND = 'rf_1';
const PROVIDER_REFUND = 're_1';
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
  return { deps, ledger, payments, provider };
}
type Harness = ReturnType<typeof setup>;

const payment: Payment = {
  paymentId: PAYMENT,
  userId: 'user_alice',
  walletId: 'tw_alice',
  appId: 'app_shop',
  amount: { value: AMOUNT, currency: 'USD' },
  paymentMethod: { type: 'card', id: 'pm_card_visa' },
  description: 'Sticker pack',
  metadata: {},
  state: 'Completed',
  mfaRequired: false,
  refundedAmount: 0,
  history: [{ state: 'Completed', event: 'created', at: NOW, actor: 'user_alice' }],
  createdAt: NOW,
  updatedAt: NOW,
  providerPaymentId: INTENT,
};

const refund: Refund = {
  refundId: REFUND,
  paymentId: PAYMENT,
  userId: 'user_alice',
  amount: AMOUNT,
  currency: 'USD',
  status: 'pending',
  providerRefundId: PROVIDER_REFUND,
  createdAt: NOW,
  updatedAt: NOW,
};

/** A completed card payment (its capture posted) with a full refund the provider left pending. */
async function pendingRefund(harness: Harness): Promise<void> {
  await harness.payments.create(payment);
  await harness.ledger.execute(captureOf(payment));
  await harness.payments.reserveRefund(payment, refund);
  harness.provider.set({
    provider: 'stripe',
    id: INTENT,
    status: 'succeeded',
    amount: AMOUNT,
    amountReceived: AMOUNT,
    currency: 'USD',
    metadata: { paymentId: PAYMENT },
  });
}

function atProvider(status: ProviderRefund['status']): ProviderRefund {
  return {
    provider: 'stripe',
    id: PROVIDER_REFUND,
    paymentId: INTENT,
    amount: AMOUNT,
    currency: 'USD',
    status,
    metadata: { refundId: REFUND, paymentId: PAYMENT },
  };
}

function event(type: string, id = `evt_${type}`): ProviderEvent {
  return {
    provider: 'stripe',
    id,
    type,
    objectId: PROVIDER_REFUND,
    paymentId: INTENT,
    createdAt: NOW,
    payload: { type },
  };
}

describe('Use case: consumeWebhook (refund events)', () => {
  it.each(['refund.updated', 'charge.refund.updated'])(
    'succeeds a pending refund on %s with its money and Refunded, once across redeliveries',
    async (type) => {
      // Arrange
      const harness = setup();
      await pendingRefund(harness);
      harness.provider.setRefund(atProvider('succeeded'));

      // Act
      const record = await consumeWebhook(event(type), harness.deps);
      await consumeWebhook(event(type, 'evt_again'), harness.deps);

      // Assert
      expect(record).toMatchObject({ status: 'processed', outcome: 'refund_succeeded' });
      expect(harness.payments.refunds()).toEqual([expect.objectContaining({ status: 'succeeded' })]);
      expect(harness.payments.peek(PAYMENT)).toMatchObject({ state: 'Refunded', refundedAmount: AMOUNT });
      expect(await harness.ledger.transfer(paymentTransferIds.refund(REFUND))).toMatchObject({
        debitAccountId: accounts.app('app_shop', 'USD').id,
        creditAccountId: accounts.providerClearing('stripe', 'USD').id,
        amount: AMOUNT,
      });
      expect(await harness.ledger.account(accounts.app('app_shop', 'USD').id)).toMatchObject({
        creditsPosted: AMOUNT,
        debitsPosted: AMOUNT,
      });
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    },
  );

  it('fails a pending refund the provider failed: nothing posted, refundable again', async () => {
    // Arrange
    const harness = setup();
    await pendingRefund(harness);
    harness.provider.setRefund(atProvider('failed'));

    // Act
    const record = await consumeWebhook(event('refund.failed'), harness.deps);

    // Assert
    expect(record).toMatchObject({ status: 'processed', outcome: 'refund_failed' });
    expect(harness.payments.refunds()).toEqual([expect.objectContaining({ status: 'failed' })]);
    expect(harness.payments.peek(PAYMENT)).toMatchObject({ state: 'Completed', refundedAmount: 0 });
    expect(await harness.ledger.transfer(paymentTransferIds.refund(REFUND))).toBeUndefined();
  });

  it('moves a refund only forward: a late failure after success changes nothing', async () => {
    // Arrange
    const harness = setup();
    await pendingRefund(harness);
    harness.provider.setRefund(atProvider('succeeded'));
    await consumeWebhook(event('refund.updated'), harness.deps);
    harness.provider.setRefund(atProvider('failed'));

    // Act
    const record = await consumeWebhook(event('refund.failed'), harness.deps);

    // Assert
    expect(record).toMatchObject({ outcome: 'refund_succeeded' });
    expect(harness.payments.peek(PAYMENT)).toMatchObject({ state: 'Refunded', refundedAmount: AMOUNT });
  });

  it('leaves a refund still pending at the provider pending', async () => {
    // Arrange
    const harness = setup();
    await pendingRefund(harness);
    harness.provider.setRefund(atProvider('pending'));

    // Act
    const record = await consumeWebhook(event('refund.updated'), harness.deps);

    // Assert
    expect(record).toMatchObject({ outcome: 'refund_pending' });
    expect(harness.payments.refunds()).toEqual([expect.objectContaining({ status: 'pending' })]);
    expect(harness.payments.peek(PAYMENT)).toMatchObject({ state: 'Completed', refundedAmount: AMOUNT });
  });
});
