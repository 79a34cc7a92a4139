/**
 * The local HTTP API: what API Gateway does in front of the Lambda functions. It matches requests against
 * the route table, checks the JWT like the HTTP API JWT authorizer (or, on a merchant API route, runs the
 * API-key authorizer function, uncached, so a revoked key fails at once), builds the payload 2.0 event and
 * invokes the route's function. Requests under /local/ and /_matrix/ go to the local helper routes instead.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { ErrorCode } from '../shared/domain/errors.js';
import { errorBody, statusOf } from '../shared/http/errors.js';
import { type RouteDefinition, routeKey } from '../shared/infra/routes.js';
import { type Claims, verifyBearer } from './auth.js';
import type { LocalLambda } from './lambda.js';
import type { Counters } from './metrics.js';

export const MAX_BODY_BYTES = 256 * 1024;
/**
 * API Gateway reads a request up to its own 10 MB payload limit before it answers. Below that we read the
 * rest of an oversized body and discard it, so the 413 reaches a client that is still writing; answering
 * mid-upload and closing would reset its socket (EPIPE) before it can read the answer.
 */
export const DRAIN_LIMIT_BYTES = 10 * 1024 * 1024;

export interface LocalRequest {
  method: string;
  /** Path without the query string, still percent-encoded. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export interface LocalResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A helper route of the local stack; answers undefined when the request is not its own. */
export type LocalRoute = (
  request: LocalRequest,
) => Promise<LocalResponse | undefined> | LocalResponse | undefined;

export interface HttpApiOptions {
  port: number;
  routes: readonly RouteDefinition[];
  lambda: LocalLambda;
  jwtSecret: string;
  counters: Counters;
  localRoutes: readonly LocalRoute[];
}

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  params: string[];
}

/** How long an idle keep-alive connection stays open: well past any client's own idle close. */
const IDLE_CONNECTION_MS = 65_000;

export class RequestTooLargeError extends Error {
  override readonly name = 'RequestTooLargeError';
  /** Whether the whole body was read, so the connection can stay open for the answer and after it. */
  constructor(readonly drained: boolean) {
    super('The request body is too large');
  }
}

export async function startHttpApi(
  options: HttpApiOptions,
): Promise<{ server: Server; url: string; port: number }> {
  const compiled = options.routes.map(compileRoute);
  const server = createServer((req, res) => {
    // Our own address, as API Gateway names its domain: the base of every URL the functions hand out.
    const { port } = server.address() as AddressInfo;
    handle(req, res, compiled, options, `127.0.0.1:${port}`).catch((error: unknown) => {
      sendError(res, 'INTERNAL', 'Something went wrong on our side');
      process.stderr.write(
        `local http api: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    });
  });
  // An idle connection is closed by the client first, as in front of API Gateway: at Node's default of 5 s
  // the server's close raced a client's reuse of the connection (undici keeps it 4 s), and a POST sent on a
  // connection closed under it fails with no answer, which event-loop lag under load makes likely.
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  server.headersTimeout = IDLE_CONNECTION_MS + 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, port };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  compiled: readonly CompiledRoute[],
  options: HttpApiOptions,
  domainName: string,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toUpperCase();
  let body: Buffer;
  try {
    body = await readBody(req, MAX_BODY_BYTES);
  } catch (error) {
    if (!(error instanceof RequestTooLargeError)) throw error;
    if (!error.drained) res.setHeader('connection', 'close');
    return sendError(res, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${MAX_BODY_BYTES} bytes`);
  }
  const request: LocalRequest = {
    method,
    path: url.pathname,
    query: url.searchParams,
    headers: headersOf(req),
    body,
  };

  if (url.pathname.startsWith('/local/') || url.pathname.startsWith('/_matrix/')) {
    for (const localRoute of options.localRoutes) {
      const answer = await localRoute(request);
      if (answer !== undefined) return send(res, answer.status, answer.body, answer.headers);
    }
    return sendError(res, 'NOT_FOUND', `No local route ${method} ${url.pathname}`);
  }

  options.counters.add('apiRequests');
  const match = matchRoute(compiled, method, url.pathname);
  if (match === undefined) return sendError(res, 'NOT_FOUND', `No route ${method} ${url.pathname}`);

  let claims: Claims | undefined;
  if (match.route.auth === 'jwt') {
    const verified = await verifyBearer(request.headers.authorization, options.jwtSecret);
    if (!verified.ok) return sendError(res, 'UNAUTHORIZED', 'A valid bearer token is required');
    claims = verified.claims;
  }

  let authorizerContext: Record<string, unknown> | undefined;
  if (match.route.auth === 'apiKey') {
    try {
      authorizerContext = contextOf(
        await options.lambda.invoke('apiKeyAuthorizer', toAuthorizerEvent(request, match.route, domainName)),
      );
    } catch {
      // API Gateway answers an authorizer that failed with a bare 500 as well.
      return sendError(res, 'INTERNAL', 'Something went wrong on our side');
    }
  }

  const event = toEvent(request, match.route, match.params, claims, domainName, authorizerContext);
  let result: unknown;
  try {
    result = await options.lambda.invoke(match.route.fn, event);
  } catch {
    // API Gateway answers a crashed integration with a bare 500; the error itself is in the function's log.
    return sendError(res, 'INTERNAL', 'Something went wrong on our side');
  }
  writeLambdaResult(res, result);
}

function compileRoute(route: RouteDefinition): CompiledRoute {
  const params: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(segment);
      if (!param?.[1]) return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      params.push(param[1]);
      return param[2] === '+' ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), params };
}

function matchRoute(
  compiled: readonly CompiledRoute[],
  method: string,
  path: string,
): { route: RouteDefinition; params: Record<string, string> } | undefined {
  for (const { route, pattern, params } of compiled) {
    if (route.method !== method) continue;
    const found = pattern.exec(path);
    if (found === null) continue;
    const values: Record<string, string> = {};
    params.forEach((name, index) => {
      values[name] = safeDecode(found[index + 1] ?? '');
    });
    return { route, params: values };
  }
  return undefined;
}

function toEvent(
  request: LocalRequest,
  route: RouteDefinition,
  pathParameters: Record<string, string>,
  claims: Claims | undefined,
  domainName: string,
  authorizerContext?: Record<string, unknown>,
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const now = new Date();
  const textual = isTextual(request.headers['content-type']);
  const query: Record<string, string> = {};
  for (const name of new Set(request.query.keys())) query[name] = request.query.getAll(name).join(',');
  const hasBody = request.body.length > 0;
  return {
    version: '2.0',
    routeKey: routeKey(route),
    rawPath: request.path,
    rawQueryString: request.query.toString(),
    headers: {
      ...(Object.fromEntries(Object.entries(request.headers).filter(([, v]) => v !== undefined)) as Record<
        string,
        string
      >),
      // Set by API Gateway whatever the client sent; locally the scheme is plain HTTP.
      'x-forwarded-proto': 'http',
      'x-forwarded-port': domainName.slice(domainName.lastIndexOf(':') + 1),
    },
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: { claims: stringClaims(claims ?? {}), scopes: [] },
        // A Lambda authorizer's context, where API Gateway puts it (payload 2.0).
        ...(authorizerContext === undefined ? {} : { lambda: authorizerContext }),
      },
      domainName,
      domainPrefix: 'localhost',
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: request.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: routeKey(route),
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(hasBody
      ? {
          body: textual ? request.body.toString('utf8') : request.body.toString('base64'),
          isBase64Encoded: !textual,
        }
      : { isBase64Encoded: false }),
  };
}

