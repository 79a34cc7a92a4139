/**
 * The alarms of the service and the one topic they notify (encrypted with the data key). Every alarm fires on
 * the first occurrence: a message waiting in a dead-letter queue, a failed execution, a 5xx answer. Missing data
 * means nothing happened.
 */
import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

const ANY_AT_ALL = {
  threshold: 0,
  comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  evaluationPeriods: 1,
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
};

const ONE_MINUTE_MAXIMUM = { period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM };
const FIVE_MINUTE_SUM = { period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM };

export interface ServiceAlarmsProps {
  /** The data key that encrypts the topic. */
  key: kms.IKey;
}

export class ServiceAlarms extends Construct {
  public readonly topic: sns.Topic;
  private readonly action: cloudwatchActions.SnsAction;

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Tween Payments alarms',
      masterKey: props.key,
      enforceSSL: true,
    });
    this.action = new cloudwatchActions.SnsAction(this.topic);
  }

  /** A message is visible in the (dead-letter) queue: one-minute maxima. */
  onMessagesWaiting(id: string, queue: sqs.IQueue, description: string): void {
    this.alarm(id, description, queue.metricApproximateNumberOfMessagesVisible(ONE_MINUTE_MAXIMUM));
  }

  /** An execution of the state machine failed: five-minute sums. */
  onExecutionsFailed(id: string, machine: sfn.IStateMachine, description: string): void {
    this.alarm(id, description, machine.metricFailed(FIVE_MINUTE_SUM));
  }

  /** The HTTP API answered with a 5xx: five-minute sums. */
  onServerErrors(id: string, api: apigw.HttpApi, description: string): void {
    this.alarm(id, description, api.metricServerError(FIVE_MINUTE_SUM));
  }

  private alarm(id: string, alarmDescription: string, metric: cloudwatch.IMetric): void {
    new cloudwatch.Alarm(this, id, { ...ANY_AT_ALL, alarmDescription, metric }).addAlarmAction(this.action);
  }
}
