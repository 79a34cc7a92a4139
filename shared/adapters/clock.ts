import type { Clock } from '../app/ports.js';

/** The system clock: what every function wires in as its Clock (tests pass a fixed one instead). */
export const systemClock: Clock = { now: () => new Date() };
