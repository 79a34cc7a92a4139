/**
 * The API-key authorizer's answer (an HTTP API Lambda REQUEST authorizer, payload 2.0, simple responses).
 *
 * It always allows: API Gateway answers a denial itself, with `{"message":"Forbidden"}`, not our error
 * shape. The verdict travels in the context instead: `{merchantId, mode, keyId, scopes}` (scopes space
 * separated: context values are strings) for a good key, nothing for a bad one, and the pipeline
 * (api-key-guard.ts) answers 401 INVALID_API_KEY before the handler when the context names no merchant.
 * API Gateway caches the answer per Authorization header (≤ 60 s): a revoked key may pass that long on AWS.
 */
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import type { ApiKeyHasher } from '../app/merchants/api-key-secret.js';
import { type ApiKeys, authenticateApiKey } from '../app/merchants/api-keys.js';
import type { Clock } from '../app/ports.js';
import type { MerchantCaller } from '../domain/merchant.js';

export type ApiKeyContext = Record<string, string>;
export type AuthorizerAnswer = APIGatewaySimpleAuthorizerWithContextResult<ApiKeyContext>;

export function verdictOf(caller: MerchantCaller | undefined): AuthorizerAnswer {
  if (caller === undefined) return { isAuthorized: true, context: {} };
  return {
    isAuthorized: true,
    context: {
      merchantId: caller.merchantId,
      mode: caller.mode,
      keyId: caller.keyId,
      scopes: caller.scopes.join(' '),
    },
  };
}

export async function authorize(
  event: Pick<APIGatewayRequestAuthorizerEventV2, 'headers'>,
  deps: { apiKeys: Pick<ApiKeys, 'grantOf'>; hasher: ApiKeyHasher; clock: Clock },
): Promise<AuthorizerAnswer> {
  const authorization = Object.entries(event.headers ?? {}).find(
    ([name]) => name.toLowerCase() === 'authorization',
  )?.[1];
  return verdictOf(await authenticateApiKey(authorization, deps));
}
