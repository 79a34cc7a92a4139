/**
 * The local HTTP API (what API Gateway and its JWT authorizer do), over real HTTP: first against the
 * running stack, then against a fixture route table served by the same code, for the routes the
 * service does not have yet (an authenticated JSON POST).
 */
import type { Server } from 'node:http';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { DEFAULT_LOCAL_JWT_SECRET, LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../local/auth.js';
import { MAX_BODY_BYTES } from '../../local/http-api.js';
import { call, tokenFor } from '../support/api.js';
import { lambdaContext } from '../support/events.js';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';

const { startHttpApi } = await import('../../local/http-api.js');
const { LocalLambda } = await import('../../local/lambda.js');
const { Counters } = await import('../../local/metrics.js');
const { httpHandler } = await import('../../shared/http/handler.js');

const secret = new TextEncoder().encode(DEFAULT_LOCAL_JWT_SECRET);

describe('Stack: local HTTP API', () => {
  describe('Route: unknown', () => {
    it('answers 404 NOT_FOUND in the error shape when no route matches', async () => {
      // Act
      const answer = await call('GET', '/no/such/route');

      // Assert
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
      expect(answer.headers.get('content-type')).toContain('application/json');
    });

    it('answers 404 when the path exists for another method', async () => {
      // Act
      const answer = await call('DELETE', '/health');

      // Assert
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ error: { code: 'NOT_FOUND' } });
    });
  });

  describe('Limit: request size', () => {
    it('answers 413 in the error shape when the body is larger than 256 KB', async () => {
      // Act
      const answer = await call('POST', '/health', { rawBody: 'x'.repeat(MAX_BODY_BYTES + 1) });

      // Assert
      expect(answer.status).toBe(413);
      expect(answer.body).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    });

    it('reads a body of exactly 256 KB', async () => {
      // Act: the route does not exist, so reaching routing proves the body was accepted.
      const answer = await call('POST', '/no/such/route', { rawBody: 'x'.repeat(MAX_BODY_BYTES) });

      // Assert
      expect(answer.status).toBe(404);
    });
  });
});

