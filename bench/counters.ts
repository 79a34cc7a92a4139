/** Arithmetic on the resource counters, counter by counter: what the harness and the scenarios compute. */
import { type CounterName, type ResourceCounters, zeroCounters } from '../local/metrics.js';

/** Each counter of `counters` through `map`. */
export function mapCounters(
  counters: ResourceCounters,
  map: (name: CounterName, value: number) => number,
): ResourceCounters {
  return Object.fromEntries(
    (Object.keys(counters) as CounterName[]).map((name) => [name, map(name, counters[name])]),
  ) as unknown as ResourceCounters;
}

/** Counter by counter, `a + b`. */
export function addCounters(a: ResourceCounters, b: ResourceCounters): ResourceCounters {
  const sum = zeroCounters();
  for (const name of Object.keys(sum) as (keyof ResourceCounters)[]) sum[name] = a[name] + b[name];
  return sum;
}
