/** The shared definitions agree with each other: what CDK deploys and the local stack runs is coherent. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { functions } from '../../../shared/infra/functions.js';
import { routeKey, routes } from '../../../shared/infra/routes.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
/** The routes providers call, one per provider (`/api/v1/webhooks/stripe`, later `/paypal`). */
const PROVIDER_WEBHOOK = /^\/api\/v1\/webhooks\/(stripe|paypal)$/;

describe('Catalogue: routes and functions', () => {
  it('has one entry per route key', () => {
    // Act
    const keys = routes.map(routeKey);

    // Assert
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(routes.map((route) => [routeKey(route), route] as const))(
    'gives %s a function whose entry module exists',
    (_, route) => {
      // Assert
      expect(existsSync(`${root}${functions[route.fn].entry}`)).toBe(true);
    },
  );

  it.each(
    routes.filter((route) => route.idempotency !== 'none').map((route) => [routeKey(route), route] as const),
  )('lets the function of %s write the table, where idempotency records live', (_, route) => {
    // Assert
    expect(functions[route.fn].capabilities).toContain('table:write');
  });

  it('requires an Idempotency-Key on every POST that moves money', () => {
    // Arrange
    const moneyMoving = [
      '/wallet/v1/topup',
      '/api/v1/payments/request',
      '/api/v1/payments/{paymentId}/refund',
      '/wallet/v1/p2p/initiate',
      '/wallet/v1/gift/create',
    ];

    // Assert
    for (const path of moneyMoving) {
      expect(routes.find((route) => route.method === 'POST' && route.path === path)?.idempotency).toBe(
        'required',
      );
    }
  });

  it("puts a merchant's API key with a scope in front of every merchant API route (/v1/*)", () => {
    // Assert
    for (const route of routes.filter((candidate) => candidate.path.startsWith('/v1/'))) {
      expect([routeKey(route), route.auth, route.scope !== undefined]).toEqual([
        routeKey(route),
        'apiKey',
        true,
      ]);
    }
  });

  it('puts a JWT in front of every route but health, docs, provider webhooks, checkout pages and the merchant API', () => {
    // Assert
    for (const route of routes.filter((candidate) => !candidate.path.startsWith('/v1/'))) {
      const open =
        route.path.startsWith('/health') ||
        route.path === '/openapi.json' ||
        route.path === '/docs' ||
        route.path.startsWith('/docs/') ||
        PROVIDER_WEBHOOK.test(route.path) ||
        route.path.startsWith('/checkout/') ||
        route.path.startsWith('/v1/');
      expect([routeKey(route), route.auth === 'jwt']).toEqual([routeKey(route), !open]);
    }
  });

  it('puts an API key, with the scope it needs, in front of exactly the merchant API (/v1/*)', () => {
    // Assert
    for (const route of routes) {
      expect([routeKey(route), route.auth === 'apiKey']).toEqual([
        routeKey(route),
        route.path.startsWith('/v1/'),
      ]);
      if (route.auth === 'apiKey')
        expect([routeKey(route), route.scope]).toEqual([routeKey(route), expect.any(String)]);
    }
  });

  it('checks a provider signature, not a token, on exactly the provider webhook routes', () => {
    // Assert
    for (const route of routes) {
      expect([routeKey(route), route.auth === 'webhook']).toEqual([
        routeKey(route),
        PROVIDER_WEBHOOK.test(route.path),
      ]);
    }
  });

  it('requires a JWT on the ops routes under /api/v1/webhooks/', () => {
    // Arrange
    const ops = routes.filter(
      (route) => route.path.startsWith('/api/v1/webhooks/') && !PROVIDER_WEBHOOK.test(route.path),
    );

    // Assert
    expect(ops.map(routeKey).sort()).toEqual(['GET /api/v1/webhooks/events', 'POST /api/v1/webhooks/replay']);
    for (const route of ops) expect([routeKey(route), route.auth]).toEqual([routeKey(route), 'jwt']);
  });

  it('keeps the raw body and a route throttle on every provider webhook route', () => {
    // Assert
    for (const route of routes.filter((candidate) => candidate.auth === 'webhook')) {
      expect([routeKey(route), route.rawBody, route.throttle]).toEqual([
        routeKey(route),
        true,
        expect.objectContaining({ burstLimit: expect.any(Number), rateLimit: expect.any(Number) }),
      ]);
    }
  });
});
