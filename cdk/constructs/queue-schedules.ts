/**
 * One-time EventBridge Scheduler schedules that bring a message back to one queue: the schedule group, and
 * the role the scheduler sends with, whose one permission is SendMessage to that queue (and the queue key's
 * use that needs). A function that schedules may CreateSchedule in that group only and pass that role only.
 * The long webhook retries (webhook-retry-schedules.ts) and the subscription steps each have one.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PaymentsFunction } from './payments-function.js';

export interface QueueSchedulesProps {
  queue: sqs.IQueue;
  /** The key that encrypts the queue. */
  key: kms.IKey;
  groupName: string;
  /** The variables a scheduling function finds the group, the role and the queue's ARN in. */
  env: { group: string; roleArn: string; queueArn: string };
  /** What the scheduler's role is for (its description). */
  roleDescription: string;
  /** The id of the scheduling function's policy, and why its schedule wildcard is acceptable (cdk-nag). */
  policyId: string;
  wildcardReason: string;
}

export class QueueSchedules extends Construct {
  public readonly groupName: string;
  public readonly role: iam.Role;
  private readonly settings: QueueSchedulesProps;

  constructor(scope: Construct, id: string, props: QueueSchedulesProps) {
    super(scope, id);
    this.settings = props;
    this.groupName = props.groupName;
    new scheduler.CfnScheduleGroup(this, 'Group', { name: this.groupName });
    const { account } = Stack.of(this);
    this.role = new iam.Role(this, 'SchedulerRole', {
      description: props.roleDescription,
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

  /** The schedules' ARN pattern: any schedule of the group (each is a one-time schedule of its own name). */
  get schedulesArn(): string {
    return Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.groupName}/*`,
    });
  }

  /** CreateSchedule in the group and PassRole on the scheduler's role, in a policy of their own. */
  grantScheduling(fn: PaymentsFunction): void {
    const { env, queue, policyId, wildcardReason } = this.settings;
    fn.addEnvironment(env.group, this.groupName);
    fn.addEnvironment(env.roleArn, this.role.roleArn);
    fn.addEnvironment(env.queueArn, queue.queueArn);
    const role = fn.role;
    if (role === undefined) throw new Error('A scheduling function needs a role');
    const policy = new iam.Policy(fn, policyId, {
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
      reason: wildcardReason,
    });
  }
}
