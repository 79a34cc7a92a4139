/**
 * Runs a scenario against the embedded local stack, in this process, on loopback (over HTTP, or straight
 * to the stack's DynamoDB Local for `stack` scenarios): N operations at a given concurrency, with the
 * latency of each, then reads what AWS would have billed from the stack's resource counters. Every loop is
 * bounded by the operation count or a deadline.
 */
import { readLocalEnv } from '../local/config.js';
import { startDynamoDb } from '../local/dynamodb.js';
import { type CounterName, Counters, type ResourceCounters } from '../local/metrics.js';
import { type RunningStack, startStack } from '../local/stack.js';
import { tableDefinition } from '../shared/infra/table.js';
import { type CostBreakdown, costPerMillionOperations } from './cost.js';
import { mapCounters } from './counters.js';
import { assertPositiveInteger, type LoadResult, runLoad, sleep } from './load.js';
import type { HttpScenario, Operation, ScenarioContext } from './scenario.js';
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
  /** What was started: the whole local stack, or DynamoDB Local alone (for scenarios that need no more). */
  kind: StackKind;
  /** The HTTP API: only when the whole local stack runs. */
  context?: ScenarioContext;
  /** DynamoDB Local, for scenarios that call it in this process rather than through the HTTP API. */
  dynamoDb: {
    /** The counting proxy (what the handlers use): calls through it move the counters. */
    endpoint: string;
    /** The engine itself: calls to it are not counted. */
    engineEndpoint: string;
    tableName: string;
  };
  counters: Counters;
  startupMs: number;
  /** What the stack counts per second while nothing is asked of it (for example, queue pollers). */
  idlePerSecond: ResourceCounters;
  stop(): Promise<void>;
}

/** `full`: the embedded local stack (HTTP API, handlers, every engine); `dynamodb`: DynamoDB Local alone. */
export type StackKind = 'full' | 'dynamodb';

const IDLE_WINDOW_MS = 1_000;
const QUIET_POLL_MS = 100;
const DEFAULT_SETTLE_MS = 2_000;

/**
 * Starts the local stack (or, for `dynamodb`, only DynamoDB Local behind its counting proxy) in this
 * process, in memory, on free ports, and measures its idle background.
 */
