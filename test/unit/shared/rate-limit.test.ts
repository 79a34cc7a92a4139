import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { z } from 'zod';
import { rateLimitKey } from '../../../shared/adapters/dynamodb/keys.js';
import { DynamoDbRateLimiter } from '../../../shared/adapters/dynamodb/rate-limiter.js';
import type { RateDecision, RateLimiter } from '../../../shared/app/rate-limit.js';
import { functionDefinition } from '../../../shared/infra/functions.js';
import { routeKey, routes } from '../../../shared/infra/routes.js';
import { httpEvent, lambdaContext } from '../../support/events.js';
import { InMemoryIdempotencyStore } from '../../support/idempotency-store.js';

// Powertools reads its configuration when the instances are built (at import): no metrics, no X-Ray, no logs.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const { httpHandler } = await import('../../../shared/http/handler.js');
const { buildOpenApiDocument } = await import('../../../shared/http/openapi.js');
const { routeRateLimited } = await import('../../../shared/http/rate-limit.js');

/** The limiter's contract in memory: `limit` requests per subject and operation, then refusals. */
class CountingLimiter implements RateLimiter {
  readonly taken = new Map<string, number>();
  constructor(private readonly limit: number) {}

  async take(subject: string, operation: string): Promise<RateDecision> {
    const key = `${subject} ${operation}`;
    const count = this.taken.get(key) ?? 0;
    if (count >= this.limit) return { allowed: false, retryAfterSeconds: 42 };
    this.taken.set(key, count + 1);
    return { allowed: true };
  }
}

const ROUTE = 'POST /api/v1/payments/request';
const Order = z.object({ ref: z.string() });

function limitedRoute(limiter: RateLimiter) {
  let runs = 0;
  const handler = httpHandler(
    { body: Order },
    async (request) => {
      runs += 1;
      return { status: 201, body: { ref: request.body.ref } };
    },
    { rateLimiter: limiter, idempotencyStore: new InMemoryIdempotencyStore() },
  );
  return {
    runs: () => runs,
    invoke: (options: { key: string; ref?: string; sub?: string }) =>
      handler(
        httpEvent({
          routeKey: ROUTE,
          headers: { 'idempotency-key': options.key },
          body: { ref: options.ref ?? options.key },
          claims: { sub: options.sub ?? '@alice:tween.example' },
        }),
        lambdaContext(),
      ),
  };
}

describe('Function: routeRateLimited', () => {
  it("returns true for every user's route that requires an Idempotency-Key (the money-moving POSTs)", () => {
    // Arrange: the limit is per user (the JWT's subject); the merchant API's key-authorized routes have
    // a throttle of their own in the route table instead.
    const moneyRoutes = routes
      .filter((route) => route.idempotency === 'required' && route.auth !== 'apiKey')
      .map(routeKey);

    // Act & Assert
    expect(moneyRoutes.length).toBeGreaterThan(0);
    for (const key of moneyRoutes) expect([key, routeRateLimited(key)]).toEqual([key, true]);
  });

  it('leaves no key-authorized money-moving route without a throttle of its own', () => {
    const merchantMoneyRoutes = routes.filter(
      (route) => route.idempotency === 'required' && route.auth === 'apiKey',
    );
    expect(merchantMoneyRoutes.length).toBeGreaterThan(0);
    for (const route of merchantMoneyRoutes)
      expect([routeKey(route), route.throttle]).toEqual([routeKey(route), expect.any(Object)]);
  });

  it('returns true for the MFA challenge and verification and false for reads', () => {
    // Arrange & Act & Assert
    expect(routeRateLimited('POST /payments/v1/{paymentId}/mfa/verify')).toBe(true);
    expect(routeRateLimited('POST /payments/v1/{paymentId}/mfa/challenge')).toBe(true);
    expect(routeRateLimited('GET /payments/v1/user/{userId}/balance')).toBe(false);
    expect(routeRateLimited('GET /health')).toBe(false);
  });

  it('returns true only for routes whose function may write the table, where the counters live', () => {
    // Arrange
    const limited = routes.filter((route) => route.userRateLimit === true);

    // Act & Assert
    for (const route of limited) {
      expect([routeKey(route), functionDefinition(route.fn).capabilities]).toEqual([
        routeKey(route),
        expect.arrayContaining(['table:write']),
      ]);
      expect(route.auth).toBe('jwt');
    }
  });
});

