/**
 * The local SQS event source mapping, in process: the real queue definitions served by local-aws-sqs (the
 * FIFO webhooks queue, redriven to its DLQ after 5 receives), polled by EventSourceMapping and handed to a
 * fixture consumer through LocalLambda, as the Lambda service would hand them to the webhook consumer.
 *
 * The queues get a 1 s visibility timeout, so that a failed message comes back after a second. (0 is not an
 * option: local-aws-sqs treats a 0 given at creation as unset and falls back to 30 s.)
 */
import { randomUUID } from 'node:crypto';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { LocalLambda } from '../../local/lambda.js';
import { Counters } from '../../local/metrics.js';
import { EventSourceMapping } from '../../local/sqs/poller.js';
import { type RunningSqs, startSqs } from '../../local/sqs/queues.js';
import { queues } from '../../shared/infra/queues.js';

type Consumer = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

interface Outgoing {
  body: string;
  group: string;
}

interface Sent {
  messageId: string;
  deduplicationId: string;
  sequenceNumber: string | undefined;
}

class ConsumerError extends Error {
  override readonly name = 'ConsumerError';
}

const CONSUMER = 'webhookConsumerFixture';
const VISIBILITY_TIMEOUT_SECONDS = 1;
const MAX_RECEIVE_COUNT = queues.webhooks.deadLetter.maxReceiveCount;

