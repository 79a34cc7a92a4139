/**
 * `Idempotency-Key` on POST requests, as Stripe honours it: the first request's status and body are saved
 * under the key and replayed verbatim to any later request with that key and the same parameters (with
 * `Idempotent-Replayed: true`). Reusing a key for different parameters, or for another endpoint, is an
 * `idempotency_error`. Keys are forgotten after 24 hours.
 *
 * Requests that fail parameter validation save nothing, as with Stripe, so a corrected retry may reuse
 * the key. Requests are handled one at a time once their body is read, so there is no "key in use" race.
 */
import { idempotencyError } from './errors.js';
import type { FormParams, FormValue } from './form.js';

const RETENTION_MS = 24 * 60 * 60 * 1000;

export interface SavedResponse {
  status: number;
  body: string;
  /** The request that produced it, sent back as `Original-Request`. */
  requestId: string;
}

interface Entry {
  endpoint: string;
  params: string;
  response: SavedResponse;
  savedAt: number;
}

export class IdempotencyStore {
  readonly #entries = new Map<string, Entry>();

  /** The saved response for `key`, or undefined; throws if the key was used for a different request. */
  lookup(key: string, endpoint: string, params: FormParams): SavedResponse | undefined {
    this.#forgetExpired();
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.endpoint !== endpoint) {
      throw idempotencyError(
        `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${entry.endpoint}' vs '${endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    if (entry.params !== canonical(params)) {
      throw idempotencyError(
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    return entry.response;
  }

  save(key: string, endpoint: string, params: FormParams, response: SavedResponse): void {
    this.#entries.set(key, { endpoint, params: canonical(params), response, savedAt: Date.now() });
  }

  #forgetExpired(): void {
    const cutoff = Date.now() - RETENTION_MS;
    // A Map iterates in insertion order, so the oldest entries come first.
    for (const [key, entry] of this.#entries) {
      if (entry.savedAt >= cutoff) break;
      this.#entries.delete(key);
    }
  }
}

/** The same params in any key order compare equal. */
function canonical(value: FormValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key] ?? '')}`).join(',')}}`;
}
