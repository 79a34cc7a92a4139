/** An in-memory BreakerStore with the same atomic and conditional semantics as the DynamoDB one. */
import type { BreakerStore } from '../../shared/app/resilience/ports.js';
import { type BreakerState, CLOSED_BREAKER } from '../../shared/domain/circuit-breaker.js';

export class InMemoryBreakerStore implements BreakerStore {
  readonly #states = new Map<string, BreakerState>();
  /** Every write, in order, for assertions. */
  readonly writes: { op: 'addFailure' | 'open' | 'close'; won: boolean }[] = [];

  state(breaker: string): BreakerState {
    return { ...(this.#states.get(breaker) ?? CLOSED_BREAKER) };
  }

  set(breaker: string, state: BreakerState): void {
    this.#states.set(breaker, { ...state });
  }

  async read(breaker: string): Promise<BreakerState> {
    return this.state(breaker);
  }

  async addFailure(breaker: string): Promise<BreakerState> {
    const current = this.state(breaker);
    const next = { ...current, failures: current.failures + 1 };
    this.#states.set(breaker, next);
    this.writes.push({ op: 'addFailure', won: true });
    return { ...next };
  }

  async open(breaker: string, expected: number | undefined, at: number): Promise<boolean> {
    const current = this.state(breaker);
    const won = current.openedAt === expected;
    if (won) this.#states.set(breaker, { failures: current.failures, openedAt: at });
    this.writes.push({ op: 'open', won });
    return won;
  }

  async close(breaker: string, expected: number | undefined): Promise<boolean> {
    const won = this.state(breaker).openedAt === expected;
    if (won) this.#states.set(breaker, CLOSED_BREAKER);
    this.writes.push({ op: 'close', won });
    return won;
  }
}
