/**
 * The HTTP pipeline as deployed: shared/http/handler.ts with its stores on the single table (TABLE_NAME).
 * Each store is built on the first request that needs it, so functions whose routes never take an
 * Idempotency-Key or count a caller's requests need neither the variable nor table access.
 */
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import * as z from 'zod/mini';
import { documentClient, dynamoDb } from '../adapters/aws/dynamodb-client.js';
import { DynamoDbIdempotencyStore } from '../adapters/dynamodb/idempotency-store.js';
import { DynamoDbRateLimiter } from '../adapters/dynamodb/rate-limiter.js';
import type { RateLimiter } from '../app/rate-limit.js';
import { intSetting, readEnv, readTableName } from '../config.js';
import {
  type HttpHandlerOptions,
  type HttpResult,
  type PipelineStores,
  httpHandler as pipelineHandler,
  type TextResult,
} from '../http/handler.js';
import { DEFAULT_USER_RATE_LIMIT_PER_MINUTE, USER_RATE_LIMIT_ENV } from '../http/rate-limit.js';
import type { HttpRequest, RequestSchemas } from '../http/request.js';
import { once } from '../lazy.js';

/** Idempotency records on the single table, created on the first request that carries a key. */
export const idempotencyStore = once(
  (): BasePersistenceLayer =>
    new DynamoDbIdempotencyStore({
      tableName: readTableName(),
      client: dynamoDb(),
    }),
);

/** The single table and the limit, read on the first limited request: functions without a limited route need neither. */
export const rateLimiter = once((): RateLimiter => {
  const env = readEnv(
    z.object({
      [USER_RATE_LIMIT_ENV]: intSetting(DEFAULT_USER_RATE_LIMIT_PER_MINUTE),
    }),
  );
  return new DynamoDbRateLimiter(documentClient(), readTableName(), {
    limit: env[USER_RATE_LIMIT_ENV],
    windowSeconds: 60,
  });
});

export const pipelineStores: PipelineStores = { idempotencyStore, rateLimiter };

/** shared/http/handler.ts's httpHandler with the stores above: what every routed function answers through. */
export function httpHandler<S extends RequestSchemas>(
  schemas: S,
  handle: (request: HttpRequest<S>) => Promise<HttpResult | TextResult>,
  options: HttpHandlerOptions = {},
) {
  return pipelineHandler(schemas, handle, options, pipelineStores);
}