/** What API Gateway sends a REQUEST authorizer (payload 2.0): the request's headers, route and path. */
function toAuthorizerEvent(request: LocalRequest, route: RouteDefinition, domainName: string) {
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([, v]) => v !== undefined));
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:us-east-1:000000000000:local/$default/${route.method}${route.path}`,
    identitySource: [request.headers.authorization ?? ''],
    routeKey: routeKey(route),
    rawPath: request.path,
    rawQueryString: request.query.toString(),
    cookies: [],
    headers,
    requestContext: { domainName, http: { method: request.method, path: request.path } },
  };
}

/** The context of a simple authorizer answer that allows; a denial (none here) would have been a 403. */
function contextOf(answer: unknown): Record<string, unknown> {
  if (typeof answer !== 'object' || answer === null) throw new Error('The authorizer gave no answer');
  const { isAuthorized, context } = answer as { isAuthorized?: unknown; context?: unknown };
  if (isAuthorized !== true) return {};
  return typeof context === 'object' && context !== null ? (context as Record<string, unknown>) : {};
}

// The HTTP API JWT authorizer hands claims over as strings; arrays become "[a b]".
function stringClaims(claims: Claims): Record<string, string> {
  return Object.fromEntries(
    Object.entries(claims).map(([name, value]) => [
      name,
      Array.isArray(value) ? `[${value.join(' ')}]` : String(value),
    ]),
  );
}

function writeLambdaResult(res: ServerResponse, result: unknown): void {
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    send(res, 200, result);
    return;
  }
  const structured = result as {
    statusCode: number;
    headers?: Record<string, string | number | boolean>;
    body?: string;
    isBase64Encoded?: boolean;
  };
  for (const [name, value] of Object.entries(structured.headers ?? {})) res.setHeader(name, String(value));
  res.statusCode = structured.statusCode;
  const body = structured.body ?? '';
  res.end(structured.isBase64Encoded === true ? Buffer.from(body, 'base64') : body);
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (body === undefined || body === null) return void res.end();
  if (!res.hasHeader('content-type')) res.setHeader('content-type', 'application/json');
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

export function sendError(res: ServerResponse, code: ErrorCode, message: string): void {
  send(res, statusOf[code], errorBody(code, message));
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > DRAIN_LIMIT_BYTES) {
    req.resume();
    return Promise.reject(new RequestTooLargeError(false));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_LIMIT_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new RequestTooLargeError(false));
        return;
      }
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () =>
      size > limit ? reject(new RequestTooLargeError(true)) : resolve(Buffer.concat(chunks)),
    );
    req.on('error', reject);
  });
}

function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

function isTextual(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  return /^(text\/|application\/(json|[a-z.+-]*\+json|x-www-form-urlencoded|xml))/i.test(contentType);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
