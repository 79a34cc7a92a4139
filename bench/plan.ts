/**
 * How many operations a run makes at each concurrency level. Pure: the command line's `--ops` wins; else a
 * scenario's own plan (a base count, raised so that each slot in flight makes at least `opsPerSlot`), else
 * the defaults here.
 */

/** Operations per level when neither the command line nor the scenario says. */
export const DEFAULT_OPS = 200;
/** Every flow is measured at these levels unless the command line or the scenario says otherwise. */
export const DEFAULT_CONCURRENCY: readonly number[] = [1, 16, 64];
/** `--ops` may ask for at most this many per level. */
export const MAX_OPS = 100_000;

export interface OpsPlan {
  /** Operations per level, at least. */
  ops?: number;
  /** At level c, at least `opsPerSlot × c` operations (rounded up), so high levels are not one burst. */
  opsPerSlot?: number;
}

/**
 * Operations at `concurrency`: `override` (the command line's `--ops`) when given, else
 * max(plan.ops, ⌈plan.opsPerSlot × concurrency⌉), never above MAX_OPS. Throws a RangeError on a
 * concurrency or a count that is not a positive integer, or a negative `opsPerSlot`.
 */
export function opsAtLevel(
  plan: OpsPlan | undefined,
  override: number | undefined,
  concurrency: number,
): number {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  if (override !== undefined) return positive('ops', override);
  const base = positive('ops', plan?.ops ?? DEFAULT_OPS);
  const perSlot = plan?.opsPerSlot ?? 0;
  if (!Number.isFinite(perSlot) || perSlot < 0) {
    throw new RangeError(`opsPerSlot must be a non-negative number, got ${perSlot}`);
  }
  return Math.min(MAX_OPS, Math.max(base, Math.ceil(perSlot * concurrency)));
}

/** `200 at 1, 16; 128 at 64`: a plan in words, levels with the same count grouped. */
export function describePlan(counts: readonly { concurrency: number; ops: number }[]): string {
  const groups: { ops: number; levels: number[] }[] = [];
  for (const { concurrency, ops } of counts) {
    const last = groups.at(-1);
    if (last !== undefined && last.ops === ops) last.levels.push(concurrency);
    else groups.push({ ops, levels: [concurrency] });
  }
  return groups.map((group) => `${group.ops} at ${group.levels.join(', ')}`).join('; ');
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
