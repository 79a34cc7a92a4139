/**
 * Which requests get a fault, for the local stack's fault injection (the Stripe server's flaky mode, the
 * DynamoDB fault proxy): each kind of fault has a rate, the fraction of eligible requests it hits, drawn
 * from a seeded generator so a run's pattern follows from its seed. With every rate at 0 (the default) no
 * number is drawn and nothing is injected.
 */
import { z } from 'zod';
import { type Random, seededRandom } from './random.js';

export interface FaultSettings<K extends string> {
  /** Fraction of eligible requests each kind hits, in [0, 1]; together at most 1. */
  rates: Partial<Record<K, number>>;
  seed: number;
}

export interface FaultSnapshot<K extends string> extends FaultSettings<K> {
  /** Requests a fault was drawn for since the last configure. */
  decisions: number;
  injected: Record<K, number>;
}

export class FaultSettingsError extends Error {
  override readonly name = 'FaultSettingsError';
}

export class FaultPlan<K extends string> {
  readonly #kinds: readonly K[];
  #settings: FaultSettings<K> = { rates: {}, seed: 0 };
  #random: Random = seededRandom(0);
  #decisions = 0;
  #injected: Record<K, number>;

  constructor(kinds: readonly K[]) {
    this.#kinds = kinds;
    this.#injected = zeroes(kinds);
  }

  get enabled(): boolean {
    return this.#kinds.some((kind) => (this.#settings.rates[kind] ?? 0) > 0);
  }

  /** Replaces the settings and restarts the sequence and the counts from the seed. */
  configure(settings: FaultSettings<K>): void {
    let total = 0;
    for (const [kind, rate] of Object.entries(settings.rates) as [string, number | undefined][]) {
      if (!this.#kinds.includes(kind as K)) throw new FaultSettingsError(`Unknown fault kind ${kind}`);
      if (rate === undefined) continue;
      if (!(rate >= 0 && rate <= 1)) throw new FaultSettingsError(`The ${kind} rate must be in [0, 1]`);
      total += rate;
    }
    if (total > 1) throw new FaultSettingsError('The rates must add up to at most 1');
    this.#settings = { rates: { ...settings.rates }, seed: settings.seed };
    this.#random = seededRandom(settings.seed);
    this.#decisions = 0;
    this.#injected = zeroes(this.#kinds);
  }

  /**
   * The fault for the next request, or undefined. Kinds the request is not eligible for keep their share
   * of the draw, so each rate is the fraction of the requests eligible for it.
   */
  draw(eligible: (kind: K) => boolean = () => true): K | undefined {
    if (!this.enabled) return undefined;
    this.#decisions += 1;
    let point = this.#random();
    for (const kind of this.#kinds) {
      const rate = this.#settings.rates[kind] ?? 0;
      if (point < rate) {
        if (!eligible(kind)) return undefined;
        this.#injected[kind] += 1;
        return kind;
      }
      point -= rate;
    }
    return undefined;
  }

  snapshot(): FaultSnapshot<K> {
    return {
      rates: { ...this.#settings.rates },
      seed: this.#settings.seed,
      decisions: this.#decisions,
      injected: { ...this.#injected },
    };
  }
}

/** `{"rates": {...}, "seed"?: n}` from a control route's JSON body; throws FaultSettingsError. */
export function parseFaultSettings<K extends string>(kinds: readonly K[], body: unknown): FaultSettings<K> {
  const schema = z.strictObject({
    rates: z.partialRecord(z.enum(kinds as [K, ...K[]]), z.number().min(0).max(1)),
    seed: z.number().int().min(0).max(0xffffffff).default(1),
  });
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new FaultSettingsError(
      `Expected {"rates": {${kinds.map((kind) => `"${kind}"?: 0..1`).join(', ')}}, "seed"?: integer}`,
    );
  }
  return { rates: parsed.data.rates as Partial<Record<K, number>>, seed: parsed.data.seed };
}

function zeroes<K extends string>(kinds: readonly K[]): Record<K, number> {
  return Object.fromEntries(kinds.map((kind) => [kind, 0])) as Record<K, number>;
}
