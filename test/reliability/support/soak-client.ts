/**
 * The reliability suites' HTTP client: the local stack over HTTP, as an app would call it, with every answer
 * tallied by operation and outcome (`201`, `402 INSUFFICIENT_FUNDS`, `network`), so a run can print what it
 * saw and fail on any 5xx it was not allowed to see.
 */
import { tokenFor } from '../../support/api.js';

export interface Answer<T = Record<string, unknown>> {
  /** 0 when no answer came (connection refused or dropped, or the client's timeout). */
  status: number;
  body: T;
  /** `error.code` of an error answer; `network` when there was no answer. */
  code?: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  idempotencyKey?: string;
}

export interface User {
  index: number;
  userId: string;
  token: string;
  /** The user id as a path segment. */
  path: string;
}

export async function newUser(index: number, userId: string): Promise<User> {
  return { index, userId, token: await tokenFor(userId), path: encodeURIComponent(userId) };
}

/** Outcome counts and latencies per operation. */
export class Tally {
  readonly #counts = new Map<string, Map<string, number>>();
  readonly #latencies = new Map<string, number[]>();
  readonly #serverErrors: string[] = [];

  record(operation: string, answer: Answer<unknown>, ms = 0): void {
    const outcome = outcomeOf(answer);
    const row = this.#counts.get(operation) ?? new Map<string, number>();
    row.set(outcome, (row.get(outcome) ?? 0) + 1);
    this.#counts.set(operation, row);
    const latencies = this.#latencies.get(operation) ?? [];
    latencies.push(ms);
    this.#latencies.set(operation, latencies);
    if (answer.status >= 500) this.#serverErrors.push(`${operation} → ${outcome}`);
  }

  /** Every 5xx seen, as `operation → status code`. */
  serverErrors(): readonly string[] {
    return this.#serverErrors;
  }

  count(operation: string, outcome?: string): number {
    const row = this.#counts.get(operation);
    if (row === undefined) return 0;
    if (outcome !== undefined) return row.get(outcome) ?? 0;
    return [...row.values()].reduce((sum, n) => sum + n, 0);
  }

  /** Every (operation, outcome) with its count. */
  rows(): { operation: string; outcome: string; count: number }[] {
    return [...this.#counts].flatMap(([operation, row]) =>
      [...row].map(([outcome, count]) => ({ operation, outcome, count })),
    );
  }

  /** `p50 / p99 / max` of the operation's answers, in ms. */
  latency(operation: string): string {
    const sorted = [...(this.#latencies.get(operation) ?? [])].sort((a, b) => a - b);
    const at = (q: number) =>
      Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
    return sorted.length === 0 ? '' : `${at(0.5)} / ${at(0.99)} / ${Math.round(sorted.at(-1) ?? 0)}`;
  }

  /** A plain-text table: one line per operation and outcome, the operation's latencies on its first line. */
  table(title: string): string {
    const rows = this.rows().sort(
      (a, b) => a.operation.localeCompare(b.operation) || a.outcome.localeCompare(b.outcome),
    );
    const width = Math.max(9, ...rows.map((row) => row.operation.length));
    const outcomeWidth = Math.max(7, ...rows.map((row) => row.outcome.length));
    const line = (a: string, b: string, c: string, d: string) =>
      `  ${a.padEnd(width)}  ${b.padEnd(outcomeWidth)}  ${c.padStart(5)}  ${d}\n`;
    const lines = rows.map((row, index) =>
      line(
        row.operation,
        row.outcome,
        String(row.count),
        rows[index - 1]?.operation === row.operation ? '' : this.latency(row.operation),
      ),
    );
    return `${title}\n${line('operation', 'outcome', 'count', 'ms p50 / p99 / max')}${lines.join('')}`;
  }
}

function outcomeOf(answer: Answer<unknown>): string {
  if (answer.status === 0) return 'network';
  return answer.code === undefined ? String(answer.status) : `${answer.status} ${answer.code}`;
}

/** Sees every request go out and its answer come back (the soak's state/money agreement check). */
export interface RequestObserver {
  around<T>(method: string, path: string, send: () => Promise<Answer<T>>): Promise<Answer<T>>;
}

export class StackClient {
  constructor(
    readonly baseUrl: string,
    readonly tally: Tally,
    private readonly timeoutMs = 60_000,
    private readonly observer?: RequestObserver,
  ) {}

  /** One request, tallied under `operation` (GETs that only observe pass `undefined` and are not tallied). */
  async request<T = Record<string, unknown>>(
    operation: string | undefined,
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<Answer<T>> {
    const started = performance.now();
    const send = () => this.#send<T>(method, path, options);
    const answer = await (this.observer === undefined ? send() : this.observer.around(method, path, send));
    if (operation !== undefined) this.tally.record(operation, answer, performance.now() - started);
    return answer;
  }

  async #send<T>(method: string, path: string, options: RequestOptions): Promise<Answer<T>> {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      // What failed (refused, reset, timed out), so an unexpected `network` in a report says which.
      return { status: 0, body: { error: describeFailure(error) } as T, code: 'network' };
    }
    const body = parseBody(text);
    const code = response.status >= 400 ? errorCodeOf(body) : undefined;
    return { status: response.status, body: body as T, ...(code === undefined ? {} : { code }) };
  }
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const code = cause !== undefined && 'code' in cause ? ` ${String(cause.code)}` : '';
  return `${error.name}: ${error.message}${cause === undefined ? '' : ` (${cause.message}${code})`}`;
}

function parseBody(text: string): unknown {
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return { text };
  }
}

function errorCodeOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error: unknown = body.error;
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** Runs `work` over `items` with at most `concurrency` at once, in order of the list. */
export async function inPool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) {
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
