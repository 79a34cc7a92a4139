/** A counted run for the report's pure parts: only what a test sets differs from a quiet, error-free run. */
import { costPerMillionOperations } from '../../bench/cost.js';
import type { RunResult } from '../../bench/harness.js';
import { type ResourceCounters, zeroCounters } from '../../local/metrics.js';

export function runFixture(
  values: Partial<Omit<RunResult, 'counters' | 'cost'>> & { counters?: Partial<ResourceCounters> } = {},
): RunResult {
  const { counters: counted = {}, ...rest } = values;
  const ops = rest.ops ?? 10;
  const all = { ...zeroCounters(), ...counted };
  return {
    scenario: 'flow',
    description: 'a flow',
    ops,
    concurrency: 1,
    errors: 0,
    elapsedMs: 1_000,
    opsPerSecond: ops,
    latency: { p50: 10, p99: 20, max: 25, mean: 12 },
    backgroundEstimate: zeroCounters(),
    ...rest,
    counters: all,
    cost: costPerMillionOperations(all, ops),
  };
}
