import type { Clock } from '../../../shared/app/ports.js';

export interface TestClock extends Clock {
  /** Moves time on, so that later writes sort after earlier ones. */
  advance(milliseconds: number): void;
}

/** A clock that stands still at `iso` until a test moves it on. */
export function fixedClock(iso: string): TestClock {
  let current = new Date(iso).getTime();
  if (Number.isNaN(current)) throw new Error(`Not an ISO instant: ${iso}`);
  return {
    now: () => new Date(current),
    advance: (milliseconds) => {
      current += milliseconds;
    },
  };
}
