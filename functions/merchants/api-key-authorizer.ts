/** The HTTP API Lambda authorizer of the merchant API (`/v1/*`): shared/http/api-key-authorizer.ts says how. */
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { systemClock } from '../../shared/adapters/clock.js';
import { apiKeyHasher, apiKeys } from '../../shared/composition/merchants.js';
import { type AuthorizerAnswer, authorize } from '../../shared/http/api-key-authorizer.js';

const keys = apiKeys();

export async function handler(event: APIGatewayRequestAuthorizerEventV2): Promise<AuthorizerAnswer> {
  return authorize(event, { apiKeys: keys, hasher: await apiKeyHasher(), clock: systemClock });
}