describe('Middleware: per-caller limit', () => {
  it('answers 429 RATE_LIMITED with Retry-After, without running the use case, once the caller has used the limit', async () => {
    // Arrange
    const route = limitedRoute(new CountingLimiter(2));
    await route.invoke({ key: 'k1' });
    await route.invoke({ key: 'k2' });

    // Act
    const refused = await route.invoke({ key: 'k3' });

    // Assert
    expect(refused.statusCode).toBe(429);
    expect(refused.headers).toEqual({ 'content-type': 'application/json', 'retry-after': '42' });
    expect(JSON.parse(refused.body ?? '')).toEqual({
      error: {
        code: 'RATE_LIMITED',
        message: 'Too many requests; try again later',
        details: { retryAfterSeconds: 42 },
      },
    });
    expect(route.runs()).toBe(2);
  });

  it('counts each caller apart: another user is answered while the first is limited', async () => {
    // Arrange
    const route = limitedRoute(new CountingLimiter(1));
    await route.invoke({ key: 'k1' });

    // Act
    const limited = await route.invoke({ key: 'k2' });
    const other = await route.invoke({ key: 'k2', sub: '@bob:tween.example' });

    // Assert
    expect(limited.statusCode).toBe(429);
    expect(other.statusCode).toBe(201);
  });

  it('replays a stored answer without taking from the limit', async () => {
    // Arrange
    const limiter = new CountingLimiter(2);
    const route = limitedRoute(limiter);
    const first = await route.invoke({ key: 'k1' });

    // Act
    const replays = await Promise.all([route.invoke({ key: 'k1' }), route.invoke({ key: 'k1' })]);
    const second = await route.invoke({ key: 'k2' });

    // Assert
    expect(first.statusCode).toBe(201);
    for (const replay of replays) {
      expect(replay.statusCode).toBe(201);
      expect(replay.headers).toHaveProperty('idempotent-replayed', 'true');
    }
    expect(second.statusCode).toBe(201);
    expect(limiter.taken.get(`@alice:tween.example ${ROUTE}`)).toBe(2);
  });

  it('does not store a 429: the same key runs once the limit allows it again', async () => {
    // Arrange
    const limiter = new CountingLimiter(1);
    const route = limitedRoute(limiter);
    await route.invoke({ key: 'k1' });
    const refused = await route.invoke({ key: 'k2' });
    limiter.taken.clear(); // a new window

    // Act
    const retried = await route.invoke({ key: 'k2' });

    // Assert
    expect(refused.statusCode).toBe(429);
    expect(retried.statusCode).toBe(201);
    expect(retried.headers).not.toHaveProperty('idempotent-replayed');
  });

  it('takes nothing on a route the table does not limit', async () => {
    // Arrange
    const limiter = new CountingLimiter(0);
    const handler = httpHandler({}, async () => ({ status: 200, body: {} }), { rateLimiter: limiter });

    // Act
    const response = await handler(
      httpEvent({ routeKey: 'GET /payments/v1/user/{userId}/balance' }),
      lambdaContext(),
    );

    // Assert
    expect(response.statusCode).toBe(200);
  });
});

describe('Function: buildOpenApiDocument (per-caller limits)', () => {
  it('returns a 429 response on every limited operation', () => {
    // Arrange & Act
    const document = buildOpenApiDocument();

    // Assert
    for (const route of routes.filter((candidate) => candidate.userRateLimit === true)) {
      const operation = document.paths?.[route.path]?.[route.method.toLowerCase() as 'post'];
      expect([routeKey(route), Object.keys(operation?.responses ?? {})]).toEqual([
        routeKey(route),
        expect.arrayContaining(['429']),
      ]);
    }
  });
});

describe('Class: DynamoDbRateLimiter', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const NOW = Date.parse('2030-01-01T00:00:17.250Z');
  const WINDOW_START = Date.parse('2030-01-01T00:00:00.000Z');
  const limiter = () =>
    new DynamoDbRateLimiter(
      DynamoDBDocumentClient.from(new DynamoDBClient({})),
      'tween',
      { limit: 10, windowSeconds: 60 },
      () => NOW,
    );

  beforeEach(() => {
    dynamo.reset();
  });

  describe('Method: take', () => {
    it('adds one to the window counter on the condition that it is below the limit, with a TTL', async () => {
      // Arrange
      dynamo.on(UpdateCommand).resolves({});

      // Act
      const decision = await limiter().take('@alice:tween.example', ROUTE);

      // Assert
      expect(decision).toEqual({ allowed: true });
      expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
        TableName: 'tween',
        Key: rateLimitKey('@alice:tween.example', ROUTE, WINDOW_START),
        UpdateExpression: 'SET #type = :type, expiresAt = :expiresAt ADD #count :one',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
        ExpressionAttributeValues: expect.objectContaining({
          ':one': 1,
          ':limit': 10,
          ':expiresAt': (WINDOW_START + 60_000) / 1000 + 60,
        }),
      });
    });

    it('returns a refusal with the seconds left in the window when the condition fails', async () => {
      // Arrange
      dynamo
        .on(UpdateCommand)
        .rejects(
          new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
        );

      // Act
      const decision = await limiter().take('@alice:tween.example', ROUTE);

      // Assert
      expect(decision).toEqual({ allowed: false, retryAfterSeconds: 43 });
    });

    it('throws any other error of the table', async () => {
      // Arrange
      dynamo.on(UpdateCommand).rejects(new Error('ProvisionedThroughputExceededException'));

      // Act & Assert
      await expect(limiter().take('@alice:tween.example', ROUTE)).rejects.toThrow(
        'ProvisionedThroughputExceededException',
      );
    });
  });
});

describe('Function: rateLimitKey', () => {
  it('returns one partition per caller and one sort key per route and window', () => {
    // Arrange & Act & Assert
    expect(rateLimitKey('@alice:tween.example', ROUTE, 1_893_456_000_000)).toEqual({
      PK: 'RATELIMIT#@alice:tween.example',
      SK: `${ROUTE}#1893456000000`,
    });
  });
});
