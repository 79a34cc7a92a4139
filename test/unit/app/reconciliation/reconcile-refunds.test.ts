import { jest } from '@jest/globals';
import { type RefundCommand, refundPayment } from '../../../../shared/app/payments/refund-payment.js';
import { type ReconcileDeps, reconcile } from '../../../../shared/app/reconciliation/reconcile.js';
import { accounts, checkLedgerInvariant } from '../../../../shared/domain/ledger.js';
import { paymentTransferIds } from '../../../../shared/domain/payment.js';
import { ProcessorError } from '../../../../shared/domain/provider-errors.js';
import { InMemoryProviderWaits } from '../../../support/fakes/provider-waits.js';
import { InMemoryTopups } from '../../../support/fakes/topups.js';
import {
  CARD,
  completedWalletPayment,
  type Harness,
  MERCHANT_PENDING_USD,
  setup,
  stored,
} from '../payments/harness.js';

/** What `harness.pay()` pays. */
const PAID = 1_000;
const OPS = 'user_ops';
/** Reconciliation looks at what has waited longer than this. */
const THRESHOLD_MS = 10 * 60 * 1000;

function command(paymentId: string): RefundCommand {
  return { userId: OPS, roles: ['ops'], idempotencyKey: 'refund-key-1', paymentId };
}

/** The reconciliation job over the payments harness, an hour after the refunds were asked for. */
function reconciler(harness: Harness) {
  const topups = new InMemoryTopups(harness.ledger);
  const deps: ReconcileDeps = {
    waits: new InMemoryProviderWaits(topups, harness.payments),
    provider: harness.provider,
    topups,
    payments: harness.payments,
    ledger: harness.ledger,
    workflows: harness.workflows,
    clock: harness.clock,
    ...(harness.deps.merchantLedger === undefined ? {} : { merchantLedger: harness.deps.merchantLedger }),
  };
  return () => {
    harness.clock.advance(3_600_000);
    return reconcile(
      { olderThan: new Date(harness.clock.now().getTime() - THRESHOLD_MS).toISOString(), limit: 100 },
      deps,
    );
  };
}

/** The process dies right after the refund was reserved: the call that would finish it never happens. */
async function killedAfterReserve(harness: Harness, paymentId: string, step: 'settle' | 'provider') {
  const crash = new Error('killed');
  const spy =
    step === 'settle'
      ? jest.spyOn(harness.payments, 'settleRefund').mockRejectedValueOnce(crash)
      : jest.spyOn(harness.provider, 'refund').mockRejectedValueOnce(new ProcessorError({ retryable: true }));
  await expect(refundPayment(command(paymentId), harness.deps)).rejects.toBeDefined();
  spy.mockRestore();
}

describe('Use case: reconcile (refunds left pending)', () => {
  it('finishes a wallet refund killed between reserve and finish: money, succeeded and Refunded once', async () => {
    // Arrange
    const harness = setup();
    const { payment } = await completedWalletPayment(harness);
    await killedAfterReserve(harness, payment.paymentId, 'settle');
    const run = reconciler(harness);
    expect(harness.payments.refunds()).toEqual([expect.objectContaining({ status: 'pending' })]);

    // Act
    const report = await run();
    const again = await run();

    // Assert
    expect(report.items).toEqual([expect.objectContaining({ kind: 'refund', outcome: 'repaired' })]);
    expect(again.examined).toBe(0);
    expect(harness.payments.refunds()).toEqual([expect.objectContaining({ status: 'succeeded' })]);
    expect(stored(harness, payment.paymentId)).toMatchObject({ state: 'Refunded', refundedAmount: PAID });
    expect(await harness.ledger.account(MERCHANT_PENDING_USD.id)).toMatchObject({
      creditsPosted: PAID,
      debitsPosted: PAID,
    });
    expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
  });

  it('finishes a card refund whose provider call never answered, asking the provider once more by its key', async () => {
    // Arrange
    const harness = setup();
    const payment = await harness.pay({ paymentMethod: { type: 'card', id: CARD } });
    await killedAfterReserve(harness, payment.paymentId, 'provider');
    const run = reconciler(harness);

    // Act
    const report = await run();

    // Assert
    expect(report.items).toEqual([expect.objectContaining({ kind: 'refund', outcome: 'repaired' })]);
    const [refund] = harness.payments.refunds();
    expect(refund).toMatchObject({ status: 'succeeded' });
    // The killed call never reached the (fake) provider; reconciliation's did, under the refund's own key.
    expect(harness.provider.calls.filter((call) => call.method === 'refund')).toEqual([
      expect.objectContaining({ idempotencyKey: refund?.refundId }),
    ]);
    expect(stored(harness, payment.paymentId)).toMatchObject({ state: 'Refunded' });
    expect(await harness.ledger.transfer(paymentTransferIds.refund(refund?.refundId ?? ''))).toMatchObject({
      creditAccountId: accounts.providerClearing('stripe', 'USD').id,
    });
  });

  it('asks the provider for a pending card refund and applies what it decided', async () => {
    // Arrange
    const harness = setup();
    const payment = await harness.pay({ paymentMethod: { type: 'card', id: CARD } });
    harness.provider.refundsStartAs('pending');
    const { refund } = await refundPayment(command(payment.paymentId), harness.deps);
    const run = reconciler(harness);
    const stillPending = await run();
    harness.provider.settleRefund(refund.providerRefundId ?? '', 'failed');

    // Act
    const report = await run();

    // Assert
    expect(stillPending.items).toEqual([expect.objectContaining({ outcome: 'still_waiting' })]);
    expect(report.items).toEqual([expect.objectContaining({ kind: 'refund', outcome: 'repaired' })]);
    expect(harness.payments.refunds()).toEqual([expect.objectContaining({ status: 'failed' })]);
    expect(stored(harness, payment.paymentId)).toMatchObject({ state: 'Completed', refundedAmount: 0 });
    expect(await harness.ledger.transfer(paymentTransferIds.refund(refund.refundId))).toBeUndefined();
  });
});