describe('Server: HTTP API on a fixture route table', () => {
  const counters = new Counters();
  const lambda = new LocalLambda(counters);
  let server: Server;
  let baseUrl: string;

  const echo = httpHandler(
    {
      body: z.object({ amount: z.number().int().positive(), note: z.string().max(20).optional() }).strict(),
      params: z.object({ orderId: z.string() }),
    },
    async (request) => ({
      status: 201,
      body: { caller: request.caller(), orderId: request.params.orderId, body: request.body },
    }),
  );
  const crash = httpHandler({}, async () => {
    throw new Error('secret internals: table tween-payments, key arn:aws:kms:...');
  });

  beforeAll(async () => {
    const fn = (handler: (event: unknown) => Promise<unknown>) => ({
      memoryMb: 128,
      timeoutSeconds: 5,
      load: async () => handler,
    });
    lambda.register(
      'echo',
      fn((event) => echo(event as never, lambdaContext())),
    );
    lambda.register(
      'crash',
      fn((event) => crash(event as never, lambdaContext())),
    );
    const api = await startHttpApi({
      port: 0,
      routes: [
        {
          method: 'POST',
          path: '/fixture/orders/{orderId}',
          fn: 'echo' as never,
          auth: 'jwt',
          idempotency: 'none',
          summary: 'echo',
          tags: [],
        },
        {
          method: 'GET',
          path: '/fixture/crash',
          fn: 'crash' as never,
          auth: 'none',
          idempotency: 'none',
          summary: 'crash',
          tags: [],
        },
      ],
      lambda,
      jwtSecret: DEFAULT_LOCAL_JWT_SECRET,
      counters,
      localRoutes: [],
    });
    server = api.server;
    baseUrl = api.url;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  async function post(path: string, options: { authorization?: string; body?: string } = {}) {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.authorization === undefined ? {} : { authorization: options.authorization }),
      },
      body: options.body ?? JSON.stringify({ amount: 1050 }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function signed(claims: { aud?: string; iss?: string; exp?: number; alg?: string }, key = secret) {
    return new SignJWT({})
      .setProtectedHeader({ alg: claims.alg ?? 'HS256' })
      .setSubject('@alice:tween.example')
      .setAudience(claims.aud ?? LOCAL_AUDIENCE)
      .setIssuer(claims.iss ?? LOCAL_ISSUER)
      .setIssuedAt()
      .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 600)
      .sign(key);
  }

  describe('Authorizer: JWT', () => {
    it('passes the claims to the handler as requestContext.authorizer.jwt.claims when the token is valid', async () => {
      // Arrange
      const token = await tokenFor('@alice:tween.example', { roles: ['ops'] });

      // Act
      const answer = await post('/fixture/orders/o%2F1', { authorization: `Bearer ${token}` });

      // Assert
      expect(answer.status).toBe(201);
      expect(answer.body).toEqual({
        caller: { userId: '@alice:tween.example', roles: ['ops'] },
        orderId: 'o/1',
        body: { amount: 1050 },
      });
    });

    const refusals: [string, () => Promise<string | undefined>][] = [
      ['no Authorization header', async () => undefined],
      ['a scheme other than Bearer', async () => `Basic ${Buffer.from('alice:pw').toString('base64')}`],
      ['an expired token', async () => `Bearer ${await signed({ exp: Math.floor(Date.now() / 1000) - 60 })}`],
      ['another audience', async () => `Bearer ${await signed({ aud: 'someone-else' })}`],
      ['another issuer', async () => `Bearer ${await signed({ iss: 'https://evil.example' })}`],
      [
        'a token signed with another secret',
        async () => `Bearer ${await signed({}, new TextEncoder().encode('x'.repeat(40)))}`,
      ],
      ['a token signed with HS512', async () => `Bearer ${await signed({ alg: 'HS512' })}`],
      ['an alg: none token', async () => `Bearer ${unsignedToken()}`],
      ['garbage', async () => 'Bearer not.a.jwt'],
    ];
    it.each(refusals)('answers 401 UNAUTHORIZED when the request carries %s', async (_, authorization) => {
      // Act
      const header = await authorization();
      const answer = await post('/fixture/orders/o1', header === undefined ? {} : { authorization: header });

      // Assert
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    });
  });

  describe('Parsing: JSON body', () => {
    it('answers 400 VALIDATION_ERROR when the body is not valid JSON', async () => {
      // Arrange
      const token = await tokenFor('@alice:tween.example');

      // Act
      const answer = await post('/fixture/orders/o1', {
        authorization: `Bearer ${token}`,
        body: '{"amount": 10',
      });

      // Assert
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
    });

    it('answers 400 VALIDATION_ERROR naming the field when the body breaks the schema', async () => {
      // Arrange
      const token = await tokenFor('@alice:tween.example');

      // Act
      const answer = await post('/fixture/orders/o1', {
        authorization: `Bearer ${token}`,
        body: JSON.stringify({ amount: 10.5, state: 'Completed' }),
      });

      // Assert
      expect(answer.status).toBe(400);
      const issues = (answer.body.error as { details: { issues: { path: string }[] } }).details.issues;
      expect(issues.map((issue) => issue.path)).toEqual(expect.arrayContaining(['amount']));
    });
  });

  describe('Mapping: unexpected errors', () => {
    it('answers 500 INTERNAL without any internals when the handler throws', async () => {
      // Act
      const response = await fetch(`${baseUrl}/fixture/crash`);
      const text = await response.text();

      // Assert
      expect(response.status).toBe(500);
      expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: expect.any(String) } });
      expect(text).not.toMatch(/secret|tween-payments|arn:|at .*\.ts/);
    });
  });
});

function unsignedToken(): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({
    sub: '@mallory:tween.example',
    aud: LOCAL_AUDIENCE,
    iss: LOCAL_ISSUER,
    exp: now + 600,
  })}.`;
}
