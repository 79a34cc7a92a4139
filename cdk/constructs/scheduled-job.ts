/**
 * A function run on a fixed rate by EventBridge Scheduler. The scheduler invokes asynchronously: its own retries
 * cover a delivery that fails, Lambda's cover a run that throws, and both end in one dead-letter queue. A run
 * older than the period is superseded by the next one, so a missed run costs nothing.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue.js';
import type { PaymentsFunction } from './payments-function.js';

export interface ScheduledJobProps {
  /** What the job is called in descriptions ("the reconciler"). */
  name: string;
  fn: PaymentsFunction;
  /** How often the job runs. */
  period: Duration;
  /** The schedule's description. */
  description: string;
  /** Whose failures the dead-letter queue holds (see `DeadLetterQueueProps.holds`). */
  deadLetterHolds: string;
  /** The data key that encrypts the dead-letter queue. */
  key: kms.IKey;
  /** How often the scheduler retries a delivery. */
  deliveryRetryAttempts: number;
  /** Lambda's retries of a run that throws. */
  runRetry: { retryAttempts: number; maxEventAge: Duration };
}

export class ScheduledJob extends Construct {
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);
    const { fn } = props;
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', {
      key: props.key,
      retentionPeriod: Duration.days(14),
      holds: props.deadLetterHolds,
    });
    fn.sendFailedEventsTo(this.deadLetterQueue, props.runRetry);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: `EventBridge Scheduler: invokes the ${props.name}, dead-letters what it cannot deliver`,
    });
    // The dead-letter queue is encrypted with the customer-managed key: sending needs a data key.
    props.key.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
    new scheduler.Schedule(this, 'Schedule', {
      description: props.description,
      schedule: scheduler.ScheduleExpression.rate(props.period),
      target: new schedulerTargets.LambdaInvoke(fn, {
        role,
        input: scheduler.ScheduleTargetInput.fromObject({}),
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: props.deliveryRetryAttempts,
        // A run older than the period is superseded by the next one.
        maxEventAge: props.period,
      }),
    });
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (policy === undefined) throw new Error(`The ${id} role has no default policy to acknowledge`);
    const functionId = Stack.of(this).getLogicalId(fn.node.defaultChild as lambda.CfnFunction);
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      reason: `Lambda's invoke grant covers the ${props.name}'s own versions and aliases, and nothing else.`,
    });
  }
}
