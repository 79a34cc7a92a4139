/**
 * What the stack scenarios share to talk to the local HTTP API: one checked call, the wait for the
 * counters to settle, and the latency cell of their tables.
 */
import type { CounterName } from '../../local/metrics.js';
import type { BenchStack } from '../harness.js';
import { sleep } from '../load.js';
import type { ScenarioContext } from '../scenario.js';
import { percentile } from '../stats.js';

const REQUEST_TIMEOUT_MS = 30_000;

/** Anyone a scenario calls the API as: a bearer token. */
export interface Caller {
  token: string;
}

/** An answer whose status was not one the scenario expected. */
export class UnexpectedStatusError extends Error {
  override readonly name = 'UnexpectedStatusError';

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One API call (as `caller`, or without a token); throws UnexpectedStatusError unless the status is one of
 * `expected`, and answers the parsed JSON body (`{}` when empty).
 */
export async function callApi<T = Record<string, unknown>>(
  context: ScenarioContext,
  caller: Caller | undefined,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  expected: readonly number[],
  what: string,
  options: { body?: unknown; idempotencyKey?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (caller !== undefined) headers.authorization = `Bearer ${caller.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
  const response = await fetch(`${context.apiUrl}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  if (!expected.includes(response.status)) {
    throw new UnexpectedStatusError(
      response.status,
      `${what}: expected HTTP ${expected.join('/')}, got ${response.status}: ${text.slice(0, 300)}`,
    );
  }
  if (text.length === 0) return {} as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${what}: the answer is not JSON: ${text.slice(0, 300)}`);
  }
}

/**
 * Waits until no counter has moved for `quietMs` (ignoring those that move while idle), or `maxMs` has
 * passed: for asynchronous work with pauses longer than the harness's wait for quiet allows.
 */
export async function waitForSilence(stack: BenchStack, quietMs: number, maxMs: number): Promise<void> {
  const moving = (Object.keys(stack.idlePerSecond) as CounterName[]).filter(
    (name) => stack.idlePerSecond[name] > 0,
  );
  const comparable = () =>
    JSON.stringify({ ...stack.counters.snapshot(), ...Object.fromEntries(moving.map((name) => [name, 0])) });
  const deadline = performance.now() + maxMs;
  let previous = comparable();
  let quietSince = performance.now();
  while (performance.now() < deadline) {
    await sleep(100);
    const current = comparable();
    if (current !== previous) {
      previous = current;
      quietSince = performance.now();
    } else if (performance.now() - quietSince >= quietMs) {
      return;
    }
  }
}

/**
 * Waits until this process's event loop has been mostly idle (utilisation below `threshold`) over a whole
 * second, or `maxMs` has passed: for work in this process that no counter sees (the local table stream's
 * reader). Answers how long it waited, the last second's utilisation and whether it went idle.
 */
export async function waitForIdleProcess(
  maxMs: number,
  threshold = 0.25,
): Promise<{ waitedMs: number; utilization: number; idle: boolean }> {
  const started = performance.now();
  let utilization = 1;
  while (performance.now() - started < maxMs) {
    const before = performance.eventLoopUtilization();
    await sleep(1_000);
    utilization = performance.eventLoopUtilization(before).utilization;
    if (utilization < threshold) return { waitedMs: performance.now() - started, utilization, idle: true };
  }
  return { waitedMs: performance.now() - started, utilization, idle: false };
}

/** `p50 / p99` in whole milliseconds, or `–` without samples. */
export function p50p99(samples: readonly number[] | undefined): string {
  if (samples === undefined || samples.length === 0) return '–';
  return `${percentile(samples, 50).toFixed(0)} / ${percentile(samples, 99).toFixed(0)}`;
}
