/** Runs an operation N times at a given concurrency and times each run. No stack, no I/O of its own. */
import type { Operation } from './scenario.js';

export interface LoadResult {
  /** Latency of each operation that succeeded, in milliseconds. */
  latenciesMs: number[];
  errors: number;
  firstError?: string;
  elapsedMs: number;
}

/**
 * Runs `operation` `ops` times with at most `concurrency` in flight, timing each one. A failed operation
 * is counted (and the first message kept), not retried.
 */
export async function runLoad(operation: Operation, ops: number, concurrency: number): Promise<LoadResult> {
  assertPositiveInteger('ops', ops);
  assertPositiveInteger('concurrency', concurrency);
  const latenciesMs: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;

  const worker = async (): Promise<void> => {
    while (next < ops) {
      const index = next;
      next += 1;
      const started = performance.now();
      try {
        await operation(index);
        latenciesMs.push(performance.now() - started);
      } catch (error) {
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };

  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, ops) }, () => worker()));
  const elapsedMs = performance.now() - started;
  return { latenciesMs, errors, ...(firstError === undefined ? {} : { firstError }), elapsedMs };
}

export function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
}
