/**
 * SQS on this machine: local-aws-sqs serves the SQS API (JSON protocol) with the queues from the same
 * definitions CDK deploys, dead-letter redrive included; every request is counted for the cost model.
 */
import { createServer, type Server } from 'node:http';
import { createRequestHandler } from 'local-aws-sqs';
import { type QueueDefinition, type QueueKey, queueKeys, queues } from '../../shared/infra/queues.js';
import type { Counters } from '../metrics.js';
import { freePort } from '../processes.js';

export const LOCAL_ACCOUNT = '000000000000';
const REGION = 'us-east-1';

export interface RunningSqs {
  endpoint: string;
  urlOf(key: QueueKey): string;
  arnOf(key: QueueKey): string;
  close(): Promise<void>;
}

/**
 * `visibilityTimeoutSeconds` replaces the definitions' timeout locally, so that a failed message comes back
 * after seconds rather than a minute (each ChangeMessageVisibility would count as a receive in
 * local-aws-sqs and shorten the way to the DLQ).
 */
export async function startSqs(counters: Counters, visibilityTimeoutSeconds: number): Promise<RunningSqs> {
  const port = await freePort();
  const arnOf = (key: QueueKey) => `arn:aws:sqs:${REGION}:${LOCAL_ACCOUNT}:${queues[key].name}`;
  const { requestHandler } = createRequestHandler({
    port,
    hostname: '127.0.0.1',
    accountId: LOCAL_ACCOUNT,
    region: REGION,
    emulateQueueCreationLifecycle: false,
    // Dead-letter queues first: a redrive policy may only name a queue that exists.
    queues: [...queueKeys]
      .sort((a, b) => Number(isDeadLetterTarget(b)) - Number(isDeadLetterTarget(a)))
      .map((key) => toInitialQueue(queues[key], visibilityTimeoutSeconds, (dlq) => arnOf(dlq as QueueKey))),
  });
  const server: Server = createServer((req, res) => {
    counters.add('sqsRequests');
    void requestHandler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    urlOf: (key) => `${endpoint}/${LOCAL_ACCOUNT}/${queues[key].name}`,
    arnOf,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function isDeadLetterTarget(key: QueueKey): boolean {
  return queueKeys.some((other) => (queues[other] as QueueDefinition).deadLetter?.queue === key);
}

function toInitialQueue(
  queue: QueueDefinition,
  visibilityTimeoutSeconds: number,
  arnOf: (key: string) => string,
) {
  return {
    QueueName: queue.name,
    Attributes: {
      ...(queue.fifo ? { FifoQueue: 'true' as const } : {}),
      VisibilityTimeout: visibilityTimeoutSeconds,
      MessageRetentionPeriod: queue.retentionSeconds,
      ...(queue.deadLetter === undefined
        ? {}
        : {
            RedrivePolicy: JSON.stringify({
              deadLetterTargetArn: arnOf(queue.deadLetter.queue),
              maxReceiveCount: queue.deadLetter.maxReceiveCount,
            }),
          }),
    },
  };
}
