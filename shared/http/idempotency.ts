/**
 * The API's idempotency contract (API.md, Conventions) on top of Powertools idempotency:
 * - scope = (caller, method, path, Idempotency-Key), kept 24 h, on the single table;
 * - same scope + same body: the stored status, headers and body again, plus `idempotent-replayed: true`;
 * - same scope + another body: 422 IDEMPOTENCY_KEY_REUSED; same scope still running: 409 IDEMPOTENCY_IN_PROGRESS
 *   (Powertools' IdempotencyValidationError and IdempotencyAlreadyInProgressError, mapped in errors.ts);
 * - 4xx answers are stored (a retried decline is the same decline); 5xx and 429 answers, which say "try again
 *   later", are not (a retry runs again).
 * The route table says per route whether a key is `required`, `optional` or ignored (`none`).
 */
import type { JSONValue } from '@aws-lambda-powertools/commons/types';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { DomainError, ValidationError } from '../domain/errors.js';
import { type RouteDefinition, routeKey, routes } from '../infra/routes.js';
import { isRecord } from '../json.js';
import { merchantIdempotencyCaller } from './api-key-guard.js';
import { type HttpEvent, IDEMPOTENCY_KEY_HEADER, rawBody } from './request.js';

export type IdempotencyMode = RouteDefinition['idempotency'];

export const REPLAYED_HEADER = 'idempotent-replayed';
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/**
 * Powertools prefixes hashed keys with the function name by default; the scope already names the route
 * (method and path), so a fixed prefix keeps records valid across function renames and the local stack.
 */
export const IDEMPOTENCY_KEY_PREFIX = 'http';

const PRINTABLE_ASCII_KEY = /^[\x20-\x7e]{1,255}$/;

const modeByRoute: ReadonlyMap<string, IdempotencyMode> = new Map(
  routes.map((route) => [routeKey(route), route.idempotency]),
);

/** What the route table says for a route key; a route it does not know follows the contract's default. */
export function routeIdempotency(key: string): IdempotencyMode {
  return modeByRoute.get(key) ?? 'optional';
}

/** What a stored record is addressed by (hashed) and checked against (the body). */
export interface IdempotencyScope {
  /** The token's `sub`; `merchant:<id>:<mode>` on a merchant API route; null on a public route. */
  caller: string | null;
  method: string;
  path: string;
  key: string;
  /** The JSON body (key order does not matter), the raw text when it is not JSON, null when empty. */
  body: JSONValue;
}

/** Hashed, in this order, into the record's key: Powertools JMESPath over an IdempotencyScope. */
export const SCOPE_KEY_PATH = '[caller, method, path, key]';

/**
 * The Idempotency-Key header, checked: undefined when the request has none; VALIDATION_ERROR when it is
 * empty, longer than 255 characters or not printable ASCII.
 */
export function idempotencyKeyOf(
  headers: Readonly<Record<string, string | undefined>> | undefined,
): string | undefined {
  const found = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === IDEMPOTENCY_KEY_HEADER);
  const value = found?.[1];
  if (value === undefined) return undefined;
  if (!PRINTABLE_ASCII_KEY.test(value)) {
    throw new ValidationError('The Idempotency-Key header must be 1 to 255 printable ASCII characters', {
      issues: [{ path: 'Idempotency-Key', message: 'Expected 1 to 255 printable ASCII characters' }],
    });
  }
  return value;
}

/**
 * The scope a request runs under, or undefined when it runs without idempotency (the route ignores keys,
 * or the key is optional and absent). Throws IDEMPOTENCY_KEY_MISSING when the route requires a key.
 */
export function idempotencyScope(event: HttpEvent, mode: IdempotencyMode): IdempotencyScope | undefined {
  if (mode === 'none') return undefined;
  const key = idempotencyKeyOf(event.headers);
  if (key === undefined) {
    if (mode === 'optional') return undefined;
    throw new DomainError('IDEMPOTENCY_KEY_MISSING', 'This request needs an Idempotency-Key header');
  }
  const sub = event.requestContext.authorizer?.jwt?.claims?.sub;
  const merchant = merchantIdempotencyCaller(event);
  return {
    caller: merchant ?? (typeof sub === 'string' && sub !== '' ? sub : null),
    method: event.requestContext.http.method.toUpperCase(),
    path: event.rawPath,
    key,
    body: bodyOf(event),
  };
}

function bodyOf(event: HttpEvent): JSONValue {
  const text = rawBody(event);
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The Powertools configuration of one invocation (a fresh one, so concurrent invocations share nothing). */
export function idempotencyConfig(context: Context): IdempotencyConfig {
  return new IdempotencyConfig({
    eventKeyJmesPath: SCOPE_KEY_PATH,
    payloadValidationJmesPath: 'body',
    expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
    hashFunction: 'sha256',
    // The key's presence is checked (and answered with 400) before Powertools runs.
    throwOnNoIdempotencyKey: false,
    responseHook: markReplayed,
    lambdaContext: context,
  });
}

/** A stored answer, returned again: the same status, headers and body, plus `idempotent-replayed: true`. */
export function markReplayed(response: JSONValue): JSONValue {
  if (!isRecord(response)) return response;
  const headers = isRecord(response.headers) ? response.headers : {};
  return { ...response, headers: { ...headers, [REPLAYED_HEADER]: 'true' } };
}

export type StoredResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number };

/** Carries a 5xx or 429 answer out of the idempotent unit, so that Powertools deletes the in-progress record. */
class UnstoredResponse extends Error {
  override readonly name = 'UnstoredResponse';
  constructor(readonly response: StoredResponse) {
    super(`A ${response.statusCode} answer is not stored`);
  }
}

/** A 429 (rate limited, MFA locked) or 5xx answer says "try again later": a stored one would say it for 24 h. */
function storable(status: number): boolean {
  return status < 500 && status !== 429;
}

/**
 * Runs `work` (use case + error mapping: it answers, it does not throw) at most once per scope and stores
 * its answer for 24 h, unless the answer is a 5xx or a 429. Throws Powertools' IdempotencyAlreadyInProgressError,
 * IdempotencyValidationError or a persistence error; mapError turns them into 409, 422 and 500.
 */
export async function runIdempotently(
  scope: IdempotencyScope,
  context: Context,
  store: BasePersistenceLayer,
  work: () => Promise<StoredResponse>,
): Promise<StoredResponse> {
  const unit = makeIdempotent(
    async (_scope: IdempotencyScope, _context: Context): Promise<StoredResponse> => {
      const response = await work();
      if (!storable(response.statusCode)) throw new UnstoredResponse(response);
      return response;
    },
    { persistenceStore: store, config: idempotencyConfig(context), keyPrefix: IDEMPOTENCY_KEY_PREFIX },
  );
  try {
    return await unit(scope, context);
  } catch (error) {
    if (error instanceof UnstoredResponse) return error.response;
    throw error;
  }
}
