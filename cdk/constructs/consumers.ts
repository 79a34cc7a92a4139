/**
 * The functions that consume a queue or the table stream: event source mappings from the catalogues
 * (`shared/infra/queues`, `shared/infra/table`), each failure ending in a dead-letter queue.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionName } from '../../shared/infra/functions.js';
import { type QueueKey, queueDefinition, queueKeys } from '../../shared/infra/queues.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { pascalCase } from '../lib/naming.js';
import { DeadLetterQueue } from './dead-letter-queue.js';

/**
 * A queue with a consumer gets an event source mapping that reports partial batch failures; what keeps failing
 * goes to the queue's own dead-letter queue (its redrive policy, in the stateful stack).
 */
export function connectQueueConsumers(
  functions: Readonly<Record<FunctionName, lambda.IFunction>>,
  queues: Readonly<Record<QueueKey, sqs.IQueue>>,
): void {
  for (const key of queueKeys) {
    const consumer = queueDefinition(key).consumer;
    if (!consumer) continue;
    functions[consumer.fn].addEventSource(
      new SqsEventSource(queues[key], {
        batchSize: consumer.batchSize,
        reportBatchItemFailures: consumer.reportBatchItemFailures,
      }),
    );
  }
}

export interface TableStreamConsumerProps {
  table: dynamodb.Table;
  /** The data key that encrypts the dead-letter queue. */
  key: kms.IKey;
  functions: Readonly<Record<FunctionName, lambda.IFunction>>;
}

/**
 * The table stream's consumer (the outbox relay): only the records its filter matches reach the function; a
 * record it reports failed is retried from there (the records before it are checkpointed), in a batch halved
 * at each failure, and after the bounded retries its batch is reported to a dead-letter queue (with an alarm).
 * Binding the event source grants the function read access to the stream (and decrypt on the table's key).
 */
export class TableStreamConsumer extends Construct {
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: TableStreamConsumerProps) {
    super(scope, id);
    const consumer = tableDefinition.streamConsumer;
    this.deadLetterQueue = new DeadLetterQueue(this, `${pascalCase(consumer.fn)}StreamDeadLetterQueue`, {
      key: props.key,
      // The reports outlive the stack: ops read the failed records back (stream or outbox item) after a fix.
      retentionPeriod: Duration.seconds(consumer.deadLetterQueue.retentionSeconds),
      holds: `on-failure destination of the ${consumer.fn} table stream mapping`,
    });
    const fn = props.functions[consumer.fn];
    fn.addEventSource(
      // Table's optional tableStreamArn vs ITable's under exactOptionalPropertyTypes: the same object.
      new DynamoEventSource(props.table as dynamodb.ITable, {
        startingPosition: lambda.StartingPosition[consumer.startingPosition],
        batchSize: consumer.batchSize,
        maxBatchingWindow: Duration.seconds(consumer.maxBatchingWindowSeconds),
        filters: [lambda.FilterCriteria.filter(consumer.filter)],
        reportBatchItemFailures: consumer.reportBatchItemFailures,
        bisectBatchOnError: consumer.bisectBatchOnError,
        retryAttempts: consumer.retryAttempts,
        maxRecordAge: Duration.seconds(consumer.maxRecordAgeSeconds),
        onFailure: new SqsDlq(this.deadLetterQueue),
      }),
    );
    // SqsDlq grants the function sending to the encrypted queue, which brings the key's data-key variants.
    const policy = fn.role?.node.tryFindChild('DefaultPolicy');
    if (policy === undefined) throw new Error(`${consumer.fn} has no default policy to acknowledge`);
    for (const action of ['kms:ReEncrypt*', 'kms:GenerateDataKey*']) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason:
          'Envelope encryption with the one customer-managed key needs every data-key and re-encrypt variant.',
      });
    }
  }
}
