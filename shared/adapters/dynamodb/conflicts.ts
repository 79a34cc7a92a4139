/**
 * Transactions that touch the same item at the same moment are cancelled with `TransactionConflict`; they
 * are retried with full-jitter exponential backoff. Business failures (a condition that does not hold) are
 * not retried: the caller turns them into domain errors.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { fullJitterDelay } from '../../domain/backoff.js';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultConflictRetry: RetryPolicy = { attempts: 12, baseDelayMs: 8, maxDelayMs: 400 };

export function isTransactionConflict(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict')
  );
}

export async function retryOnConflict<T>(
  work: () => Promise<T>,
  policy: RetryPolicy = defaultConflictRetry,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!isTransactionConflict(error) || attempt >= policy.attempts) throw error;
      await fullJitter(attempt, policy);
    }
  }
}

/**
 * Waits out the full-jitter backoff after failed attempt `attempt`: a random time below
 * min(max, base · 2^attempt), that is the domain's ceiling for retry `attempt + 1`.
 */
export function fullJitter(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
): Promise<void> {
  const delayMs = fullJitterDelay(attempt + 1, { baseMs: policy.baseDelayMs, maxMs: policy.maxDelayMs });
  return new Promise((resolve) => setTimeout(resolve, delayMs));
}
