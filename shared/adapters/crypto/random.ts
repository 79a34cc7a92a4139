import { randomInt } from 'node:crypto';
import type { RandomInt } from '../../domain/gift.js';

/** Uniform integers in [min, max] from the operating system's CSPRNG (node:crypto, rejection-sampled). */
export const secureRandomInt: RandomInt = (min, max) => randomInt(min, max + 1);
