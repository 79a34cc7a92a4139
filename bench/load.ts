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

/**
 * Splits `ops` operations into `rounds` parts as equal as possible (the first ones one larger), never
 * more parts than operations.
 */
export function splitOps(ops: number, rounds: number): number[] {
  assertPositiveInteger('ops', ops);
  assertPositiveInteger('rounds', rounds);
  const parts = Math.min(ops, rounds);
  const base = Math.floor(ops / parts);
  return Array.from({ length: parts }, (_, index) => base + (index < ops % parts ? 1 : 0));
}

/** One load made of several: latencies and errors added up, the first error kept, elapsed times summed. */
export function mergeLoads(loads: readonly LoadResult[]): LoadResult {
  const firstError = loads.find((load) => load.firstError !== undefined)?.firstError;
  return {
    latenciesMs: loads.flatMap((load) => load.latenciesMs),
    errors: loads.reduce((sum, load) => sum + load.errors, 0),
    ...(firstError === undefined ? {} : { firstError }),
    elapsedMs: loads.reduce((sum, load) => sum + load.elapsedMs, 0),
  };
}

/**
 * Runs several operations `ops` times each at `concurrency`, in `rounds` alternating chunks (round 0 in
 * the given order, round 1 reversed, and so on), so that every operation sees the same drift of a shared
 * machine (a JIT warming up, a neighbour's load). Returns, per operation in order, its load of each round;
 * `mergeLoads` makes one load of them.
 */
export async function runInterleaved(
  operations: readonly Operation[],
  ops: number,
  concurrency: number,
  rounds: number,
): Promise<LoadResult[][]> {
  const chunks = splitOps(ops, rounds);
  const results: LoadResult[][] = operations.map(() => []);
  for (const [round, size] of chunks.entries()) {
    const order = operations.map((_, index) => index);
    if (round % 2 === 1) order.reverse();
    for (const index of order) {
      const operation = operations[index] as Operation;
      results[index]?.push(await runLoad(operation, size, concurrency));
    }
  }
  return results;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
