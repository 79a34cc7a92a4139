/**
 * Full-jitter exponential backoff (the AWS Architecture Blog's "full jitter"): before retry number `retry`
 * (1, 2, ...) wait a random time in [0, min(maxMs, baseMs · 2^(retry-1))), so retrying callers spread out
 * instead of arriving in waves. Each caller passes its own base, cap and random source.
 */

export interface Backoff {
  /** The ceiling before the first retry; it doubles with each retry after that. */
  baseMs: number;
  /** The ceiling never grows above this. */
  maxMs: number;
}

/** The exclusive upper bound of the wait before retry number `retry` (1, 2, ...). */
export function backoffCeiling(retry: number, backoff: Backoff): number {
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, retry - 1));
}

/** A whole number of milliseconds in [0, backoffCeiling(retry, backoff)), from `random` in [0, 1). */
export function fullJitterDelay(retry: number, backoff: Backoff, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCeiling(retry, backoff));
}
