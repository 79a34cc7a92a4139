/**
 * The OpenAPI 3.1 document, generated from the route table and the zod schemas in `operations`.
 *
 * Every operation lists every status it can answer and, for each error status, the codes behind it. What
 * the route's properties imply is derived here (a bearer token → 401, an Idempotency-Key → 400/409/422, a
 * body → 400/413, an id in the path → 404, or 403 for `{userId}`, and 429 and 500 everywhere); what the
 * use case itself raises is in the operation's `errors` and `responses` (shared/http/operations/*.ts).
 */
import * as z from 'zod/mini';
import type * as core from 'zod/v4/core';
import type { ErrorCode } from '../domain/errors.js';
import { type RouteDefinition, routeKey, routes } from '../infra/routes.js';
import { AMOUNT_FIELDS, CURRENCY_FIELDS, statusOf } from './errors.js';
import { errorSchemaObject } from './openapi-errors.js';
import { type JsonSchema, SchemaComponents } from './openapi-schemas.js';
import { tagDescriptions } from './openapi-tags.js';
import { type OperationDoc, operations } from './operations.js';
import { ErrorResponse } from './schemas/common.js';

export { tagDescriptions } from './openapi-tags.js';

interface Parameter {
  schema: JsonSchema;
  required: boolean;
  description?: string;
  name: string;
  in: 'path' | 'query' | 'header';
}

interface ResponseObject {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, { schema: JsonSchema }>;
}

interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, ResponseObject>;
}

type Method = Lowercase<RouteDefinition['method']>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: {
    title: string;
    version: string;
    description: string;
    license: { name: string; identifier: string };
  };
  servers: { url: string; description: string }[];
  security: Record<string, string[]>[];
  tags: { name: string; description: string }[];
  components: {
    securitySchemes: Record<
      string,
      { type: 'http'; scheme: string; bearerFormat: string; description: string }
    >;
    schemas: Record<string, JsonSchema>;
    parameters: Record<string, Parameter>;
  };
  paths: Record<string, Partial<Record<Method, Operation>>>;
  webhooks: Record<string, never>;
}

const info: OpenApiDocument['info'] = {
  title: 'Tween Payments API',
  version: '1.0.0',
  description:
    'Mini-app payments, wallets, P2P transfers and group gifts for Tween (TMCP). Amounts are integers in the ' +
    'currency\'s minor unit. Every error answers `{"error": {"code", "message", "details"?}}`; each ' +
    'operation lists the codes it can answer under each status. Every URL an answer hands out ' +
    '(`mfa.challengeUrl`, `details.challengeUrl`, `nextAction.url`) is absolute. Field names keep the case ' +
    'of the specification each family comes from, on purpose: payments, wallets and MFA are camelCase ' +
    '(`paymentMethod`, `roomId`), P2P transfers and group gifts snake_case (`room_id`, `total_amount`), as ' +
    'their seed specifications are, and the merchant API (`/v1/*`) snake_case, as Stripe is.',
  license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
};

/** The document is served by the API it describes: its paths are relative to wherever it was fetched. */
const servers: OpenApiDocument['servers'] = [
  { url: '/', description: 'The deployment serving this document' },
];

/** What a code means on any operation, where the operation has nothing more precise to say. */
const impliedMeaning: Partial<Record<ErrorCode, string>> = {
  VALIDATION_ERROR: 'the request does not match this operation (details.issues says where)',
  INVALID_AMOUNT: "an amount that is not a positive integer in the currency's minor unit",
  UNSUPPORTED_CURRENCY: 'a currency this service does not take',
  IDEMPOTENCY_KEY_MISSING: 'this operation needs an Idempotency-Key header',
  UNAUTHORIZED: 'no valid bearer token',
  INVALID_API_KEY: 'no API key, or a bad, revoked or expired one',
  INSUFFICIENT_SCOPE: "the API key lacks this operation's scope",
  FORBIDDEN: '`{userId}` is not the caller',
  NOT_FOUND: 'no such resource of the caller',
  IDEMPOTENCY_IN_PROGRESS: 'a request with this Idempotency-Key is still running; retry later',
  PAYLOAD_TOO_LARGE: 'the body is larger than 64 KiB',
  IDEMPOTENCY_KEY_REUSED: 'this Idempotency-Key was used with a different body',
  RATE_LIMITED: 'too many requests; retry after `Retry-After` seconds',
  INTERNAL: 'something went wrong on our side; nothing is said about it',
};

const retryAfter = {
  'Retry-After': {
    description: 'Seconds to wait before retrying (with RATE_LIMITED)',
    schema: { type: 'integer' as const, minimum: 1 },
  },
};

