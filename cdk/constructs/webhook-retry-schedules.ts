/**
 * The long webhook retries' EventBridge Scheduler side (queue-schedules.ts): the schedule group, and the
 * role the scheduler sends with, whose one permission is SendMessage to the deliveries queue.
 */
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  WEBHOOK_RETRY_ENV,
  WEBHOOK_RETRY_SCHEDULE_GROUP,
} from '../../shared/infra/webhook-delivery-functions.js';
import { QueueSchedules } from './queue-schedules.js';

export interface WebhookRetrySchedulesProps {
  queue: sqs.IQueue;
  /** The key that encrypts the queue. */
  key: kms.IKey;
}

export class WebhookRetrySchedules extends QueueSchedules {
  constructor(scope: Construct, id: string, props: WebhookRetrySchedulesProps) {
    super(scope, id, {
      ...props,
      groupName: WEBHOOK_RETRY_SCHEDULE_GROUP,
      env: WEBHOOK_RETRY_ENV,
      roleDescription:
        'EventBridge Scheduler: sends a due webhook retry to the deliveries queue, nothing else',
      policyId: 'ScheduleWebhookRetries',
      wildcardReason:
        'Each long webhook retry is a new one-time schedule with a fresh name, in this one group only.',
    });
  }
}
