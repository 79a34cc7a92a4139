import { ingestWebhook } from '../../../../shared/app/webhooks/ingest.js';
import { WebhookSignatureError } from '../../../../shared/domain/provider-errors.js';
import { FAKE_WEBHOOK_HEADERS, FakePaymentProvider } from '../../../support/fakes/payment-provider.js';
import { RecordingWebhookQueue } from '../../../support/fakes/webhook-queue.js';

function setup() {
  const queue = new RecordingWebhookQueue();
  return { queue, deps: { verifier: new FakePaymentProvider(), queue } };
}

function body(type = 'payment_intent.succeeded', id = 'evt_1'): string {
  return JSON.stringify({ id, type, objectId: 'pi_1', createdAt: '2026-03-01T12:00:00.000Z', payload: {} });
}

describe('Use case: ingestWebhook', () => {
  it('queues the verified event in its object group, deduplicated by its inbox id', async () => {
    // Arrange
    const { queue, deps } = setup();

    // Act
    const result = await ingestWebhook(body(), FAKE_WEBHOOK_HEADERS, deps);

    // Assert
    expect(result).toEqual({ eventId: 'stripe:evt_1', queued: true });
    expect(queue.sent).toEqual([
      {
        event: expect.objectContaining({ id: 'evt_1', type: 'payment_intent.succeeded', objectId: 'pi_1' }),
        groupId: 'pi_1',
        deduplicationId: 'stripe:evt_1',
      },
    ]);
  });

  it.each([
    ['a forged signature', { 'fake-signature': 'v1=forged' }],
    ['no signature', {}],
  ])('throws WebhookSignatureError and queues nothing for %s', async (_case, signature) => {
    // Arrange
    const { queue, deps } = setup();

    // Act & Assert
    await expect(ingestWebhook(body(), signature, deps)).rejects.toBeInstanceOf(WebhookSignatureError);
    expect(queue.sent).toEqual([]);
  });

  it('acknowledges an event type we do not act on and queues nothing', async () => {
    // Arrange
    const { queue, deps } = setup();

    // Act
    const result = await ingestWebhook(body('payment_intent.created'), FAKE_WEBHOOK_HEADERS, deps);

    // Assert
    expect(result).toEqual({ eventId: 'stripe:evt_1', queued: false });
    expect(queue.sent).toEqual([]);
  });

  it('gives each delivery of an event the same deduplication id, so the queue keeps one', async () => {
    // Arrange
    const { queue, deps } = setup();

    // Act
    for (let attempt = 0; attempt < 5; attempt += 1) await ingestWebhook(body(), FAKE_WEBHOOK_HEADERS, deps);

    // Assert
    expect(queue.sent).toHaveLength(1);
  });
});