export function buildOpenApiDocument(
  routeTable: readonly RouteDefinition[] = routes,
  docs: Readonly<Record<string, OperationDoc>> = operations,
): OpenApiDocument {
  const components = new SchemaComponents();
  const paths: OpenApiDocument['paths'] = {};
  const operationIds = new Set<string>();
  for (const route of routeTable) {
    const doc = docs[routeKey(route)];
    if (doc === undefined) throw new Error(`No operation documented for ${routeKey(route)}`);
    if (operationIds.has(doc.operationId)) {
      throw new Error(`Operation id ${doc.operationId} is used twice (again by ${routeKey(route)})`);
    }
    operationIds.add(doc.operationId);
    for (const tag of route.tags) {
      if (tagDescriptions[tag] === undefined)
        throw new Error(`Tag ${tag} of ${routeKey(route)} is undescribed`);
    }
    // Responses first: components are listed in the order the document has always listed them.
    const responses = responsesOf(doc, route, components);
    const parameters = parametersOf(doc, route, components);
    const body = doc.request?.body;
    const operation: Operation = {
      operationId: doc.operationId,
      summary: route.summary,
      ...(doc.description === undefined ? {} : { description: doc.description }),
      tags: [...route.tags],
      security: securityOf(route),
      ...(parameters.length === 0 ? {} : { parameters }),
      ...(body === undefined
        ? {}
        : {
            requestBody: {
              // Optional where every field is: no body at all is read as {} (shared/http/request.ts).
              required: !z.safeParse(body, {}).success,
              content: { 'application/json': { schema: components.schemaOf(body) } },
            },
          }),
      responses,
    };
    const item = paths[route.path] ?? {};
    item[route.method.toLowerCase() as Method] = operation;
    paths[route.path] = item;
  }

  const usedTags = new Set(routeTable.flatMap((route) => route.tags));
  return {
    openapi: '3.1.0',
    info,
    servers,
    security: [{ bearer: [] }],
    tags: Object.entries(tagDescriptions)
      .filter(([name]) => usedTags.has(name))
      .map(([name, description]) => ({ name, description })),
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A TMCP access token; the caller is its `sub`, a Matrix user id',
        },
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'sk_test_... | sk_live_...',
          description: "A merchant's secret API key; its mode and scopes are the caller's",
        },
      },
      schemas: components.schemas(),
      parameters: {},
    },
    paths,
    webhooks: {},
  };
}

/** Which token an operation takes; public ones say so with none (webhooks are signed by their provider). */
function securityOf(route: RouteDefinition): Record<string, string[]>[] {
  if (route.auth === 'jwt') return [{ bearer: [] }];
  if (route.auth === 'apiKey') return [{ apiKey: [] }];
  return [];
}

/** Path, then query, then header parameters: one per property of the params and query object schemas. */
function parametersOf(doc: OperationDoc, route: RouteDefinition, components: SchemaComponents): Parameter[] {
  const { query, params } = doc.request ?? {};
  const headers = [
    ...(route.idempotency === 'none' ? [] : [idempotencyHeader(route.idempotency === 'required')]),
    ...(doc.headers ?? []),
  ];
  const fields = (schema: core.$ZodType | undefined, where: 'path' | 'query'): Parameter[] =>
    Object.entries(shapeOf(schema, routeKey(route))).map(([name, field]) =>
      parameter(field, name, where, components),
    );
  return [
    ...fields(params, 'path'),
    ...fields(query, 'query'),
    ...headers.map((header) => {
      const param = z.globalRegistry.get(header)?.param as { name?: string } | undefined;
      if (param?.name === undefined) throw new Error(`A header of ${routeKey(route)} has no param name`);
      return parameter(header, param.name, 'header', components);
    }),
  ];
}

function parameter(
  schema: core.$ZodType,
  name: string,
  where: Parameter['in'],
  components: SchemaComponents,
): Parameter {
  const description = z.globalRegistry.get(schema)?.description;
  return {
    schema: components.schemaOf(schema),
    required: schema._zod.optin === undefined,
    ...(description === undefined ? {} : { description }),
    name,
    in: where,
  };
}

/** The properties of a params or query schema, which must be an object schema. */
function shapeOf(schema: core.$ZodType | undefined, route: string): Record<string, core.$ZodType> {
  if (schema === undefined) return {};
  const def = schema._zod.def;
  if (def.type !== 'object') throw new Error(`The parameters of ${route} are not an object schema`);
  return (def as core.$ZodObjectDef).shape;
}

function idempotencyHeader(required: boolean): core.$ZodType {
  const key = z.string().check(z.minLength(1), z.maxLength(255));
  return (required ? key : z.optional(key)).register(z.globalRegistry, {
    param: { name: 'Idempotency-Key', in: 'header' },
    description: 'Retries with the same key replay the first answer (kept 24 h)',
  });
}

/**
 * The codes a route's properties imply, whatever its use case: the token, the Idempotency-Key, the body,
 * the ids in its path, the limits and our own failures.
 */
