/**
 * The long webhook retries' EventBridge Scheduler side: the schedule group, and the role the scheduler sends
 * with, whose one permission is SendMessage to the deliveries queue (and the queue key's use that needs). A
 * function that schedules retries may CreateSchedule in that group only and pass that role only.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  WEBHOOK_RETRY_ENV,
  WEBHOOK_RETRY_SCHEDULE_GROUP,
} from '../../shared/infra/webhook-delivery-functions.js';
import type { PaymentsFunction } from './payments-function.js';

export interface WebhookRetrySchedulesProps {
  queue: sqs.IQueue;
  /** The key that encrypts the queue. */
  key: kms.IKey;
}

export class WebhookRetrySchedules extends Construct {
  public readonly groupName = WEBHOOK_RETRY_SCHEDULE_GROUP;
  public readonly role: iam.Role;
  private readonly queue: sqs.IQueue;

  constructor(scope: Construct, id: string, props: WebhookRetrySchedulesProps) {
    super(scope, id);
    this.queue = props.queue;
    new scheduler.CfnScheduleGroup(this, 'Group', { name: this.groupName });
    const { account } = Stack.of(this);
    this.role = new iam.Role(this, 'SchedulerRole', {
      description: 'EventBridge Scheduler: sends a due webhook retry to the deliveries queue, nothing else',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.queue.queueArn] }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.key.keyArn],
      }),
    );
  }

  /** The schedules' ARN pattern: any schedule of the group (each retry is a fresh one-time schedule). */
  get schedulesArn(): string {
    return Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.groupName}/*`,
    });
  }

  /** CreateSchedule in the group and PassRole on the scheduler's role, in a policy of their own. */
  grantScheduling(fn: PaymentsFunction): void {
    fn.addEnvironment(WEBHOOK_RETRY_ENV.group, this.groupName);
    fn.addEnvironment(WEBHOOK_RETRY_ENV.roleArn, this.role.roleArn);
    fn.addEnvironment(WEBHOOK_RETRY_ENV.queueArn, this.queue.queueArn);
    const role = fn.role;
    if (role === undefined) throw new Error('A scheduling function needs a role');
    const policy = new iam.Policy(fn, 'ScheduleWebhookRetries', {
      roles: [role],
      statements: [
        new iam.PolicyStatement({ actions: ['scheduler:CreateSchedule'], resources: [this.schedulesArn] }),
        new iam.PolicyStatement({
          actions: ['iam:PassRole'],
          resources: [this.role.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${this.groupName}/*]`,
      reason: 'Each long webhook retry is a new one-time schedule with a fresh name, in this one group only.',
    });
  }
}
