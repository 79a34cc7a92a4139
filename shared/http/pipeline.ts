/**
 * What every HTTP pipeline shares (handler.ts's, with idempotency and per-caller limits, and
 * plain-handler.ts's, for routes that need neither): Powertools logging, tracing where the function traces,
 * metrics, the one error mapper, and the shape of an answer. Nothing here imports the idempotency or the
 * rate-limit machinery, so the plain pipeline carries neither.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { logger, metrics } from '../observability/powertools.js';
import { handlerTracing } from '../observability/trace-hooks.js';
import { mapError, withAbsoluteUrls } from './errors.js';
import type { StoredResponse } from './idempotency.js';
import type { HttpEvent } from './request.js';
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
export interface PlainTextResult {
  status: number;
  text: string;
  contentType: string;
  headers?: Record<string, string>;
}

/**
 * A binary answer (an invoice's PDF): API Gateway's HTTP API takes a Lambda's binary body base64-encoded
 * with `isBase64Encoded: true` and sends the bytes (the local HTTP API decodes it the same way).
 */
export interface BinaryResult {
  status: number;
  bytes: Uint8Array;
  contentType: string;
  headers?: Record<string, string>;
}

/** An answer that is not JSON: text or bytes. */
export type TextResult = PlainTextResult | BinaryResult;

export type HttpResponse = APIGatewayProxyStructuredResultV2;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): StoredResponse {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

/** A use case's result as the response it stores and sends. */
export function toResponse(result: HttpResult | TextResult): StoredResponse {
  if ('bytes' in result) {
    return {
      statusCode: result.status,
      headers: { ...result.headers, 'content-type': result.contentType },
      body: Buffer.from(result.bytes).toString('base64'),
      isBase64Encoded: true,
    };
  }
  if ('text' in result) {
    return {
      statusCode: result.status,
      headers: { ...result.headers, 'content-type': result.contentType },
      body: result.text,
    };
  }
  return json(result.status, result.body, result.headers);
}

/** The middleware every HTTP handler runs in, in order: logging, tracing (if traced), metrics, errors. */
export function basePipeline() {
  const pipeline = middy<HttpEvent, HttpResponse, Error, Context>().use(
    injectLambdaContext(logger, { resetKeys: true }),
  );
  // Only in the functions that trace (observability/trace-hooks.ts); it never records the answer (tracing.ts).
  const tracing = handlerTracing();
  if (tracing !== undefined) pipeline.use(tracing);
  return pipeline.use(logMetrics(metrics)).use(errorMapper());
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

export function errorResponse(error: unknown, event: HttpEvent): StoredResponse {
  const mapped = mapError(error);
  if (mapped.unexpected) logger.error('Request failed', { error });
  const body = withAbsoluteUrls(mapped.body, (path) => absoluteUrl(event, path));
  return json(mapped.status, body, mapped.headers);
}

/** One metric per answer, by route and status class (`2xx`, `4xx`, `5xx`). */
export function recordResponse(routeKey: string, status: number): void {
  metrics.addDimension('route', routeKey);
  metrics.addMetric(`responses${Math.floor(status / 100)}xx`, MetricUnit.Count, 1);
}
