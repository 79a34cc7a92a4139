/**
 * Runs a scenario against the embedded local stack, in this process, over HTTP on loopback: N operations
 * at a given concurrency, with the latency of each, then reads what AWS would have billed from the stack's
 * resource counters. Every loop is bounded by the operation count or a deadline.
 */
import { readLocalEnv } from '../local/config.js';
import type { CounterName, Counters, ResourceCounters } from '../local/metrics.js';
import { type RunningStack, startStack } from '../local/stack.js';
import { type CostBreakdown, costPerMillionOperations } from './cost.js';
import { assertPositiveInteger, runLoad } from './load.js';
import type { Scenario, ScenarioContext } from './scenario.js';
import { type LatencySummary, summarizeLatencies } from './stats.js';

export interface RunOptions {
  /** Measured operations. */
  ops: number;
  /** Operations in flight at once. */
  concurrency: number;
  /** Unmeasured operations first (JIT, connection pool, first-call caches); their counters are discarded. */
  warmup: number;
}

export interface RunResult {
  scenario: string;
  description: string;
  ops: number;
  concurrency: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  opsPerSecond: number;
  latency: LatencySummary;
  /** What the stack counted from the first measured operation until the counters settled. */
  counters: ResourceCounters;
  /** Idle background (per second, measured before any run) times this run's duration: already in `counters`. */
  backgroundEstimate: ResourceCounters;
  cost: CostBreakdown;
}

export interface BenchStack {
  context: ScenarioContext;
  counters: Counters;
  startupMs: number;
  /** What the stack counts per second while nothing is asked of it (for example, queue pollers). */
  idlePerSecond: ResourceCounters;
  stop(): Promise<void>;
}

const IDLE_WINDOW_MS = 1_000;
const QUIET_POLL_MS = 100;
const DEFAULT_SETTLE_MS = 2_000;

/** Starts the local stack in this process, in memory, on free ports, and measures its idle background. */
export async function startBenchStack(): Promise<BenchStack> {
  const env = readLocalEnv({ ...process.env, PORT: '0', POWERTOOLS_LOG_LEVEL: 'ERROR' });
  const stack: RunningStack = await startStack({ env, inMemory: true });
  try {
    const apiUrl = loopbackUrl(stack.apiUrl);
    stack.counters.reset();
    await sleep(IDLE_WINDOW_MS);
    const idle = stack.counters.snapshot();
    const idlePerSecond = mapCounters(idle, (value) => value / (IDLE_WINDOW_MS / 1000));
    return {
      context: { apiUrl, env },
      counters: stack.counters,
      startupMs: stack.startupMs,
      idlePerSecond,
      stop: () => stack.stop(),
    };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

/** Prepares the scenario, warms it up, resets the counters, runs it and reads what it cost. */
export async function runScenario(
  stack: BenchStack,
  scenario: Scenario,
  options: RunOptions,
): Promise<RunResult> {
  assertPositiveInteger('ops', options.ops);
  assertPositiveInteger('concurrency', options.concurrency);
  if (!Number.isInteger(options.warmup) || options.warmup < 0) {
    throw new RangeError(`warmup must be a non-negative integer, got ${options.warmup}`);
  }

  const operation = await scenario.prepare(stack.context);
  if (options.warmup > 0) {
    const warm = await runLoad(operation, Math.min(options.warmup, options.ops), options.concurrency);
    if (warm.errors > 0) {
      throw new Error(`${scenario.name}: warm-up failed (${warm.errors} errors): ${warm.firstError ?? ''}`);
    }
  }
  await waitForQuiet(stack, scenario.settleMs ?? DEFAULT_SETTLE_MS);

  stack.counters.reset();
  const load = await runLoad(operation, options.ops, options.concurrency);
  const settleStarted = performance.now();
  await waitForQuiet(stack, scenario.settleMs ?? DEFAULT_SETTLE_MS);
  const counters = stack.counters.snapshot();
  const countedSeconds = (load.elapsedMs + (performance.now() - settleStarted)) / 1000;

  if (load.latenciesMs.length === 0) {
    throw new Error(`${scenario.name}: all ${options.ops} operations failed: ${load.firstError ?? ''}`);
  }
  return {
    scenario: scenario.name,
    description: scenario.description,
    ops: options.ops,
    concurrency: options.concurrency,
    errors: load.errors,
    ...(load.firstError === undefined ? {} : { firstError: load.firstError }),
    elapsedMs: load.elapsedMs,
    opsPerSecond: options.ops / (load.elapsedMs / 1000),
    latency: summarizeLatencies(load.latenciesMs),
    counters,
    backgroundEstimate: mapCounters(stack.idlePerSecond, (rate) => rate * countedSeconds),
    cost: costPerMillionOperations(counters, options.ops),
  };
}

/**
 * Waits until the counters stop moving (two reads QUIET_POLL_MS apart agree, ignoring counters that move
 * while idle), or `maxMs` has passed.
 */
async function waitForQuiet(stack: BenchStack, maxMs: number): Promise<void> {
  const moving = (Object.keys(stack.idlePerSecond) as CounterName[]).filter(
    (name) => stack.idlePerSecond[name] > 0,
  );
  const comparable = (counters: ResourceCounters): string =>
    JSON.stringify({ ...counters, ...Object.fromEntries(moving.map((name) => [name, 0])) });
  const deadline = performance.now() + maxMs;
  let previous = comparable(stack.counters.snapshot());
  while (performance.now() < deadline) {
    await sleep(QUIET_POLL_MS);
    const current = comparable(stack.counters.snapshot());
    if (current === previous) return;
    previous = current;
  }
}

function loopbackUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.hostname === 'localhost') parsed.hostname = '127.0.0.1';
  if (!['127.0.0.1', '[::1]'].includes(parsed.hostname)) {
    throw new Error(`the benchmark only talks to loopback, not ${parsed.hostname}`);
  }
  return parsed.origin;
}

function mapCounters(counters: ResourceCounters, map: (value: number) => number): ResourceCounters {
  return Object.fromEntries(
    Object.entries(counters).map(([name, value]) => [name, map(value)]),
  ) as unknown as ResourceCounters;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