/** Polls until `probe` answers something other than undefined, or fails after `timeoutMs`. */
async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  what = 'the condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('Mapping: local SQS event source on the FIFO webhooks queue', () => {
  const counters = new Counters();
  const lambda = new LocalLambda(counters);
  /** Every batch the consumer was handed, in order. */
  const deliveries: SQSRecord[][] = [];
  let consumer: Consumer = async () => undefined;
  let sqs: RunningSqs;
  let client: SQSClient;
  let queueUrl: string;
  let mapping: EventSourceMapping | undefined;

  beforeAll(async () => {
    lambda.register(CONSUMER, {
      memoryMb: 128,
      timeoutSeconds: 10,
      load: async () => async (event: unknown) => {
        const sqsEvent = event as SQSEvent;
        deliveries.push(sqsEvent.Records);
        return consumer(sqsEvent);
      },
    });
    sqs = await startSqs(counters, VISIBILITY_TIMEOUT_SECONDS);
    queueUrl = sqs.urlOf('webhooks');
    client = new SQSClient({
      endpoint: sqs.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  });

  beforeEach(() => {
    deliveries.length = 0;
    consumer = async () => undefined;
  });

  afterEach(async () => {
    await mapping?.stop();
    mapping = undefined;
  });

  afterAll(async () => {
    client.destroy();
    await sqs.close();
  });

  function startMapping(): void {
    mapping = new EventSourceMapping({
      client,
      queueUrl,
      queueArn: sqs.arnOf('webhooks'),
      fifo: queues.webhooks.fifo,
      fn: CONSUMER,
      batchSize: 10,
      lambda,
      idleDelayMs: 10,
    });
    mapping.start();
  }

  /** Sends the messages in one batch, in order; answers what SQS assigned to each, by body. */
  async function send(messages: readonly Outgoing[]): Promise<Map<string, Sent>> {
    const deduplicationIds = messages.map(() => randomUUID());
    const result = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          MessageBody: message.body,
          MessageGroupId: message.group,
          MessageDeduplicationId: deduplicationIds[index],
        })),
      }),
    );
    expect(result.Failed ?? []).toEqual([]);
    const sent = new Map<string, Sent>();
    for (const entry of result.Successful ?? []) {
      const index = Number(entry.Id);
      const message = messages[index];
      const deduplicationId = deduplicationIds[index];
      if (message === undefined || entry.MessageId === undefined || deduplicationId === undefined) continue;
      sent.set(message.body, {
        messageId: entry.MessageId,
        deduplicationId,
        sequenceNumber: entry.SequenceNumber,
      });
    }
    expect(sent.size).toBe(messages.length);
    return sent;
  }

  async function depth(url = queueUrl): Promise<{ visible: number; inFlight: number }> {
    const { Attributes: attributes = {} } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return {
      visible: Number(attributes.ApproximateNumberOfMessages),
      inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible),
    };
  }

  /** Waits until the queue holds nothing, visible or in flight. */
  async function drained(url = queueUrl): Promise<void> {
    await waitFor(
      async () => {
        const { visible, inFlight } = await depth(url);
        return visible === 0 && inFlight === 0 ? true : undefined;
      },
      10_000,
      'the queue to drain',
    );
  }

  function bodies(batch: readonly SQSRecord[] | undefined): string[] {
    return (batch ?? []).map((record) => record.body);
  }

  function timesDelivered(body: string): number {
    return deliveries.flat().filter((record) => record.body === body).length;
  }

  /** The ApproximateReceiveCount of each delivery of `body`, in order. */
  function receiveCounts(body: string): string[] {
    return deliveries
      .flat()
      .filter((record) => record.body === body)
      .map((record) => record.attributes.ApproximateReceiveCount);
  }

  function failuresFor(event: SQSEvent, failing: (record: SQSRecord) => boolean): SQSBatchResponse {
    return {
      batchItemFailures: event.Records.filter(failing).map((record) => ({
        itemIdentifier: record.messageId,
      })),
    };
  }

  /** A consumer that reports each of the given bodies as failed the first time it sees it, and only then. */
  function failingOnceOn(...failing: string[]): Consumer {
    const failed = new Set<string>();
    return async (event) =>
      failuresFor(event, (record) => {
        if (!failing.includes(record.body) || failed.has(record.body)) return false;
        failed.add(record.body);
        return true;
      });
  }

  describe('Scenario: HappyPath', () => {
    it('delivers the batch as an SQSEvent with its FIFO attributes and deletes every message when the consumer succeeds', async () => {
      // Arrange
      const run = randomUUID();
      const sent = await send([
        { body: `a-${run}`, group: `A-${run}` },
        { body: `b-${run}`, group: `B-${run}` },
      ]);
      const a = sent.get(`a-${run}`);
      const b = sent.get(`b-${run}`);

      // Act
      startMapping();
      await waitFor(() => (deliveries.length > 0 ? true : undefined), 10_000, 'a delivery');
      await drained();

      // Assert
      expect(deliveries).toHaveLength(1);
      const [first, second] = deliveries[0] ?? [];
      expect(first).toMatchObject({
        messageId: a?.messageId,
        body: `a-${run}`,
        attributes: {
          ApproximateReceiveCount: '1',
          MessageGroupId: `A-${run}`,
          MessageDeduplicationId: a?.deduplicationId,
        },
        eventSource: 'aws:sqs',
        eventSourceARN: sqs.arnOf('webhooks'),
        awsRegion: 'us-east-1',
      });
      expect(first?.receiptHandle).not.toBe('');
      expect(first?.attributes.SequenceNumber).toMatch(/^\d+$/);
      expect(second).toMatchObject({
        messageId: b?.messageId,
        body: `b-${run}`,
        attributes: {
          ApproximateReceiveCount: '1',
          MessageGroupId: `B-${run}`,
          MessageDeduplicationId: b?.deduplicationId,
        },
        eventSource: 'aws:sqs',
        eventSourceARN: sqs.arnOf('webhooks'),
      });
      expect(await depth()).toEqual({ visible: 0, inFlight: 0 });
    });
  });

  describe('Scenario: PartialBatchFailure', () => {
    it('redelivers only the message named in batchItemFailures, with a grown receive count, and deletes the others', async () => {
      // Arrange
      const run = randomUUID();
      const failing = `fail-${run}`;
      await send([
        { body: `ok1-${run}`, group: `A-${run}` },
        { body: failing, group: `B-${run}` },
        { body: `ok2-${run}`, group: `C-${run}` },
      ]);
      consumer = failingOnceOn(failing);

      // Act
      startMapping();
      await waitFor(() => (timesDelivered(failing) >= 2 ? true : undefined), 10_000, 'the redelivery');
      await drained();

      // Assert
      expect(bodies(deliveries[0])).toEqual([`ok1-${run}`, failing, `ok2-${run}`]);
      expect(bodies(deliveries[1])).toEqual([failing]);
      expect(timesDelivered(`ok1-${run}`)).toBe(1);
      expect(timesDelivered(`ok2-${run}`)).toBe(1);
      expect(receiveCounts(failing)).toEqual(['1', '2']);
    });
  });

  describe('Scenario: FifoGroupOrdering', () => {
    it('holds back the later messages of a failed group and redelivers them after it, without redelivering other groups', async () => {
      // Arrange
      const run = randomUUID();
      const [g1, g2, h1] = [`g1-${run}`, `g2-${run}`, `h1-${run}`];
      await send([
        { body: g1, group: `G-${run}` },
        { body: g2, group: `G-${run}` },
        { body: h1, group: `H-${run}` },
      ]);
      consumer = failingOnceOn(g1);

      // Act
      startMapping();
      await waitFor(() => (timesDelivered(g2) >= 2 ? true : undefined), 10_000, 'the redelivery');
      await drained();

      // Assert
      expect(bodies(deliveries[0])).toEqual([g1, g2, h1]);
      expect(timesDelivered(h1)).toBe(1);
      const redelivered = deliveries.slice(1).flatMap((batch) => bodies(batch));
      expect(redelivered).toEqual([g1, g2]);
      expect(receiveCounts(g1)).toEqual(['1', '2']);
      expect(receiveCounts(g2)).toEqual(['1', '2']);
    });
  });

  describe('Scenario: ConsumerCrash', () => {
    it('redelivers the whole batch with a grown receive count when the consumer throws', async () => {
      // Arrange
      const run = randomUUID();
      const sent = [`x-${run}`, `y-${run}`];
      await send([
        { body: `x-${run}`, group: `X-${run}` },
        { body: `y-${run}`, group: `Y-${run}` },
      ]);
      let calls = 0;
      consumer = async () => {
        calls += 1;
        if (calls === 1) throw new ConsumerError('downstream unavailable');
        return { batchItemFailures: [] };
      };

      // Act
      startMapping();
      await waitFor(() => (deliveries.length >= 2 ? true : undefined), 10_000, 'the redelivery');
      await drained();

      // Assert
      expect(deliveries).toHaveLength(2);
      expect(bodies(deliveries[0])).toEqual(sent);
      expect(bodies(deliveries[1])).toEqual(sent);
      expect(deliveries[0]?.map((record) => record.attributes.ApproximateReceiveCount)).toEqual(['1', '1']);
      expect(deliveries[1]?.map((record) => record.attributes.ApproximateReceiveCount)).toEqual(['2', '2']);
    });
  });

  describe('Scenario: MalformedBatchResponse', () => {
    it('redelivers the whole batch when batchItemFailures names a message that was not in it', async () => {
      // Arrange
      const run = randomUUID();
      const sent = [`m-${run}`, `n-${run}`];
      await send([
        { body: `m-${run}`, group: `M-${run}` },
        { body: `n-${run}`, group: `N-${run}` },
      ]);
      let calls = 0;
      consumer = async () => {
        calls += 1;
        return calls === 1 ? { batchItemFailures: [{ itemIdentifier: `unknown-${run}` }] } : undefined;
      };

      // Act
      startMapping();
      await waitFor(() => (deliveries.length >= 2 ? true : undefined), 10_000, 'the redelivery');
      await drained();

      // Assert
      expect(deliveries).toHaveLength(2);
      expect(bodies(deliveries[1])).toEqual(sent);
      expect(timesDelivered(`m-${run}`)).toBe(2);
      expect(timesDelivered(`n-${run}`)).toBe(2);
    });
  });

  describe('Scenario: PoisonMessage', () => {
    it('delivers a message that always fails maxReceiveCount times, then moves it to the DLQ and empties the main queue', async () => {
      // Arrange
      const run = randomUUID();
      const poison = `poison-${run}`;
      const sent = await send([{ body: poison, group: `P-${run}` }]);
      consumer = async (event) => failuresFor(event, () => true);
      const dlqUrl = sqs.urlOf('webhooksDlq');

      // Act
      startMapping();
      const dead = await waitFor(
        async () => {
          const { Messages: messages = [] } = await client.send(
            new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
          );
          return messages.find((message) => message.Body === poison);
        },
        // One visibility timeout per receive, and some slack.
        (MAX_RECEIVE_COUNT + 5) * VISIBILITY_TIMEOUT_SECONDS * 1000,
        'the message in the DLQ',
      );

      // Assert
      expect(dead.MessageId).toBe(sent.get(poison)?.messageId);
      expect(timesDelivered(poison)).toBe(MAX_RECEIVE_COUNT);
      expect(receiveCounts(poison)).toEqual(
        Array.from({ length: MAX_RECEIVE_COUNT }, (_, index) => String(index + 1)),
      );
      expect(await depth()).toEqual({ visible: 0, inFlight: 0 });
      await client.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: dead.ReceiptHandle }));
      await drained(dlqUrl);
    });
  });
});
