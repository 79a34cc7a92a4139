import type { ProviderRefund } from '../../../../shared/app/payments/ports.js';
import type { ProviderWaitList } from '../../../../shared/app/reconciliation/ports.js';
import { type ReconcileDeps, reconcile } from '../../../../shared/app/reconciliation/reconcile.js';
import { intentRefundWaitId } from '../../../../shared/app/refunds/wait-ids.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { InMemoryPayments } from '../../../support/fakes/payments.js';
import { InMemoryTopups } from '../../../support/fakes/topups.js';
import { RecordingWorkflows } from '../../../support/fakes/workflows.js';
import { InMemoryLedger } from '../../../support/in-memory-ledger.js';
import { NOW } from '../payments/harness.js';
import {
  intent,
  memoryIntentRefunds,
  pendingIntentRefund,
  zeroVolumeMerchantLedger,
} from '../refunds/intent-refund-harness.js';

const PROVIDER_REFUND = 're_at_provider_1';
const AN_HOUR_LATER = new Date(Date.parse(NOW) + 3_600_000).toISOString();

/** The reconciliation job an hour after a PaymentIntent refund the processor left pending. */
async function setup(status: ProviderRefund['status'], providerRefundId?: string) {
  const clock = fixedClock(AN_HOUR_LATER);
  const ledger = new InMemoryLedger(() => clock.now());
  const memory = memoryIntentRefunds();
  const reserved = await pendingIntentRefund(memory, PROVIDER_REFUND);
  if (providerRefundId === undefined) {
    const { providerRefundId: _none, ...unanswered } = reserved;
    memory.refunds.set(reserved.refundId, unanswered);
  }
  const asked: string[] = [];
  const answer = (id: string, paymentId: string): ProviderRefund => ({
    provider: 'stripe',
    id,
    paymentId,
    amount: intent.amount,
    currency: 'usd',
    status,
  });
  const waits: ProviderWaitList = {
    waitingBefore: async (kind, before) => ({
      items:
        kind !== 'intent_refund'
          ? []
          : [...memory.refunds.values()]
              .filter((refund) => refund.status === 'pending' && refund.createdAt < before)
              .map((refund) => ({ kind, id: intentRefundWaitId(refund), waitingSince: refund.createdAt })),
    }),
  };
  const deps: ReconcileDeps = {
    waits,
    provider: {
      createPayment: async () => {
        throw new Error('not asked');
      },
      retrievePayment: async () => {
        throw new Error('not asked');
      },
      cancelPayment: async () => {
        throw new Error('not asked');
      },
      refund: async (input) => {
        asked.push(`refund ${input.idempotencyKey}`);
        return answer(PROVIDER_REFUND, input.paymentId);
      },
      retrieveRefund: async (paymentId, refundId) => {
        asked.push(`retrieve ${refundId}`);
        return answer(refundId, paymentId);
      },
    },
    topups: new InMemoryTopups(ledger),
    payments: new InMemoryPayments(ledger),
    ledger,
    workflows: new RecordingWorkflows(),
    clock,
    intentRefunds: {
      intents: { get: async (_tenant, id) => (id === intent.intentId ? intent : undefined) },
      intentRefunds: memory.store,
      merchantLedger: zeroVolumeMerchantLedger,
    },
  };
  const run = () =>
    reconcile({ olderThan: new Date(Date.parse(NOW) + 600_000).toISOString(), limit: 10 }, deps);
  return { run, memory, asked };
}

describe('Use case: reconcile (PaymentIntent refunds)', () => {
  it('finishes a PaymentIntent refund left pending when the processor says it succeeded, posting once', async () => {
    // Arrange
    const { run, memory, asked } = await setup('succeeded', PROVIDER_REFUND);

    // Act
    const first = await run();
    const second = await run();

    // Assert
    expect(first).toMatchObject({ examined: 1, repaired: 1, failed: 0 });
    expect(first.items).toEqual([
      expect.objectContaining({ kind: 'intent_refund', id: 'test.mch_shop.re_1', outcome: 'repaired' }),
    ]);
    expect(second).toMatchObject({ examined: 0 });
    expect(asked).toEqual([`retrieve ${PROVIDER_REFUND}`]);
    expect(memory.refunds.get('re_1')?.status).toBe('succeeded');
    expect(memory.posted).toHaveLength(1);
    expect(memory.totals).toEqual({ reserved: 10_000, settled: 10_000 });
  });

  it('asks again under the refund id for one that never heard back, and releases a failed one', async () => {
    // Arrange
    const { run, memory, asked } = await setup('failed');

    // Act
    const report = await run();

    // Assert
    expect(report).toMatchObject({ examined: 1, repaired: 1 });
    expect(asked).toEqual(['refund re_1']);
    expect(memory.refunds.get('re_1')).toMatchObject({ status: 'failed' });
    expect(memory.posted).toEqual([]);
    expect(memory.totals).toEqual({ reserved: 0, settled: 0 });
  });

  it('leaves one the processor still holds pending for the next run', async () => {
    // Arrange
    const { run, memory } = await setup('pending', PROVIDER_REFUND);

    // Act
    const report = await run();

    // Assert
    expect(report).toMatchObject({ examined: 1, stillWaiting: 1 });
    expect(memory.refunds.get('re_1')?.status).toBe('pending');
  });
});
