import { routeKey, routes } from '../../shared/infra/routes.js';
import { call } from '../support/api.js';

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { security?: unknown[] }>>;
}

describe('Stack: health and docs', () => {
  describe.each(['/health', '/health/ready', '/health/startup'])('Route: GET %s', (path) => {
    it('answers 200 ok without a token', async () => {
      // Act
      const answer = await call<{ status: string; probe: string }>('GET', path);

      // Assert
      expect(answer.status).toBe(200);
      expect(answer.body.status).toBe('ok');
    });
  });

  describe('Route: GET /health/integrations', () => {
    it('reports table, queue, bus, Step Functions and KMS each ok when the stack is up', async () => {
      // Act
      const answer = await call<{ status: string; checks: { name: string; status: string }[] }>(
        'GET',
        '/health/integrations',
      );

      // Assert
      expect(answer.status).toBe(200);
      expect(answer.body.status).toBe('ok');
      expect(answer.body.checks.map((check) => [check.name, check.status]).sort()).toEqual([
        ['bus', 'ok'],
        ['kms', 'ok'],
        ['queue', 'ok'],
        ['stepFunctions', 'ok'],
        ['table', 'ok'],
      ]);
    });
  });

  describe('Route: GET /openapi.json', () => {
    it('publishes an OpenAPI 3.1 document with every route of the route table', async () => {
      // Act
      const answer = await call<OpenApiDocument>('GET', '/openapi.json');

      // Assert
      expect(answer.status).toBe(200);
      expect(answer.body.openapi).toBe('3.1.0');
      const documented = Object.entries(answer.body.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
      );
      expect(documented.sort()).toEqual(routes.map(routeKey).sort());
    });
  });
});
