/**
 * The outbound webhook deliveries queue (`WEBHOOK_DELIVERY_QUEUE_URL`) as the producer and the resend
 * fill it: one message per DeliveryTask, its JSON as the body, sent in batches of SQS's ten. A batch entry
 * SQS refuses fails the whole call, so the bus redelivers the event and the producer queues again (the
 * delivery's attempt count keeps a twin task from sending twice).
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryTask } from '../../app/webhook-delivery/ports.js';
import type { DeliveryQueue } from '../../app/webhook-endpoints/ports.js';

const BATCH = 10;

export class SqsDeliveryTaskQueue implements DeliveryQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(tasks: readonly DeliveryTask[]): Promise<void> {
    for (let start = 0; start < tasks.length; start += BATCH) {
      const batch = tasks.slice(start, start + BATCH);
      const { Failed: failed = [] } = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((task, index) => ({ Id: String(index), MessageBody: JSON.stringify(task) })),
        }),
      );
      if (failed.length > 0) {
        throw new Error(`SQS refused ${failed.length} delivery task(s): ${failed[0]?.Code ?? 'unknown'}`);
      }
    }
  }
}
