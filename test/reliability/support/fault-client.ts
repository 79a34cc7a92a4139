/**
 * A well-behaved app's client for the fault suite: an answer that says nothing final (no answer at all, a
 * 5xx, 409 IDEMPOTENCY_IN_PROGRESS) is retried after a backoff with the very same request, Idempotency-Key
 * included, a bounded number of times. Every attempt is tallied under the phase of the run it happened in,
 * so 5xx answers can be held to the phase whose faults explain them.
 */
import { type Answer, type RequestOptions, StackClient, sleep, Tally } from './soak-client.js';

export const PHASES = ['setup', 'faults', 'recovery', 'verify'] as const;
export type Phase = (typeof PHASES)[number];

export interface Outcome<T> {
  answer: Answer<T>;
  attempts: number;
  /** False when the last answer still said nothing final: the operation is parked for later. */
  definitive: boolean;
}

export function isFinal(answer: Answer<unknown>): boolean {
  if (answer.status === 0 || answer.status >= 500) return false;
  return !(answer.status === 409 && answer.code === 'IDEMPOTENCY_IN_PROGRESS');
}

export class RetryingClient {
  readonly tallies: Record<Phase, Tally>;
  readonly #clients: Record<Phase, StackClient>;
  phase: Phase = 'setup';

  constructor(baseUrl: string) {
    this.tallies = { setup: new Tally(), faults: new Tally(), recovery: new Tally(), verify: new Tally() };
    // A hung request is abandoned (and retried) well before the API's own limits.
    this.#clients = {
      setup: new StackClient(baseUrl, this.tallies.setup, 30_000),
      faults: new StackClient(baseUrl, this.tallies.faults, 30_000),
      recovery: new StackClient(baseUrl, this.tallies.recovery, 30_000),
      verify: new StackClient(baseUrl, this.tallies.verify, 30_000),
    };
  }

  /** One observing request (a GET), not tallied. */
  read<T = Record<string, unknown>>(path: string, token: string): Promise<Answer<T>> {
    return this.#clients[this.phase].request<T>(undefined, 'GET', path, { token });
  }

  async call<T = Record<string, unknown>>(
    operation: string,
    method: string,
    path: string,
    options: RequestOptions,
    maxAttempts: number,
  ): Promise<Outcome<T>> {
    let answer: Answer<T> = { status: 0, body: {} as T };
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      answer = await this.#clients[this.phase].request<T>(operation, method, path, options);
      if (isFinal(answer)) return { answer, attempts: attempt, definitive: true };
      if (attempt < maxAttempts) await sleep(Math.min(2_000, 150 * 2 ** (attempt - 1)));
    }
    return { answer, attempts: maxAttempts, definitive: false };
  }
}
