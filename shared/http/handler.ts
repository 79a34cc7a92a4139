/**
 * The middy stack every HTTP handler runs in: Powertools logging, tracing and metrics, request parsing,
 * idempotency and per-caller limits as the route table says, and the one error mapper (pipeline.ts holds
 * what it shares with plain-handler.ts). A handler supplies its schemas and a function from the parsed
 * request to a result; everything else lives here.
 */

import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context } from 'aws-lambda';
import { withDeadline } from '../app/deadline.js';
import type { RateLimiter } from '../app/rate-limit.js';
import { NotFoundError } from '../domain/errors.js';
import type { FunctionName } from '../infra/functions.js';
import type { RouteKeyOfFunction } from '../infra/routes.js';
import { guardApiKeyRoute } from './api-key-guard.js';
import {
  type IdempotencyMode,
  idempotencyScope,
  routeIdempotency,
  runIdempotently,
  type StoredResponse,
} from './idempotency.js';
import {
  basePipeline,
  errorResponse,
  type HttpResponse,
  type HttpResult,
  recordResponse,
  requestDeadline,
  type TextResult,
  toResponse,
} from './pipeline.js';
import { enforceRateLimit, routeRateLimited } from './rate-limit.js';
import { type HttpEvent, type HttpRequest, parseRequest, type RequestSchemas } from './request.js';

export {
  ANSWER_RESERVE_MS,
  API_GATEWAY_TIMEOUT_MS,
  type HttpResponse,
  type HttpResult,
  json,
  requestDeadline,
  type TextResult,
} from './pipeline.js';

/** For tests and fixture routes; a deployed handler takes both from the route table and its PipelineStores. */
export interface HttpHandlerOptions {
  /** Overrides what the route table says for the route. */
  idempotency?: IdempotencyMode;
  /** Where idempotency records live; defaults to the pipeline's store. */
  idempotencyStore?: BasePersistenceLayer;
  /** Overrides what the route table says: whether requests count against the caller's limit. */
  rateLimited?: boolean;
  /** Where the counts live; defaults to the pipeline's limiter. */
  rateLimiter?: RateLimiter;
}

/**
 * The ports the pipeline needs, asked for on the first request that uses them (a function whose routes take
 * no key and count nothing needs neither a table nor its variable). The http layer builds no adapter: the
 * composition passes them (shared/composition/http.ts, the single table).
 */
export interface PipelineStores {
  idempotencyStore: () => BasePersistenceLayer;
  rateLimiter: () => RateLimiter;
}

/** What a pipeline has when nobody composed one: a request that needs a store fails (a 500) and says so. */
const NO_STORES: PipelineStores = {
  idempotencyStore: () => {
    throw new Error('No idempotency store was composed for this handler');
  },
  rateLimiter: () => {
    throw new Error('No rate limiter was composed for this handler');
  },
};

export function httpHandler<S extends RequestSchemas>(
  schemas: S,
  handle: (request: HttpRequest<S>) => Promise<HttpResult | TextResult>,
  options: HttpHandlerOptions = {},
  stores: PipelineStores = NO_STORES,
) {
  // The idempotent unit: the caller's limit, the use case and the mapping of their errors, so a 4xx is
  // stored like a 2xx (but a 429 is not: idempotency.ts), and a replay is answered without counting.
  const respond = async (
    event: HttpEvent,
    request: HttpRequest<S>,
    deadlineAt: number,
  ): Promise<StoredResponse> => {
    try {
      if (options.rateLimited ?? routeRateLimited(event.routeKey)) {
        await enforceRateLimit(event, options.rateLimiter ?? stores.rateLimiter());
      }
      return toResponse(await withDeadline(deadlineAt, () => handle(request)));
    } catch (error) {
      return errorResponse(error, event);
    }
  };

  return basePipeline().handler(async (event, context) => {
    // A merchant API request is answered 401/403 before its key or body is looked at.
    guardApiKeyRoute(event);
    const scope = idempotencyScope(event, options.idempotency ?? routeIdempotency(event.routeKey));
    // Invalid input is answered before the idempotent unit and never stored (as Stripe does), so a
    // client may fix the body and retry with the same key.
    const request = parseRequest(event, schemas);
    const deadlineAt = requestDeadline(context);
    const response =
      scope === undefined
        ? await respond(event, request, deadlineAt)
        : await runIdempotently(scope, context, options.idempotencyStore ?? stores.idempotencyStore(), () =>
            respond(event, request, deadlineAt),
          );
    recordResponse(event.routeKey, response.statusCode);
    return response;
  });
}

export type RouteHandler = (event: HttpEvent, context: Context) => Promise<HttpResponse>;

const unknownRoute = httpHandler({}, async () => {
  throw new NotFoundError('Route');
});

/**
 * Function `fn` serving its routes of the route table, each route key to its own handler. The keys are
 * typed from the route table: a route key that `fn` does not serve, or one of its routes left out, does
 * not compile.
 */
export function byRoute<F extends FunctionName>(
  _fn: F,
  handlers: Readonly<Record<RouteKeyOfFunction<F>, RouteHandler>>,
): RouteHandler {
  const table: Readonly<Record<string, RouteHandler>> = handlers;
  return (event, context) => (table[event.routeKey] ?? unknownRoute)(event, context);
}