export function impliedErrors(route: RouteDefinition, doc: OperationDoc): ErrorCode[] {
  const codes: ErrorCode[] = ['RATE_LIMITED', 'INTERNAL'];
  const { body, query, params } = doc.request ?? {};
  if (route.auth === 'jwt') codes.push('UNAUTHORIZED');
  if (route.auth === 'apiKey') codes.push('INVALID_API_KEY');
  if (route.scope !== undefined) codes.push('INSUFFICIENT_SCOPE');
  if (route.idempotency !== 'none') {
    // A malformed key is a VALIDATION_ERROR, a missing required one IDEMPOTENCY_KEY_MISSING.
    codes.push('VALIDATION_ERROR', 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED');
    if (route.idempotency === 'required') codes.push('IDEMPOTENCY_KEY_MISSING');
  }
  if (body !== undefined || query !== undefined || params !== undefined) codes.push('VALIDATION_ERROR');
  if (body !== undefined && hasField(body, AMOUNT_FIELDS)) codes.push('INVALID_AMOUNT');
  if (body !== undefined && hasField(body, CURRENCY_FIELDS)) codes.push('UNSUPPORTED_CURRENCY');
  if (body !== undefined || route.rawBody === true) codes.push('PAYLOAD_TOO_LARGE');
  for (const [, name] of route.path.matchAll(/\{(\w+)\}/g))
    codes.push(name === 'userId' ? 'FORBIDDEN' : 'NOT_FOUND');
  return [...new Set(codes)];
}

/** Whether an object schema has, at any depth, a property named as one of `names`. */
function hasField(schema: core.$ZodType, names: ReadonlySet<string>): boolean {
  const def = (schema as core.$ZodTypes)._zod.def;
  switch (def.type) {
    case 'object':
      return Object.entries(def.shape).some(([name, field]) => names.has(name) || hasField(field, names));
    case 'optional':
    case 'nullable':
    case 'default':
      return hasField(def.innerType, names);
    case 'union':
      return def.options.some((option) => hasField(option, names));
    case 'pipe':
      return hasField(def.in, names);
    default:
      return false;
  }
}

/** Words that may be error codes (`FORBIDDEN`, `NOT_ROOM_MEMBER`); only those in statusOf count. */
const codePattern = /\b[A-Z][A-Z0-9_]{2,}\b/g;

function responsesOf(
  doc: OperationDoc,
  route: RouteDefinition,
  components: SchemaComponents,
): Record<string, ResponseObject> {
  // Schemas stay zod schemas until every status is settled: a component is listed only if it is used.
  // An error status's schema is named by its codes (errorSchemaObject converts that shape once).
  type Draft = Omit<ResponseObject, 'content'> & {
    content?: Record<string, { schema: core.$ZodType } | { codes: ErrorCode[] }>;
  };
  const responses: Record<string, Draft> = {};
  for (const [status, response] of Object.entries(doc.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.schema === undefined && Number(status) < 400
        ? {}
        : {
            content: {
              [response.contentType ?? 'application/json']: {
                schema: response.schema ?? ErrorResponse,
              },
            },
          }),
    };
  }

  // Every code this operation can answer, grouped by status: those its use case raises (`errors`, and those
  // named in a documented error response), then those its route's properties imply.
  const byStatus = new Map<number, Map<ErrorCode, string | undefined>>();
  const add = (code: ErrorCode, meaning: string | undefined) => {
    const codes = byStatus.get(statusOf[code]) ?? new Map<ErrorCode, string | undefined>();
    if (!codes.has(code) || codes.get(code) === undefined) codes.set(code, meaning);
    byStatus.set(statusOf[code], codes);
  };
  for (const [status, response] of Object.entries(doc.responses)) {
    if (Number(status) < 400) continue;
    for (const [token] of response.description.matchAll(codePattern)) {
      if (isErrorCode(token) && statusOf[token] === Number(status)) add(token, undefined);
    }
  }
  for (const [code, meaning] of Object.entries(doc.errors ?? {})) {
    if (isErrorCode(code)) add(code, meaning);
  }
  for (const code of impliedErrors(route, doc)) add(code, impliedMeaning[code]);

  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const documented = doc.responses[status]?.description;
    const more = [...codes].filter(([code]) => documented === undefined || !documented.includes(code));
    const lines = more.map(([code, meaning]) => `\`${code}\`${meaning === undefined ? '' : `: ${meaning}`}`);
    const description = [documented, ...lines].filter((line) => line !== undefined).join('\n\n');
    responses[String(status)] = {
      description,
      ...(status === 429 ? { headers: retryAfter } : {}),
      content: { 'application/json': { codes: [...codes.keys()].sort() } },
    };
  }
  return Object.fromEntries(
    Object.entries(responses).map(([status, { content, ...response }]) => [
      status,
      content === undefined
        ? response
        : {
            ...response,
            content: Object.fromEntries(
              Object.entries(content).map(([type, entry]) => [
                type,
                {
                  schema:
                    'codes' in entry
                      ? errorSchemaObject(entry.codes, components)
                      : components.schemaOf(entry.schema),
                },
              ]),
            ),
          },
    ]),
  );
}

function isErrorCode(token: string): token is ErrorCode {
  return Object.hasOwn(statusOf, token);
}
