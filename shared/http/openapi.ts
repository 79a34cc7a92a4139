/**
 * The OpenAPI 3.1 document, generated from the route table and the zod schemas in `operations`.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { type RouteDefinition, routeKey, routes } from '../infra/routes.js';
import { statusOf } from './errors.js';
import { type OperationDoc, operations } from './operations.js';
import { ErrorResponse } from './schemas/common.js';

type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

export function buildOpenApiDocument(
  routeTable: readonly RouteDefinition[] = routes,
  docs: Readonly<Record<string, OperationDoc>> = operations,
): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });

  for (const route of routeTable) {
    const doc = docs[routeKey(route)];
    if (doc === undefined) throw new Error(`No operation documented for ${routeKey(route)}`);
    registry.registerPath({
      method: route.method.toLowerCase() as Lowercase<RouteDefinition['method']>,
      path: route.path,
      summary: route.summary,
      tags: [...route.tags],
      ...(route.auth === 'jwt' ? { security: [{ bearer: [] }] } : {}),
      request: requestOf(doc, route),
      responses: responsesOf(doc, route),
    });
  }

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Tween Payments API',
      version: '1.0.0',
      description: 'Mini-app payments, wallets, P2P transfers and group gifts for Tween (TMCP).',
    },
  });
}

function requestOf(doc: OperationDoc, route: RouteDefinition) {
  const { body, query, params } = doc.request ?? {};
  const headers = [
    ...(route.idempotency === 'none' ? [] : [idempotencyHeader(route.idempotency === 'required')]),
    ...(doc.headers ?? []),
  ];
  return {
    ...(body === undefined ? {} : { body: { content: { 'application/json': { schema: body } } } }),
    ...(query === undefined ? {} : { query: query as z.ZodObject }),
    ...(params === undefined ? {} : { params: params as z.ZodObject }),
    ...(headers.length === 0 ? {} : { headers }),
  };
}

function idempotencyHeader(required: boolean): z.ZodType {
  const key = z.string().min(1).max(255);
  return (required ? key : key.optional()).meta({
    param: { name: 'Idempotency-Key', in: 'header' },
    description: 'Retries with the same key replay the first answer (kept 24 h)',
  });
}

function responsesOf(doc: OperationDoc, route: RouteDefinition) {
  const responses: Record<string, { description: string; content?: Record<string, { schema: z.ZodType }> }> =
    {};
  for (const [status, response] of Object.entries(doc.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.schema === undefined
        ? {}
        : { content: { 'application/json': { schema: response.schema } } }),
    };
  }
  // Every route refuses a body above MAX_BODY_BYTES; the routes that take one say so.
  const takesBody = doc.request?.body !== undefined || route.rawBody === true;
  const errorStatuses = [400, 500, ...(route.auth === 'jwt' ? [401] : []), ...(takesBody ? [413] : [])];
  for (const status of errorStatuses) {
    responses[String(status)] ??= {
      description: Object.entries(statusOf)
        .filter(([, code]) => code === status)
        .map(([name]) => name)
        .join(', '),
      content: { 'application/json': { schema: ErrorResponse } },
    };
  }
  return responses;
}
