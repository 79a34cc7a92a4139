/**
 * The webhook consumer on disputes of top-ups: each dispute event applied through applyTopupDispute, kept
 * for good with what was frozen. (Disputes of payments stay noted for ops: consume.test.ts.)
 */
import type { ProviderEvent, ProviderPayment } from '../../../../shared/app/payments/ports.js';
import type { Topup } from '../../../../shared/app/wallets/ports.js';
import { TopupNotCreditedError } from '../../../../shared/app/wallets/top-up-dispute.js';
import {
  type ConsumeDeps,
  consumeWebhook,
  UnknownWebhookSubjectError,
} from '../../../../shared/app/webhooks/consume.js';
import { ValidationError } from '../../../../shared/domain/errors.js';
import { accounts, available, checkLedgerInvariant } from '../../../../shared/domain/ledger.js';
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
const INTENT = 'pi_1';
const AMOUNT = 1_500;
const USD_WALLET = accounts.wallet(WALLET, 'USD');

async function setup(topupStatus: Topup['status'] = 'succeeded') {
  const clock = fixedClock(NOW);
  const ledger = new InMemoryLedger(() => clock.now());
  const topups = new InMemoryTopups(ledger);
  const disputes = new InMemoryDisputes(ledger);
  const inbox = new InMemoryWebhookInbox();
  const provider = new ScriptedProviderPayments();
  const deps: ConsumeDeps = {
    inbox,
    provider,
    topups,
    ledger,
    payments: new InMemoryPayments(ledger),
    workflows: new RecordingWorkflows(),
    disputes,
    clock,
  };
  await topups.create({
    topupId: TOPUP,
    userId: 'user_alice',
    walletId: WALLET,
    amount: AMOUNT,
    currency: 'USD',
    paymentMethodId: 'pm_card_visa',
    provider: 'stripe',
    status: topupStatus,
    providerPaymentId: INTENT,
    createdAt: NOW,
    updatedAt: NOW,
  });
  if (topupStatus === 'succeeded') {
    await ledger.execute({
      type: 'post',
      id: 'credit_1',
      debit: accounts.providerClearing('stripe', 'USD'),
      credit: USD_WALLET,
      amount: AMOUNT,
      code: 'topup',
    });
  }
  const charge: ProviderPayment = {
    provider: 'stripe',
    id: INTENT,
    status: 'succeeded',
    amount: AMOUNT,
    amountReceived: AMOUNT,
    currency: 'USD',
    metadata: { topupId: TOPUP },
  };
  provider.set(charge);
  return { deps, ledger, inbox, disputes };
}
type Harness = Awaited<ReturnType<typeof setup>>;

function disputeEvent(type: string, status: string, id = `evt_${type}_${status}`): ProviderEvent {
  return {
    provider: 'stripe',
    id,
    type,
    objectId: 'dp_1',
    paymentId: INTENT,
    details: {
      disputeId: 'dp_1',
      chargeId: 'ch_1',
      amount: AMOUNT,
      currency: 'USD',
      reason: 'fraudulent',
      status,
    },
    createdAt: NOW,
    payload: { type },
  };
}

async function wallet(harness: Harness) {
  const account = await harness.ledger.account(USD_WALLET.id);
  if (account === undefined) throw new Error('no wallet account');
  return { available: available(account), pending: account.debitsPending, spent: account.debitsPosted };
}

describe('Use case: consumeWebhook (disputes of top-ups)', () => {
  it('freezes the disputed amount on charge.dispute.created and keeps the event for good', async () => {
    // Arrange
    const harness = await setup();

    // Act
    const record = await consumeWebhook(
      disputeEvent('charge.dispute.created', 'needs_response'),
      harness.deps,
    );

    // Assert
    expect(record).toMatchObject({
      status: 'processed',
      outcome: 'dispute_frozen',
      subject: { type: 'topup', id: TOPUP },
      details: { disputeId: 'dp_1', frozenAmount: AMOUNT, shortfall: 0 },
    });
    expect(harness.inbox.peek(record.eventId)?.expiresAt).toBeUndefined();
    expect(await wallet(harness)).toEqual({ available: 0, pending: AMOUNT, spent: 0 });
  });

  it('releases on charge.dispute.closed won and debits on lost', async () => {
    // Arrange
    const won = await setup();
    const lost = await setup();
    for (const harness of [won, lost]) {
      await consumeWebhook(disputeEvent('charge.dispute.created', 'needs_response'), harness.deps);
    }

    // Act
    const release = await consumeWebhook(disputeEvent('charge.dispute.closed', 'won'), won.deps);
    const debit = await consumeWebhook(disputeEvent('charge.dispute.closed', 'lost'), lost.deps);

    // Assert
    expect(release.outcome).toBe('dispute_released');
    expect(debit.outcome).toBe('dispute_debited');
    expect(await wallet(won)).toEqual({ available: AMOUNT, pending: 0, spent: 0 });
    expect(await wallet(lost)).toEqual({ available: 0, pending: 0, spent: AMOUNT });
    expect(checkLedgerInvariant(lost.ledger.allAccounts())).toEqual([]);
  });

  it('changes nothing on an update while open, a redelivery, or a late created after the close', async () => {
    // Arrange
    const harness = await setup();
    await consumeWebhook(disputeEvent('charge.dispute.closed', 'lost'), harness.deps);

    // Act
    const late = await consumeWebhook(disputeEvent('charge.dispute.created', 'needs_response'), harness.deps);
    const redelivered = await consumeWebhook(disputeEvent('charge.dispute.closed', 'lost'), harness.deps);
    const otherClose = await consumeWebhook(
      disputeEvent('charge.dispute.funds_withdrawn', 'lost', 'evt_other'),
      harness.deps,
    );

    // Assert
    expect(late.outcome).toBe('dispute_unchanged');
    expect(redelivered.outcome).toBe('dispute_debited');
    expect(redelivered.deliveries).toBe(2);
    expect(otherClose.outcome).toBe('dispute_unchanged');
    expect(await wallet(harness)).toEqual({ available: 0, pending: 0, spent: AMOUNT });
  });

  it('fails the delivery (retried) while the disputed top-up has not credited the wallet', async () => {
    // Arrange
    const harness = await setup('processing');

    // Act & Assert
    await expect(
      consumeWebhook(disputeEvent('charge.dispute.created', 'needs_response'), harness.deps),
    ).rejects.toThrow(TopupNotCreditedError);
    expect(await harness.disputes.get('dp_1')).toBeUndefined();
  });

  it('fails the delivery for a dispute event that names no dispute status', async () => {
    // Arrange
    const harness = await setup();

    // Act & Assert
    await expect(
      consumeWebhook(disputeEvent('charge.dispute.created', 'something_new'), harness.deps),
    ).rejects.toThrow(ValidationError);
  });

  it('fails the delivery when the disputed top-up is not known', async () => {
    // Arrange
    const harness = await setup();
    harness.deps.provider = new ScriptedProviderPayments().set({
      provider: 'stripe',
      id: INTENT,
      status: 'succeeded',
      amount: AMOUNT,
      amountReceived: AMOUNT,
      currency: 'USD',
      metadata: { topupId: 'tu_unknown' },
    });

    // Act & Assert
    await expect(
      consumeWebhook(disputeEvent('charge.dispute.created', 'needs_response'), harness.deps),
    ).rejects.toThrow(UnknownWebhookSubjectError);
  });
});
