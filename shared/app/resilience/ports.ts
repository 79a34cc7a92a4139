/** The provider resilience ports: where the circuit breakers keep their state. */
import type { BreakerState } from '../../domain/circuit-breaker.js';

/**
 * Where a circuit breaker's state lives, shared by every invocation. Writes are atomic (an added failure is
 * never lost to a concurrent one) or conditional on `openedAt` as read, so of concurrent callers exactly
 * one opens the breaker, claims its half-open trial, or closes it.
 */
export interface BreakerStore {
  /** The breaker's state (closed with no failures when never written); may be up to a second old. */
  read(breaker: string): Promise<BreakerState>;
  /** Adds one consecutive failure, atomically; the state after it. */
  addFailure(breaker: string): Promise<BreakerState>;
  /** Sets `openedAt` to `at` only while it is still `expected` (undefined: closed); true if this write did. */
  open(breaker: string, expected: number | undefined, at: number): Promise<boolean>;
  /** Closes (no failures, no `openedAt`) only while `openedAt` is still `expected`; true if this write did. */
  close(breaker: string, expected: number | undefined): Promise<boolean>;
}