export async function startBenchStack(kind: StackKind = 'full'): Promise<BenchStack> {
  if (kind === 'dynamodb') {
    const started = performance.now();
    const counters = new Counters();
    const dynamoDb = await startDynamoDb({ dataDir: null, counters });
    const startupMs = Math.round(performance.now() - started);
    return withIdleBackground(counters, dynamoDb.stop, (idlePerSecond) => ({
      kind,
      dynamoDb: {
        endpoint: loopbackUrl(dynamoDb.endpoint),
        engineEndpoint: loopbackUrl(dynamoDb.engineEndpoint),
        tableName: dynamoDb.tableName,
      },
      counters,
      startupMs,
      idlePerSecond,
      stop: dynamoDb.stop,
    }));
  }
  // The scenarios make hundreds of payments per user and minute: the per-user limit would measure 429s.
  const env = readLocalEnv({
    USER_RATE_LIMIT_PER_MINUTE: '1000000',
    ...process.env,
    PORT: '0',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  const stack: RunningStack = await startStack({ env, inMemory: true });
  return withIdleBackground(stack.counters, stack.stop, (idlePerSecond) => {
    const dynamoDbEndpoint = stack.endpoints.dynamodb;
    if (dynamoDbEndpoint === undefined) throw new Error('the local stack did not report a DynamoDB endpoint');
    return {
      kind,
      context: { apiUrl: loopbackUrl(stack.apiUrl), env },
      dynamoDb: {
        endpoint: loopbackUrl(dynamoDbEndpoint),
        engineEndpoint: loopbackUrl(stack.dynamoDbEngine),
        tableName: tableDefinition.localName,
      },
      counters: stack.counters,
      startupMs: stack.startupMs,
      idlePerSecond,
      stop: () => stack.stop(),
    };
  });
}

/** Counts for IDLE_WINDOW_MS with no load, then builds the bench stack; stops what was started on failure. */
async function withIdleBackground(
  counters: Counters,
  stop: () => Promise<void>,
  build: (idlePerSecond: ResourceCounters) => BenchStack,
): Promise<BenchStack> {
  try {
    counters.reset();
    await sleep(IDLE_WINDOW_MS);
    const idle = counters.snapshot();
    return build(mapCounters(idle, (_, value) => value / (IDLE_WINDOW_MS / 1000)));
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Prepares an HTTP scenario, warms it up, resets the counters, runs it and reads what it cost. */
export async function runScenario(
  stack: BenchStack,
  scenario: HttpScenario,
  options: RunOptions,
): Promise<RunResult> {
  if (stack.context === undefined) {
    throw new Error(`${scenario.name} needs the HTTP API: start the full local stack`);
  }
  const operation = await scenario.prepare(stack.context);
  return measure(stack, scenario, operation, options);
}

/**
 * Warms `operation` up, waits for the stack to go quiet, resets the counters, runs it `options.ops` times
 * at `options.concurrency`, waits for what it started to settle, and reads what it cost. Throws if the
 * warm-up fails or every measured operation fails.
 */
export async function measure(
  stack: BenchStack,
  scenario: { name: string; description: string; settleMs?: number },
  operation: Operation,
  options: RunOptions,
): Promise<RunResult> {
  assertPositiveInteger('ops', options.ops);
  assertPositiveInteger('concurrency', options.concurrency);
  if (!Number.isInteger(options.warmup) || options.warmup < 0) {
    throw new RangeError(`warmup must be a non-negative integer, got ${options.warmup}`);
  }
  if (options.warmup > 0) {
    const warm = await runLoad(operation, Math.min(options.warmup, options.ops), options.concurrency);
    if (warm.errors > 0) {
      throw new Error(`${scenario.name}: warm-up failed (${warm.errors} errors): ${warm.firstError ?? ''}`);
    }
  }
  const window = await countedWindow(stack, scenario.settleMs, () =>
    runLoad(operation, options.ops, options.concurrency),
  );
  return toRunResult(stack, scenario, options, window.value, window);
}

export interface CountedWindow<T> {
  value: T;
  /** What the stack counted from the reset until the counters settled. */
  counters: ResourceCounters;
  /** How long the counters were counting (the work and the settling after it). */
  countedSeconds: number;
}

/**
 * Waits for the stack to go quiet, resets the counters, runs `work`, waits (at most `settleMs`) for what it
 * started to settle, and reads the counters. For scenarios that drive the load themselves; calls that do
 * not go through the stack (straight to the DynamoDB engine) are not counted.
 */
export async function countedWindow<T>(
  stack: BenchStack,
  settleMs: number | undefined,
  work: () => Promise<T>,
): Promise<CountedWindow<T>> {
  const maxMs = settleMs ?? DEFAULT_SETTLE_MS;
  await waitForQuiet(stack, maxMs);
  stack.counters.reset();
  const started = performance.now();
  const value = await work();
  await waitForQuiet(stack, maxMs);
  const counters = stack.counters.snapshot();
  return { value, counters, countedSeconds: (performance.now() - started) / 1000 };
}

/** One column of the standard tables, from a load and what was counted while it ran. */
export function toRunResult(
  stack: BenchStack,
  scenario: { name: string; description: string },
  options: { ops: number; concurrency: number },
  load: LoadResult,
  counted: { counters: ResourceCounters; countedSeconds: number },
): RunResult {
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
    counters: counted.counters,
    backgroundEstimate: mapCounters(stack.idlePerSecond, (_, rate) => rate * counted.countedSeconds),
    cost: costPerMillionOperations(counted.counters, options.ops),
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
