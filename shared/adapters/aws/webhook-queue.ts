/**
 * The webhook queue on SQS FIFO: one message group per provider object (a PaymentIntent's events stay in
 * order), deduplicated by the id the use case gives. The message body is the verified event as JSON; the
 * consumer reads it back with `parseQueuedEvent`.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod/mini';
import '../../zod-locale.js';
import type { ProviderEvent } from '../../app/payments/ports.js';
import type { WebhookQueue } from '../../app/webhooks/ports.js';

export class SqsWebhookQueue implements WebhookQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(event: ProviderEvent, deduplicationId: string): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(event),
        MessageGroupId: event.objectId,
        MessageDeduplicationId: deduplicationId,
      }),
    );
  }
}

const QueuedEvent = z.object({
  provider: z.enum(['stripe', 'paypal']),
  id: z.string().check(z.minLength(1)),
  type: z.string().check(z.minLength(1)),
  objectId: z.string().check(z.minLength(1)),
  paymentId: z.optional(z.string().check(z.minLength(1))),
  details: z.optional(z.record(z.string(), z.union([z.string(), z.number()]))),
  createdAt: z.string(),
  payload: z.unknown(),
});

/** A queued message's body as the event it was sent as; throws for anything else (a poison message). */
export function parseQueuedEvent(body: string): ProviderEvent {
  const parsed = QueuedEvent.parse(JSON.parse(body));
  return {
    provider: parsed.provider,
    id: parsed.id,
    type: parsed.type,
    objectId: parsed.objectId,
    ...(parsed.paymentId === undefined ? {} : { paymentId: parsed.paymentId }),
    ...(parsed.details === undefined ? {} : { details: parsed.details }),
    createdAt: parsed.createdAt,
    payload: parsed.payload,
  };
}
