/**
 * The RoomMessenger over a Matrix homeserver's client-server API:
 * `PUT /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}` with a bearer token.
 *
 * The transaction id makes every attempt the same request, so retrying is always safe: a rate limit (429,
 * honouring `retry_after_ms` or `Retry-After`), a 5xx, a timeout or a network error is retried with
 * exponential backoff and full jitter, a bounded number of times, then HomeserverUnavailableError. Any other
 * 4xx (M_FORBIDDEN, M_UNKNOWN_TOKEN, ...) is RoomRejectedError at once: the same request would fail again.
 * Within a request's time budget (app/deadline.ts) each attempt's timeout is cut to what is left, and no
 * wait or attempt starts that the budget cannot hold.
 */
import { budgetSpent, timeLeft } from '../../app/deadline.js';
import type { RoomMessenger } from '../../app/publish-to-room.js';
import { fullJitterDelay } from '../../domain/backoff.js';
import { parseJsonRecord } from '../../json.js';

/** The homeserver did not take the event after every attempt; a later retry may succeed. */
export class HomeserverUnavailableError extends Error {
  override readonly name = 'HomeserverUnavailableError';

  constructor(
    message: string,
    readonly attempts: number,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The homeserver refused the event (a 4xx other than 429): retrying the same request will not help. */
export class RoomRejectedError extends Error {
  override readonly name = 'RoomRejectedError';

  constructor(
    readonly status: number,
    readonly errcode: string,
    message: string,
  ) {
    super(message);
  }
}

export interface MatrixClientOptions {
  /** Base URL of the homeserver, e.g. `https://matrix.tween.example`. */
  homeserverUrl: string;
  /** The access token, asked for on every send so a rotated secret is picked up (cache it in the provider). */
  accessToken: () => string | Promise<string>;
  /** Attempts in all, the first included. Default 4. */
  maxAttempts?: number;
  /** Per attempt. Default 5 000 ms. */
  timeoutMs?: number;
  /** Backoff before retry n is a random share of min(maxDelayMs, baseDelayMs * 2^(n-1)). Default 200 ms. */
  baseDelayMs?: number;
  /** Default 2 000 ms. */
  maxDelayMs?: number;
  /** A rate limit asking for a longer wait than this ends the attempts now (the caller retries later). */
  maxRetryAfterMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1): the jitter. */
  random?: () => number;
}

/** The least budget worth starting another attempt with. */
const MIN_ATTEMPT_MS = 500;

const DEFAULTS = {
  maxAttempts: 4,
  timeoutMs: 5_000,
  baseDelayMs: 200,
  maxDelayMs: 2_000,
  maxRetryAfterMs: 5_000,
};

/** What one attempt came to. */
type Outcome =
  | { kind: 'sent'; eventId: string }
  | { kind: 'rejected'; error: RoomRejectedError }
  | { kind: 'retry'; reason: string; status?: number; retryAfterMs?: number; cause?: unknown };

export class MatrixClientServerApi implements RoomMessenger {
  readonly #baseUrl: string;
  readonly #accessToken: () => string | Promise<string>;
  readonly #settings: typeof DEFAULTS;
  readonly #fetch: typeof fetch;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;

  constructor(options: MatrixClientOptions) {
    this.#baseUrl = options.homeserverUrl.replace(/\/+$/, '');
    this.#accessToken = options.accessToken;
    this.#settings = {
      maxAttempts: Math.max(1, options.maxAttempts ?? DEFAULTS.maxAttempts),
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      baseDelayMs: options.baseDelayMs ?? DEFAULTS.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? DEFAULTS.maxDelayMs,
      maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs,
    };
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = options.random ?? Math.random;
  }

  async send(
    roomId: string,
    eventType: string,
    txnId: string,
    content: Readonly<Record<string, unknown>>,
  ): Promise<{ eventId: string }> {
    const url = `${this.#baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${encodeURIComponent(
      eventType,
    )}/${encodeURIComponent(txnId)}`;
    const body = JSON.stringify(content);
    const { maxAttempts, maxRetryAfterMs } = this.#settings;

    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.#attempt(url, body);
      if (outcome.kind === 'sent') return { eventId: outcome.eventId };
      if (outcome.kind === 'rejected') throw outcome.error;

      const tooLong = outcome.retryAfterMs !== undefined && outcome.retryAfterMs > maxRetryAfterMs;
      const waitMs = Math.max(outcome.retryAfterMs ?? 0, this.#backoff(attempt));
      const outOfTime = budgetSpent(waitMs + MIN_ATTEMPT_MS);
      if (attempt >= maxAttempts || tooLong || outOfTime) {
        const why = tooLong
          ? `asked to wait ${outcome.retryAfterMs} ms`
          : outOfTime
            ? `no time left for another attempt after ${attempt}`
            : `${attempt} attempts`;
        throw new HomeserverUnavailableError(
          `The homeserver did not take the ${eventType} event (${outcome.reason}; ${why})`,
          attempt,
          outcome.status,
          { cause: outcome.cause },
        );
      }
      await this.#sleep(waitMs);
    }
  }

  async #attempt(url: string, body: string): Promise<Outcome> {
    // A token that cannot be loaded is not the homeserver's fault: it fails the send as it is.
    const token = await this.#accessToken();
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body,
        // At least 1 ms: a spent budget times the attempt out at once rather than never.
        signal: AbortSignal.timeout(Math.max(1, timeLeft(this.#settings.timeoutMs))),
      });
      text = await response.text();
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'network error';
      return { kind: 'retry', reason, cause: error };
    }

    const json = parseJsonRecord(text);
    if (response.ok) {
      const eventId = json?.event_id;
      if (typeof eventId === 'string' && eventId !== '') return { kind: 'sent', eventId };
      return { kind: 'retry', reason: 'answer without an event_id', status: response.status };
    }
    if (response.status === 429) {
      const retryAfterMs = retryAfterOf(json, response.headers);
      return {
        kind: 'retry',
        reason: 'rate limited',
        status: 429,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      };
    }
    if (response.status >= 500 || response.status === 408) {
      return { kind: 'retry', reason: `status ${response.status}`, status: response.status };
    }
    const errcode = typeof json?.errcode === 'string' ? json.errcode : 'M_UNKNOWN';
    // The homeserver's own wording, never the request: it names the room or the user, not the content.
    const detail = typeof json?.error === 'string' ? `: ${json.error}` : '';
    return {
      kind: 'rejected',
      error: new RoomRejectedError(response.status, errcode, `${response.status} ${errcode}${detail}`),
    };
  }

  /** Full jitter: a random share of the exponential step, so retries of many senders spread out. */
  #backoff(attempt: number): number {
    const { baseDelayMs, maxDelayMs } = this.#settings;
    return fullJitterDelay(attempt, { baseMs: baseDelayMs, maxMs: maxDelayMs }, this.#random);
  }
}

/** `retry_after_ms` from the error body (Matrix), else the `Retry-After` header in seconds. */
function retryAfterOf(json: Record<string, unknown> | undefined, headers: Headers): number | undefined {
  const fromBody = json?.retry_after_ms;
  if (typeof fromBody === 'number' && Number.isFinite(fromBody) && fromBody >= 0) return fromBody;
  const header = headers.get('retry-after');
  if (header !== null && /^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  return undefined;
}
