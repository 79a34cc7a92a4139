/**
 * What a benchmark scenario is. Two kinds:
 * - `http`: how to prepare it, and one operation against the running local stack's HTTP API; the harness
 *   runs it at each concurrency level and reads the counters.
 * - `stack`: a scenario that needs more than the HTTP API (for example the DynamoDB endpoints, to compare a
 *   use case with raw engine calls). It gets the running stack and the run options, drives its own runs
 *   (with the harness's `measure` for the counted ones), and may add sections and notes to the report.
 */
import type { LocalEnv } from '../local/config.js';
import type { BenchStack, RunResult, StackKind } from './harness.js';
import type { OpsPlan } from './plan.js';

export interface ScenarioContext {
  /** Base URL of the local HTTP API (loopback). */
  apiUrl: string;
  /** The local stack's configuration (for example LOCAL_JWT_SECRET, to sign dev tokens). */
  env: LocalEnv;
}

/** One operation; `index` runs from 0 to ops - 1. Throws when the answer is not the expected one. */
export type Operation = (index: number) => Promise<void>;

interface ScenarioBase {
  name: string;
  /** One line: what one operation does. */
  description: string;
  /**
   * Used when the command line gives no `--ops` / `--concurrency` (the run's own defaults otherwise): a base
   * count per level, raised to `opsPerSlot` per operation in flight at the higher levels.
   */
  defaults?: OpsPlan & { concurrency?: readonly number[] };
}

export interface HttpScenario extends ScenarioBase {
  kind: 'http';
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

export interface StackRunOptions {
  /** Measured operations of the run at `concurrency` (one of `concurrency` below). */
  opsAt(concurrency: number): number;
  /** Unmeasured operations before each run. */
  warmup: number;
  /** Every concurrency level to run, in order. */
  concurrency: readonly number[];
  /** One line of progress (stderr). */
  progress(line: string): void;
  /** Entries of the long history the wallet-history scenario seeds (`--history-entries`; its default otherwise). */
  largeHistory?: number;
}

export interface StackScenario extends ScenarioBase {
  kind: 'stack';
  /** What must run: the whole local stack (default), or DynamoDB Local alone (much faster to start). */
  needs?: StackKind;
  run(stack: BenchStack, options: StackRunOptions): Promise<ScenarioResult>;
}

export type Scenario = HttpScenario | StackScenario;

// ------------------------------------------------------------------------------- what goes in a report

export type Align = 'left' | 'right';

export interface Table {
  header: string[];
  rows: string[][];
  align: Align[];
}

export type Section = { title: string; table: Table } | { title: string; lines: string[] };

/** One scenario's part of the report. */
export interface ScenarioResult {
  scenario: string;
  description: string;
  /** Counted runs, one per concurrency level: the Load, Counters and Cost tables are built from them. */
  runs: RunResult[];
  /** Printed before the standard tables (a scenario's headline). */
  leadSections?: Section[];
  /** Printed after the standard tables. */
  sections?: Section[];
  /** Scenario-specific notes, printed with the report's notes. */
  notes?: string[];
  /** A few lines for the report's summary (the scenario's headline figures). */
  highlights?: string[];
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
