/**
 * The middy stack every HTTP handler runs in: Powertools logging, tracing and metrics, request parsing,
 * and the one error mapper. A handler supplies its schemas and a function from the parsed request to a
 * result; everything else lives here.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mapError } from './errors.js';
import { logger, metrics, tracer } from './observability.js';
import { type HttpEvent, type HttpRequest, parseRequest, type RequestSchemas } from './request.js';

export interface HttpResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type HttpResponse = APIGatewayProxyStructuredResultV2;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

export function httpHandler<S extends RequestSchemas>(
  schemas: S,
  handle: (request: HttpRequest<S>) => Promise<HttpResult>,
) {
  return middy<HttpEvent, HttpResponse, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer))
    .use(logMetrics(metrics))
    .use(errorMapper())
    .handler(async (event) => {
      const result = await handle(parseRequest(event, schemas));
      recordResponse(event.routeKey, result.status);
      return json(result.status, result.body, result.headers);
    });
}

function errorMapper(): MiddlewareObj<HttpEvent, HttpResponse, Error, Context> {
  return {
    onError: async (request) => {
      const mapped = mapError(request.error);
      if (mapped.unexpected) logger.error('Request failed', { error: request.error });
      recordResponse(request.event.routeKey, mapped.status);
      request.response = json(mapped.status, mapped.body);
    },
  };
}

/** One metric per answer, by route and status class (`2xx`, `4xx`, `5xx`). */
function recordResponse(routeKey: string, status: number): void {
  metrics.addDimension('route', routeKey);
  metrics.addMetric(`responses${Math.floor(status / 100)}xx`, MetricUnit.Count, 1);
}
