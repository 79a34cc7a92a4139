/**
 * Builders for the events and context API Gateway (HTTP API, payload 2.0) and Lambda hand a handler, so unit
 * tests can invoke handlers directly with realistic, fully typed inputs.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';

export type JwtClaims =
  APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer']['jwt']['claims'];

export interface HttpEventOptions {
  /** The route key, e.g. `POST /api/v1/payments/request`; method and path are taken from it. */
  routeKey?: string;
  /** The concrete path; defaults to the route key's path. */
  rawPath?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  params?: Record<string, string>;
  /** A string is sent as is; anything else is JSON-encoded. */
  body?: unknown;
  isBase64Encoded?: boolean;
  /** The verified token's claims; `null` builds an event without any authorizer (a public route). */
  claims?: JwtClaims | null;
}

export function httpEvent(options: HttpEventOptions = {}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const routeKey = options.routeKey ?? 'GET /test';
  const [method = 'GET', routePath = '/'] = routeKey.split(' ');
  const rawPath = options.rawPath ?? routePath;
  const query = options.query;
  const requestContext = {
    accountId: '123456789012',
    apiId: 'api-id',
    domainName: 'api.tween.example',
    domainPrefix: 'api',
    http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'jest' },
    requestId: 'request-id',
    routeKey,
    stage: '$default',
    time: '01/Jan/2030:00:00:00 +0000',
    timeEpoch: 1_893_456_000_000,
  };
  const authorizer = {
    principalId: null,
    integrationLatency: null,
    jwt: { claims: options.claims ?? { sub: '@alice:tween.example' }, scopes: null },
  };
  const event = {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: query === undefined ? '' : new URLSearchParams(query).toString(),
    headers: options.headers ?? {},
    requestContext: options.claims === null ? requestContext : { ...requestContext, authorizer },
    isBase64Encoded: options.isBase64Encoded ?? false,
    ...(query === undefined ? {} : { queryStringParameters: query }),
    ...(options.params === undefined ? {} : { pathParameters: options.params }),
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
  };
  // Without claims the authorizer is absent, as API Gateway sends it for a route with no authorizer.
  return event as APIGatewayProxyEventV2WithJWTAuthorizer;
}

/** A Lambda context with a fixed request id and a generous deadline. */
export function lambdaContext(functionName = 'test-function'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: 'aws-request-id',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
