/** The webhook queue (shared/adapters/aws/webhook-queue.ts): records what was sent, drops a deduplication id it has seen. */
import type { ProviderEvent } from '../../../shared/app/payments/ports.js';
import type { WebhookQueue } from '../../../shared/app/webhooks/ports.js';
import { roundTrip } from './round-trip.js';

export interface QueuedEvent {
  event: ProviderEvent;
  groupId: string;
  deduplicationId: string;
}

/** Records what is sent; a deduplication id seen before is dropped, as SQS FIFO does within its window. */
export class RecordingWebhookQueue implements WebhookQueue {
  readonly sent: QueuedEvent[] = [];
  readonly #seen = new Set<string>();

  async enqueue(event: ProviderEvent, deduplicationId: string): Promise<void> {
    await roundTrip();
    if (this.#seen.has(deduplicationId)) return;
    this.#seen.add(deduplicationId);
    this.sent.push({ event: structuredClone(event), groupId: event.objectId, deduplicationId });
  }
}
