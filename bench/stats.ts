/** Small, pure statistics for the benchmark: percentiles by the nearest-rank method. */

/**
 * The `p`-th percentile (0–100) of `values` by nearest rank: the smallest value with at least `p`% of the
 * values at or below it. Does not modify `values`; throws on an empty list or a `p` outside 0–100.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of an empty list');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0 and 100, got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export interface LatencySummary {
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarizeLatencies(latenciesMs: readonly number[]): LatencySummary {
  if (latenciesMs.length === 0) throw new RangeError('no latencies to summarize');
  return {
    p50: percentile(latenciesMs, 50),
    p99: percentile(latenciesMs, 99),
    max: percentile(latenciesMs, 100),
    mean: latenciesMs.reduce((sum, value) => sum + value, 0) / latenciesMs.length,
  };
}
