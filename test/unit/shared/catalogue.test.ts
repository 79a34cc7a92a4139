/** The shared definitions agree with each other: what CDK deploys and the local stack runs is coherent. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { functions } from '../../../shared/infra/functions.js';
import { routeKey, routes } from '../../../shared/infra/routes.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

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

  it('puts a JWT in front of every route but health, docs and provider webhooks', () => {
    // Assert
    for (const route of routes) {
      const open =
        route.path.startsWith('/health') ||
        route.path === '/openapi.json' ||
        route.path.startsWith('/api/v1/webhooks/');
      expect([routeKey(route), route.auth === 'jwt']).toEqual([routeKey(route), !open]);
    }
  });
});
