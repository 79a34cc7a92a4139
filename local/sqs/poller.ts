/**
 * The SQS event source mapping, locally: polls a queue, hands batches to the consumer function as an
 * SQSEvent, deletes what succeeded and leaves the rest to come back, honouring `batchItemFailures`.
 * After maxReceiveCount receives the queue's redrive policy moves a message to its DLQ.
 *
 * A failed message is simply not deleted: it comes back when the queue's visibility timeout ends (locally
 * the queues are created with a short one, see queues.ts). The poller handles one batch at a time, so a
 * message never reaches two invocations at once.
 */
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { LocalLambda } from '../lambda.js';

export interface MappingOptions {
  client: SQSClient;
  queueUrl: string;
  queueArn: string;
  fifo: boolean;
  fn: string;
  batchSize: number;
  lambda: LocalLambda;
  idleDelayMs?: number;
}

export class EventSourceMapping {
  #running = false;
  #loop: Promise<void> | undefined;

  constructor(private readonly options: MappingOptions) {}

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#poll();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }

  /** Receives one batch and delivers it; returns how many messages it received. */
  async pollOnce(): Promise<number> {
    const { client, queueUrl, batchSize } = this.options;
    const { Messages: messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: batchSize,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
        // local-aws-sqs only honours the older parameter; AWS accepts both.
        AttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    if (messages.length === 0) return 0;
    const failed = await this.#deliver(messages);
    await this.#settle(messages, failed);
    return messages.length;
  }

  async #poll(): Promise<void> {
    while (this.#running) {
      let received = 0;
      try {
        received = await this.pollOnce();
      } catch {
        // The queue endpoint went away (shutdown) or hiccuped: back off and try again while running.
      }
      if (received === 0)
        await new Promise((resolve) => setTimeout(resolve, this.options.idleDelayMs ?? 100));
    }
  }

  async #deliver(messages: readonly Message[]): Promise<Set<string>> {
    const event: SQSEvent = { Records: messages.map((message) => this.#record(message)) };
    const allIds = new Set(messages.map((m) => m.MessageId ?? ''));
    let result: unknown;
    try {
      result = await this.options.lambda.invoke(this.options.fn, event);
    } catch {
      return allIds;
    }
    const failures = (result as Partial<SQSBatchResponse> | undefined)?.batchItemFailures;
    if (!Array.isArray(failures)) return new Set();
    const failed = new Set(failures.map((failure) => failure.itemIdentifier));
    // A malformed report fails the whole batch, as AWS does.
    if ([...failed].some((id) => !allIds.has(id))) return allIds;
    return this.options.fifo ? this.#withLaterMessagesOfFailedGroups(messages, failed) : failed;
  }

  // FIFO: once a message of a group fails, the later messages of that group must not overtake it.
  #withLaterMessagesOfFailedGroups(messages: readonly Message[], failed: Set<string>): Set<string> {
    const blockedGroups = new Set<string>();
    const result = new Set<string>();
    for (const message of messages) {
      const id = message.MessageId ?? '';
      const group = message.Attributes?.MessageGroupId ?? '';
      if (failed.has(id) || blockedGroups.has(group)) {
        result.add(id);
        blockedGroups.add(group);
      }
    }
    return result;
  }

  async #settle(messages: readonly Message[], failed: Set<string>): Promise<void> {
    const done = messages.filter((m) => !failed.has(m.MessageId ?? ''));
    if (done.length === 0) return;
    await this.options.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: this.options.queueUrl,
        Entries: done.map((m, index) => ({ Id: String(index), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }

  #record(message: Message): SQSRecord {
    const attributes = message.Attributes ?? {};
    return {
      messageId: message.MessageId ?? '',
      receiptHandle: message.ReceiptHandle ?? '',
      body: message.Body ?? '',
      attributes: {
        ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
        SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
        SenderId: attributes.SenderId ?? 'local',
        ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
        ...(attributes.MessageGroupId === undefined ? {} : { MessageGroupId: attributes.MessageGroupId }),
        ...(attributes.MessageDeduplicationId === undefined
          ? {}
          : { MessageDeduplicationId: attributes.MessageDeduplicationId }),
        ...(attributes.SequenceNumber === undefined ? {} : { SequenceNumber: attributes.SequenceNumber }),
      },
      messageAttributes: Object.fromEntries(
        Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
          name,
          {
            dataType: value.DataType ?? 'String',
            ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
          },
        ]),
      ),
      md5OfBody: message.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: this.options.queueArn,
      awsRegion: 'us-east-1',
    };
  }
}
