/** What a benchmark scenario is: how to prepare it, and one operation against the running local stack. */
import type { LocalEnv } from '../local/config.js';

export interface ScenarioContext {
  /** Base URL of the local HTTP API (loopback). */
  apiUrl: string;
  /** The local stack's configuration (for example LOCAL_JWT_SECRET, to sign dev tokens). */
  env: LocalEnv;
}

/** One operation; `index` runs from 0 to ops - 1. Throws when the answer is not the expected one. */
export type Operation = (index: number) => Promise<void>;

export interface Scenario {
  name: string;
  /** One line: what one operation does. */
  description: string;
  /**
   * Runs once before the measured run (and before the counters are reset): create users, seed wallets,
   * sign tokens. Returns the operation to measure.
   */
  prepare(context: ScenarioContext): Promise<Operation>;
  /**
   * Longest wait, after the last operation answered, for asynchronous work it started (event targets,
   * workflows) to finish before the counters are read. The harness stops waiting as soon as the counters
   * stop moving. Default 2000 ms.
   */
  settleMs?: number;
}

/** Fails an operation on an unexpected HTTP status, with the start of the body to say why. */
export async function expectStatus(response: Response, expected: number, what: string): Promise<void> {
  if (response.status === expected) {
    await response.arrayBuffer();
    return;
  }
  const body = (await response.text()).slice(0, 300);
  throw new Error(`${what}: expected HTTP ${expected}, got ${response.status}: ${body}`);
}
