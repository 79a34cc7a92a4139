/**
 * The soak's size, from the environment, so a longer run or a failed one's replay needs no code change:
 *
 *   SOAK_SEED=7 SOAK_OPERATIONS=20000 NODE_OPTIONS=--experimental-vm-modules \
 *     npx jest test/reliability/soak.test.ts --selectProjects integration
 *
 * The defaults are the CI size.
 */
import { z } from 'zod';

const positive = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = z.object({
  /** Decides the whole mix: who does what, with how much, in what order it is handed to the workers. */
  SOAK_SEED: z.coerce.number().int().min(0).max(0xffffffff).default(20_261_122),
  SOAK_USERS: positive(50).pipe(z.number().min(3)),
  SOAK_CONCURRENCY: positive(32),
  /** Money operations (top-ups, payment requests, refunds, P2P calls, gift calls); setup is not counted. */
  SOAK_OPERATIONS: positive(2_000),
  /** Rooms every user joins; P2P transfers and gifts happen in them. */
  SOAK_ROOMS: positive(4),
  /**
   * Merchants onboarded to active for the run, each with a live app the mix pays and a live key it reads its
   * balance with (soak-merchants.ts); 0 sends every payment to the seeded fixture app.
   */
  SOAK_MERCHANTS: z.coerce.number().int().min(0).max(20).default(3),
});

export interface SoakConfig {
  seed: number;
  users: number;
  concurrency: number;
  operations: number;
  rooms: number;
  merchants: number;
}

export function readSoakConfig(env: NodeJS.ProcessEnv = process.env): SoakConfig {
  const parsed = schema.parse(env);
  return {
    seed: parsed.SOAK_SEED,
    users: parsed.SOAK_USERS,
    concurrency: parsed.SOAK_CONCURRENCY,
    operations: parsed.SOAK_OPERATIONS,
    rooms: parsed.SOAK_ROOMS,
    merchants: parsed.SOAK_MERCHANTS,
  };
}

/** How to run this exact mix again. */
export function replayHint(config: SoakConfig): string {
  return `SOAK_SEED=${config.seed} SOAK_USERS=${config.users} SOAK_CONCURRENCY=${config.concurrency} SOAK_OPERATIONS=${config.operations} SOAK_ROOMS=${config.rooms} SOAK_MERCHANTS=${config.merchants}`;
}
