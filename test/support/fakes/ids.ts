import { randomIds } from '../../../shared/adapters/ids.js';
import type { Ids } from '../../../shared/app/ports.js';

/** `next` counts per prefix (`tw_1`, `tw_2`, ...); `derive` is the production derivation, a pure function. */
export function sequentialIds(): Ids {
  const counters = new Map<string, number>();
  return {
    next: (prefix) => {
      const n = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, n);
      return `${prefix}${n}`;
    },
    derive: randomIds.derive,
  };
}
