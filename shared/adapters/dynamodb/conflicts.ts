/**
 * Transactions that touch the same item at the same moment are cancelled with `TransactionConflict`; they
 * are retried with full-jitter exponential backoff. Business failures (a condition that does not hold) are
 * not retried: the caller turns them into domain errors.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

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

/** Full-jitter exponential backoff: waits a random time up to min(max, base · 2^attempt). */
export function fullJitter(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
): Promise<void> {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
