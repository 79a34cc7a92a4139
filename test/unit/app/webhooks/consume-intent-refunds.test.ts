import type { ProviderEvent, ProviderRefund } from '../../../../shared/app/payments/ports.js';
import { type ConsumeDeps, consumeWebhook } from '../../../../shared/app/webhooks/consume.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { InMemoryDisputes } from '../../../support/fakes/disputes.js';
import { InMemoryPayments } from '../../../support/fakes/payments.js';
import { ScriptedProviderPayments } from '../../../support/fakes/provider-payments.js';
import { InMemoryTopups } from '../../../support/fakes/topups.js';
import { InMemoryWebhookInbox } from '../../../support/fakes/webhook-inbox.js';
import { RecordingWorkflows } from '../../../support/fakes/workflows.js';
import { InMemoryLedger } from '../../../support/in-memory-ledger.js';
import { NOW } from '../payments/harness.js';
import {
  intent,
  memoryIntentRefunds,
  pendingIntentRefund,
  zeroVolumeMerchantLedger,
} from '../refunds/intent-refund-harness.js';

const PROVIDER_PAYMENT = 'pi_provider_1';
const PROVIDER_REFUND = 're_at_provider_1';

async function setup() {
  const clock = fixedClock(NOW);
  const ledger = new InMemoryLedger(() => clock.now());
  const provider = new ScriptedProviderPayments();
  const memory = memoryIntentRefunds();
  await pendingIntentRefund(memory, PROVIDER_REFUND);
  provider.set({
    provider: 'stripe',
    id: PROVIDER_PAYMENT,
    status: 'succeeded',
    amount: intent.amount,
    amountReceived: intent.amount,
    currency: 'USD',
    metadata: { paymentIntentId: intent.intentId, merchantId: intent.merchantId },
  });
  const deps: ConsumeDeps = {
    inbox: new InMemoryWebhookInbox(),
    provider,
    topups: new InMemoryTopups(ledger),
    ledger,
    payments: new InMemoryPayments(ledger),
    workflows: new RecordingWorkflows(),
    disputes: new InMemoryDisputes(ledger),
    clock,
    intentRefunds: {
      intents: { get: async (_tenant, id) => (id === intent.intentId ? intent : undefined) },
      intentRefunds: memory.store,
      merchantLedger: zeroVolumeMerchantLedger,
    },
  };
  return { deps, memory, provider };
}

function atProvider(status: ProviderRefund['status']): ProviderRefund {
  return {
    provider: 'stripe',
    id: PROVIDER_REFUND,
    paymentId: PROVIDER_PAYMENT,
    amount: intent.amount,
    currency: 'usd',
    status,
    metadata: {
      refundId: 're_1',
      paymentIntentId: intent.intentId,
      merchantId: intent.merchantId,
      mode: intent.mode,
    },
  };
}

function event(type: string, id = `evt_${type}`): ProviderEvent {
  return {
    provider: 'stripe',
    id,
    type,
    objectId: PROVIDER_REFUND,
    paymentId: PROVIDER_PAYMENT,
    createdAt: NOW,
    payload: { type },
  };
}

describe('Use case: consumeWebhook (PaymentIntent refund events)', () => {
  it.each(['refund.updated', 'charge.refund.updated'])(
    'succeeds a pending PaymentIntent refund on %s with its money posted once across a duplicate event',
    async (type) => {
      // Arrange
      const { deps, memory, provider } = await setup();
      provider.setRefund(atProvider('succeeded'));

      // Act
      const record = await consumeWebhook(event(type), deps);
      await consumeWebhook(event(type), deps);
      const again = await consumeWebhook(event(type, 'evt_again'), deps);

      // Assert
      expect(record).toMatchObject({
        status: 'processed',
        outcome: 'refund_succeeded',
        subject: { type: 'payment_intent', id: intent.intentId },
      });
      expect(again).toMatchObject({ status: 'processed', outcome: 'refund_succeeded' });
      expect(memory.refunds.get('re_1')?.status).toBe('succeeded');
      expect(memory.posted).toHaveLength(1);
      expect(memory.totals).toEqual({ reserved: 10_000, settled: 10_000 });
    },
  );

  it.each(['failed', 'canceled'] as const)(
    'fails a pending PaymentIntent refund the provider %s: nothing posted, its amount refundable again',
    async (status) => {
      // Arrange
      const { deps, memory, provider } = await setup();
      provider.setRefund(atProvider(status));

      // Act
      const record = await consumeWebhook(event('refund.failed'), deps);

      // Assert
      expect(record).toMatchObject({ status: 'processed', outcome: 'refund_failed' });
      expect(memory.refunds.get('re_1')?.status).toBe('failed');
      expect(memory.posted).toEqual([]);
      expect(memory.totals).toEqual({ reserved: 0, settled: 0 });
    },
  );

  it('leaves a refund the provider still holds pending as it is', async () => {
    // Arrange
    const { deps, memory, provider } = await setup();
    provider.setRefund(atProvider('pending'));

    // Act
    const record = await consumeWebhook(event('refund.updated'), deps);

    // Assert
    expect(record).toMatchObject({ status: 'processed', outcome: 'refund_pending' });
    expect(memory.refunds.get('re_1')?.status).toBe('pending');
    expect(memory.totals).toEqual({ reserved: 10_000, settled: 0 });
  });

  it('notes a provider refund that names no refund of ours, or another tenant, and changes nothing', async () => {
    // Arrange
    const { deps, memory, provider } = await setup();
    const stranger = atProvider('succeeded');
    provider.setRefund({ ...stranger, metadata: { ...stranger.metadata, merchantId: 'mch_other' } });

    // Act
    const record = await consumeWebhook(event('refund.updated'), deps);

    // Assert
    expect(record).toMatchObject({ status: 'processed', outcome: 'refund_noted' });
    expect(memory.refunds.get('re_1')?.status).toBe('pending');
    expect(memory.posted).toEqual([]);
  });
});
