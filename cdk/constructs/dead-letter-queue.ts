/**
 * The one dead-letter queue recipe: encrypted with the customer-managed key, TLS only, and retained when the
 * stack goes away (what waits in it outlives a deployment: ops read it back or redrive it after a fix). A
 * dead-letter queue has no dead-letter queue of its own; the cdk-nag acknowledgement says whose it is.
 */
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface DeadLetterQueueProps
  extends Pick<sqs.QueueProps, 'queueName' | 'fifo' | 'visibilityTimeout'> {
  /** The data key that encrypts the queue. */
  key: kms.IKey;
  retentionPeriod: Duration;
  /** Whose failures it holds: completes "This queue is itself the …" (e.g. "dead-letter queue of the x queue"). */
  holds: string;
}

export class DeadLetterQueue extends sqs.Queue {
  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    const { key, holds, ...queueProps } = props;
    super(scope, id, {
      ...queueProps,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself the ${holds}.`,
    });
  }
}
