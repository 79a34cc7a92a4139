/**
 * The middy stack every HTTP handler runs in: Powertools logging, tracing and metrics, request parsing,
 * idempotency and per-caller limits as the route table says, and the one error mapper. A handler supplies its
 * schemas and a function from the parsed request to a result; everything else lives here.
 */

import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { withDeadline } from '../app/deadline.js';
import type { RateLimiter } from '../app/rate-limit.js';
import { NotFoundError } from '../domain/errors.js';
import type { FunctionName } from '../infra/functions.js';
import type { RouteKeyOfFunction } from '../infra/routes.js';
import { logger, metrics } from '../observability/powertools.js';
import { handlerTracing } from '../observability/trace-hooks.js';
import { mapError, withAbsoluteUrls } from './errors.js';
import {
  type IdempotencyMode,
  idempotencyScope,
  routeIdempotency,
  runIdempotently,
  type StoredResponse,
} from './idempotency.js';
import { enforceRateLimit, routeRateLimited } from './rate-limit.js';
import { type HttpEvent, type HttpRequest, parseRequest, type RequestSchemas } from './request.js';
import { absoluteUrl } from './urls.js';

/** API Gateway answers 504 after 29 s (its integration timeout), whatever the function's own timeout. */
export const API_GATEWAY_TIMEOUT_MS = 29_000;
/** Kept back from the budget for what follows a provider's answer: recording it and answering. */
export const ANSWER_RESERVE_MS = 1_000;

/**
 * The request's deadline (epoch ms) for every provider call it makes (app/deadline.ts): the function's
 * remaining time, at most API Gateway's 29 s, less the reserve for answering.
 */
export function requestDeadline(
  context: Pick<Context, 'getRemainingTimeInMillis'>,
  now = Date.now(),
): number {
  return now + Math.min(context.getRemainingTimeInMillis(), API_GATEWAY_TIMEOUT_MS) - ANSWER_RESERVE_MS;
}

export interface HttpResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** An answer that is not JSON (the API reference's page and assets): `text` is sent as is, typed `contentType`. */
export interface TextResult {
  status: number;
  text: string;
  contentType: string;
  headers?: Record<string, string>;
}

export type HttpResponse = APIGatewayProxyStructuredResultV2;

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

export function json(status: number, body: unknown, headers: Record<string, string> = {}): StoredResponse {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

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
      const result = await withDeadline(deadlineAt, () => handle(request));
      if ('text' in result) {
        return {
          statusCode: result.status,
          headers: { ...result.headers, 'content-type': result.contentType },
          body: result.text,
        };
      }
      return json(result.status, result.body, result.headers);
    } catch (error) {
      return errorResponse(error, event);
    }
  };

  const pipeline = middy<HttpEvent, HttpResponse, Error, Context>().use(
    injectLambdaContext(logger, { resetKeys: true }),
  );
  // Only in the functions that trace (observability/trace-hooks.ts); it never records the answer (tracing.ts).
  const tracing = handlerTracing();
  if (tracing !== undefined) pipeline.use(tracing);
  return pipeline
    .use(logMetrics(metrics))
    .use(errorMapper())
    .handler(async (event, context) => {
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

function errorMapper(): MiddlewareObj<HttpEvent, HttpResponse, Error, Context> {
  return {
    onError: async (request) => {
      const response = errorResponse(request.error, request.event);
      recordResponse(request.event.routeKey, response.statusCode);
      request.response = response;
    },
  };
}

function errorResponse(error: unknown, event: HttpEvent): StoredResponse {
  const mapped = mapError(error);
  if (mapped.unexpected) logger.error('Request failed', { error });
  const body = withAbsoluteUrls(mapped.body, (path) => absoluteUrl(event, path));
  return json(mapped.status, body, mapped.headers);
}

/** One metric per answer, by route and status class (`2xx`, `4xx`, `5xx`). */
function recordResponse(routeKey: string, status: number): void {
  metrics.addDimension('route', routeKey);
  metrics.addMetric(`responses${Math.floor(status / 100)}xx`, MetricUnit.Count, 1);
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
