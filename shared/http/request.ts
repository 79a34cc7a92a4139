/**
 * Turns an API Gateway HTTP API (payload 2.0) event into a typed request: JSON body, query and path
 * parameters each checked by a zod schema, and the caller taken from the JWT authorizer's claims.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { parse, safeParse } from 'zod/mini';
import type * as core from 'zod/v4/core';
import '../zod-locale.js';
import { PayloadTooLargeError, UnauthorizedError, ValidationError } from '../domain/errors.js';
import {
  API_KEY_SCOPES,
  type ApiKeyScope,
  InvalidApiKeyError,
  type MerchantCaller,
} from '../domain/merchant.js';
import { absoluteUrl } from './urls.js';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

/**
 * The largest request body any route accepts, in decoded bytes. API Gateway's own limit is 10 MB (Lambda's
 * 6 MB); a valid body here is a few KiB (a payment with Stripe's 50 metadata entries stays under 30 KiB, a
 * provider event a few KiB), so anything above 64 KiB is refused, 413 PAYLOAD_TOO_LARGE, before it is
 * parsed, validated, hashed for idempotency or stored.
 */
export const MAX_BODY_BYTES = 64 * 1024;

/** The Idempotency-Key header, as the (lower-cased) headers name it. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

export interface Caller {
  /** The Matrix user id in the token's `sub`, e.g. `@alice:tween.example`. */
  userId: string;
  roles: readonly string[];
}

/** Classic and zod/mini schemas alike: both are zod 4 core types. */
export interface RequestSchemas {
  body?: core.$ZodType;
  query?: core.$ZodType;
  params?: core.$ZodType;
}

type Parsed<S> = S extends core.$ZodType ? core.output<S> : undefined;

export interface HttpRequest<S extends RequestSchemas> {
  body: Parsed<S['body']>;
  query: Parsed<S['query']>;
  params: Parsed<S['params']>;
  headers: Readonly<Record<string, string | undefined>>;
  /** `GET /health/ready`: the route that matched. */
  routeKey: string;
  /** The body exactly as sent (decoded when API Gateway passed it base64), for signature checks. */
  rawBody(): string;
  /**
   * The Idempotency-Key header as sent, '' when there is none (the pipeline has already checked it against
   * the route: present where required, 1 to 255 printable ASCII characters).
   */
  idempotencyKey(): string;
  /** The authenticated caller; throws UNAUTHORIZED on a route without a verified token. */
  caller(): Caller;
  /**
   * The merchant whose API key called a `/v1/*` route (the API-key authorizer's context); throws
   * INVALID_API_KEY on a route the authorizer did not pass.
   */
  merchant(): MerchantCaller;
  /** The absolute URL of one of this API's paths, as the caller reached the API (shared/http/urls.ts). */
  url(path: string): string;
}

export function parseRequest<S extends RequestSchemas>(event: HttpEvent, schemas: S): HttpRequest<S> {
  if (bodyBytes(event) > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  const body = schemas.body === undefined ? undefined : parse(schemas.body, jsonBody(event, schemas.body));
  const query =
    schemas.query === undefined ? undefined : parse(schemas.query, event.queryStringParameters ?? {});
  const params = schemas.params === undefined ? undefined : parse(schemas.params, event.pathParameters ?? {});
  const headers = lowerCaseKeys(event.headers ?? {});
  return {
    body: body as Parsed<S['body']>,
    query: query as Parsed<S['query']>,
    params: params as Parsed<S['params']>,
    headers,
    routeKey: event.routeKey,
    rawBody: () => rawBody(event),
    idempotencyKey: () => headers[IDEMPOTENCY_KEY_HEADER] ?? '',
    caller: () => callerOf(event),
    merchant: () => merchantCallerOf(event),
    url: (path) => absoluteUrl(event, path),
  };
}

export function rawBody(event: Pick<HttpEvent, 'body' | 'isBase64Encoded'>): string {
  if (event.body === undefined) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

function bodyBytes(event: Pick<HttpEvent, 'body' | 'isBase64Encoded'>): number {
  if (event.body === undefined) return 0;
  return Buffer.byteLength(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

/**
 * The request's JSON body. No body at all is `{}` where every field is optional (a cancel, a full capture:
 * what Stripe's clients send without parameters) unless the request says its body is something else than
 * JSON (an empty form is a wrong content type, refused before any lookup); anywhere else it is refused.
 */
function jsonBody(event: HttpEvent, schema: core.$ZodType): unknown {
  const text = rawBody(event);
  if (text.trim() === '') {
    if (!declaresOtherThanJson(event) && safeParse(schema, {}).success) return {};
    throw new ValidationError('The request body must be a JSON document');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('The request body is not valid JSON');
  }
}

/** Whether a Content-Type is sent and is not JSON (`application/json`, `application/…+json`). */
function declaresOtherThanJson(event: HttpEvent): boolean {
  const contentType = lowerCaseKeys(event.headers ?? {})['content-type'];
  return contentType !== undefined && !/^\s*application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i.test(contentType);
}

function callerOf(event: HttpEvent): Caller {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub === '') throw new UnauthorizedError();
  return { userId: sub, roles: rolesOf(claims?.roles) };
}

/**
 * The API-key authorizer's context (API Gateway: `requestContext.authorizer.lambda`; the local HTTP API
 * builds the same): `merchantId`, `mode`, `keyId` and `scopes` as one space-separated string, since an
 * authorizer's context values are strings.
 */
export function merchantCallerOf(event: HttpEvent): MerchantCaller {
  const authorizer: object | undefined = event.requestContext.authorizer;
  const context = authorizer !== undefined && 'lambda' in authorizer ? authorizer.lambda : undefined;
  if (typeof context !== 'object' || context === null) throw new InvalidApiKeyError();
  const { merchantId, mode, keyId, scopes } = context as Record<string, unknown>;
  if (typeof merchantId !== 'string' || typeof keyId !== 'string' || typeof scopes !== 'string')
    throw new InvalidApiKeyError();
  if (mode !== 'test' && mode !== 'live') throw new InvalidApiKeyError();
  const known: readonly string[] = API_KEY_SCOPES;
  return {
    merchantId,
    mode,
    keyId,
    scopes: scopes.split(' ').filter((scope): scope is ApiKeyScope => known.includes(scope)),
  };
}

// API Gateway passes array claims as a string such as "[ops admin]"; locally they arrive as arrays.
function rolesOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((role): role is string => typeof role === 'string');
  if (typeof claim !== 'string') return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter((role) => role !== '');
}

function lowerCaseKeys(headers: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
