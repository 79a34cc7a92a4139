/**
 * Merchant API (`/v1/*`) handlers invoked directly, as API Gateway would after the API-key authorizer let
 * the key through: the event carries `requestContext.authorizer.lambda` = `{merchantId, mode, keyId, scopes}`
 * (scopes space-separated, as an authorizer's context values are strings). For handler-level tests of the
 * merchant API before (or without) the authorizer: `merchantCaller()` makes a tenant, `invokeAs()` calls.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { API_KEY_SCOPES, type ApiKeyScope, type Mode } from '../../shared/domain/merchant.js';
import { type HttpEventOptions, httpEvent, lambdaContext } from './events.js';

export interface MerchantCallerContext {
  merchantId: string;
  mode: Mode;
  keyId: string;
  scopes: readonly ApiKeyScope[];
}

/** A fresh merchant's key in `mode` with `scopes` (all of them unless given). */
export function merchantCaller(overrides: Partial<MerchantCallerContext> = {}): MerchantCallerContext {
  return {
    merchantId: `mch_${randomUUID().replaceAll('-', '').slice(0, 20)}`,
    mode: 'test',
    keyId: `key_${randomUUID().replaceAll('-', '').slice(0, 20)}`,
    scopes: API_KEY_SCOPES,
    ...overrides,
  };
}

/** The payload 2.0 event of a `/v1/*` route as the API-key authorizer hands it on for `caller`. */
export function merchantEvent(
  caller: MerchantCallerContext | null,
  options: Omit<HttpEventOptions, 'claims'>,
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const event = httpEvent({ ...options, claims: null });
  if (caller === null) return event;
  const lambda = {
    merchantId: caller.merchantId,
    mode: caller.mode,
    keyId: caller.keyId,
    scopes: caller.scopes.join(' '),
  };
  const requestContext = { ...event.requestContext, authorizer: { lambda } };
  return { ...event, requestContext } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

export type MerchantHandler = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
) => Promise<{ statusCode?: number; body?: string; headers?: Record<string, unknown> } | string>;

export interface MerchantAnswer<T> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
}

/** Invokes `handler` for `caller` (null: no authorizer context) and parses its JSON answer. */
export async function invokeAs<T = Record<string, unknown>>(
  handler: MerchantHandler,
  caller: MerchantCallerContext | null,
  options: Omit<HttpEventOptions, 'claims'>,
): Promise<MerchantAnswer<T>> {
  const result = await handler(merchantEvent(caller, options), lambdaContext());
  if (typeof result === 'string') throw new Error('A merchant API handler answers a structured result');
  return {
    status: result.statusCode ?? 200,
    body: (result.body === undefined || result.body === '' ? undefined : JSON.parse(result.body)) as T,
    headers: result.headers ?? {},
  };
}
