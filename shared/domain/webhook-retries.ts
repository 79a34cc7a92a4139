/**
 * When a webhook delivery is tried again, and when an endpoint is given up on. A delivery is attempted at
 * once, then after each wait of the retry schedule (`WEBHOOK_RETRY_SCHEDULE`, seconds between attempts);
 * after the last it is `failed`. An endpoint whose deliveries have failed with no success for 5 days (its
 * `failingSince`) is disabled and its owner told. Pure: the clock and the settings come in.
 */
import { ValidationError } from './errors.js';
import type { WebhookEndpoint } from './webhook-events.js';

/** 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (API.md): eight attempts over about 27.6 hours. */
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE = '5,300,1800,7200,18000,36000,36000';

/** How long an endpoint may fail with no success before it is disabled (5 days). */
export const DEFAULT_WEBHOOK_DISABLE_AFTER_SECONDS = 5 * 86_400;

/** `WEBHOOK_RETRY_SCHEDULE`: comma-separated whole seconds between attempts, e.g. `5,300,1800`. */
export function parseRetrySchedule(text: string): number[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  return trimmed.split(',').map((part) => {
    const value = part.trim();
    if (!/^[0-9]{1,7}$/.test(value)) {
      throw new ValidationError(`WEBHOOK_RETRY_SCHEDULE: bad wait ${JSON.stringify(part)}`);
    }
    return Number(value);
  });
}

/** The most attempts a delivery gets: the first and one after each wait of the schedule. */
export function maxAttempts(schedule: readonly number[]): number {
  return schedule.length + 1;
}

/**
 * When the attempt after `attemptsMade` attempts is due, or undefined when the schedule is spent and the
 * delivery has failed. A resend continues the count past the schedule: it is one attempt, never retried.
 */
export function nextAttemptAt(
  schedule: readonly number[],
  attemptsMade: number,
  attemptedAt: Date,
): Date | undefined {
  const wait = schedule[attemptsMade - 1];
  if (attemptsMade < 1 || wait === undefined) return undefined;
  return new Date(attemptedAt.getTime() + wait * 1_000);
}

/** Whether a receiver's answer acknowledges the delivery (2xx; a 3xx is never followed, so it fails). */
export function isAcknowledged(statusCode: number | undefined): boolean {
  return statusCode !== undefined && statusCode >= 200 && statusCode < 300;
}

/**
 * Whether an enabled endpoint that has just failed again has now been failing long enough to be disabled:
 * its first failure with no success since (`failingSince`) is at least `disableAfterSeconds` old.
 */
export function shouldDisable(endpoint: WebhookEndpoint, now: Date, disableAfterSeconds: number): boolean {
  if (endpoint.status !== 'enabled' || endpoint.failingSince === undefined) return false;
  const since = Date.parse(endpoint.failingSince);
  return !Number.isNaN(since) && now.getTime() - since >= disableAfterSeconds * 1_000;
}
