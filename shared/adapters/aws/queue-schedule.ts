/**
 * A message sent to an SQS queue later, by an EventBridge Scheduler one-time schedule (`at(…)`, UTC) whose
 * target is the queue and which deletes itself once it has fired. The caller names the schedule after what it
 * carries, so scheduling the same thing again creates nothing more (ConflictException is success).
 * Webhook delivery retries and subscription steps wait this way.
 */
import { ConflictException, CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';

export interface QueueScheduleTarget {
  scheduler: SchedulerClient;
  /** The queue's ARN (the schedules' target) and the role the scheduler sends with. */
  queueArn: string;
  schedulerRoleArn: string;
  scheduleGroup: string;
}

/** Schedules `body` onto the target queue at `at`, once per `name` (≤ 64 of [0-9a-zA-Z-_.]). */
export async function scheduleOntoQueue(
  target: QueueScheduleTarget,
  name: string,
  at: Date,
  body: unknown,
): Promise<void> {
  try {
    await target.scheduler.send(
      new CreateScheduleCommand({
        Name: name,
        GroupName: target.scheduleGroup,
        ScheduleExpression: atExpression(at),
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: {
          Arn: target.queueArn,
          RoleArn: target.schedulerRoleArn,
          Input: JSON.stringify(body),
          RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
        },
      }),
    );
  } catch (error) {
    // Scheduled already under this name (a twin, a redelivered message, a retried request).
    if (error instanceof ConflictException) return;
    throw error;
  }
}

/** `at(yyyy-mm-ddThh:mm:ss)`, rounded up to the whole second so it never fires before `at`. */
export function atExpression(at: Date): string {
  const seconds = new Date(Math.ceil(at.getTime() / 1_000) * 1_000);
  return `at(${seconds.toISOString().slice(0, 19)})`;
}
