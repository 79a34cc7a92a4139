/**
 * Per-caller request limits (API.md: `USER_RATE_LIMIT_PER_MINUTE`): the port the HTTP pipeline counts
 * through, so the counting store can be swapped (DynamoDB deployed, a fake in unit tests).
 */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one request of `subject` on `operation`; refuses it, without counting, once the window is full. */
  take(subject: string, operation: string): Promise<RateDecision>;
}
