import { z } from 'zod';
import { buildOpenApiDocument } from '../../../shared/http/openapi.js';
import { type OperationDoc, operations } from '../../../shared/http/operations.js';
import { type RouteDefinition, routeKey, routes } from '../../../shared/infra/routes.js';

type Document = ReturnType<typeof buildOpenApiDocument>;
type PathItem = NonNullable<NonNullable<Document['paths']>[string]>;
type Operation = NonNullable<PathItem['get']>;

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
}

function operationOf(
  document: Document,
  route: Pick<RouteDefinition, 'method' | 'path'>,
): Operation | undefined {
  const method = route.method.toLowerCase() as Lowercase<RouteDefinition['method']>;
  return document.paths?.[route.path]?.[method];
}

/** The operation's inline parameters (this generator never emits `$ref` parameters for them). */
function parametersOf(operation: Operation | undefined): Parameter[] {
  return (operation?.parameters ?? []).flatMap((parameter) => ('name' in parameter ? [parameter] : []));
}

function route(
  overrides: Partial<RouteDefinition> & Pick<RouteDefinition, 'method' | 'path'>,
): RouteDefinition {
  return { fn: 'health', auth: 'jwt', idempotency: 'none', summary: 'A route', tags: ['test'], ...overrides };
}

const ok: OperationDoc = { responses: { 200: { description: 'OK' } } };

describe('Function: buildOpenApiDocument', () => {
  describe('with the service route table', () => {
    const document = buildOpenApiDocument();

    it('returns an OpenAPI 3.1.0 document', () => {
      // Arrange & Act & Assert
      expect(document.openapi).toBe('3.1.0');
      expect(document.info.title).toBe('Tween Payments API');
    });

    it.each(routes.map((r) => [routeKey(r), r] as const))('returns an operation for %s', (_key, r) => {
      // Arrange & Act
      const operation = operationOf(document, r);

      // Assert
      expect(operation).toBeDefined();
    });

    it('returns exactly as many operations as the route table has routes', () => {
      // Arrange
      const methods = ['get', 'post', 'put', 'patch', 'delete'];

      // Act
      const count = Object.values(document.paths ?? {})
        .map((item) => Object.keys(item).filter((key) => methods.includes(key)).length)
        .reduce((total, n) => total + n, 0);

      // Assert
      expect(count).toBe(routes.length);
    });

    it.each(routes.map((r) => [routeKey(r), r] as const))(
      'returns bearer security for %s only when the route needs a JWT',
      (_key, r) => {
        // Arrange & Act
        const operation = operationOf(document, r);

        // Assert
        if (r.auth === 'jwt') expect(operation?.security).toEqual([{ bearer: [] }]);
        else expect(operation?.security).toBeUndefined();
      },
    );

    it('returns the bearer security scheme as an HTTP JWT scheme', () => {
      // Arrange & Act & Assert
      expect(document.components?.securitySchemes?.bearer).toEqual({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
      });
    });
  });

  describe('with a given route table', () => {
    it('returns bearer security for a jwt route and none for a public or webhook route', () => {
      // Arrange
      const table = [
        route({ method: 'GET', path: '/private', auth: 'jwt' }),
        route({ method: 'GET', path: '/public', auth: 'none' }),
        route({ method: 'POST', path: '/hooks', auth: 'webhook' }),
      ];
      const docs = { 'GET /private': ok, 'GET /public': ok, 'POST /hooks': ok };

      // Act
      const document = buildOpenApiDocument(table, docs);

      // Assert
      expect(operationOf(document, { method: 'GET', path: '/private' })?.security).toEqual([{ bearer: [] }]);
      expect(operationOf(document, { method: 'GET', path: '/public' })?.security).toBeUndefined();
      expect(operationOf(document, { method: 'POST', path: '/hooks' })?.security).toBeUndefined();
    });

    it('returns a 401 error response for a jwt route and none for a public route', () => {
      // Arrange
      const table = [
        route({ method: 'GET', path: '/private', auth: 'jwt' }),
        route({ method: 'GET', path: '/public', auth: 'none' }),
      ];

      // Act
      const document = buildOpenApiDocument(table, { 'GET /private': ok, 'GET /public': ok });

      // Assert
      const privateResponses = operationOf(document, { method: 'GET', path: '/private' })?.responses ?? {};
      const publicResponses = operationOf(document, { method: 'GET', path: '/public' })?.responses ?? {};
      expect(Object.keys(privateResponses).sort()).toEqual(['200', '400', '401', '500']);
      expect(Object.keys(publicResponses).sort()).toEqual(['200', '400', '500']);
      expect(privateResponses['401']).toMatchObject({ description: 'UNAUTHORIZED, MFA_FAILED' });
    });

    it('returns a 413 error response for a route that takes a body or a raw body, and none for one that takes neither', () => {
      // Arrange
      const table = [
        route({ method: 'PUT', path: '/json' }),
        route({ method: 'POST', path: '/hooks', auth: 'webhook', rawBody: true }),
        route({ method: 'POST', path: '/bare' }),
      ];
      const docs: Record<string, OperationDoc> = {
        'PUT /json': { request: { body: z.object({ pin: z.string() }) }, responses: ok.responses },
        'POST /hooks': ok,
        'POST /bare': ok,
      };

      // Act
      const document = buildOpenApiDocument(table, docs);

      // Assert
      expect(operationOf(document, { method: 'PUT', path: '/json' })?.responses?.['413']).toMatchObject({
        description: 'PAYLOAD_TOO_LARGE',
      });
      expect(operationOf(document, { method: 'POST', path: '/hooks' })?.responses?.['413']).toBeDefined();
      expect(operationOf(document, { method: 'POST', path: '/bare' })?.responses?.['413']).toBeUndefined();
    });

    it('throws naming the route when a route has no operation documented', () => {
      // Arrange
      const table = [
        route({ method: 'GET', path: '/documented' }),
        route({ method: 'DELETE', path: '/orphan' }),
      ];

      // Act & Assert
      expect(() => buildOpenApiDocument(table, { 'GET /documented': ok })).toThrow(
        'No operation documented for DELETE /orphan',
      );
    });

    it('returns a required Idempotency-Key header for a route where idempotency is required', () => {
      // Arrange
      const table = [route({ method: 'POST', path: '/wallet/v1/topup', idempotency: 'required' })];
      const docs: Record<string, OperationDoc> = {
        'POST /wallet/v1/topup': {
          request: { body: z.object({ amount: z.number().int() }) },
          responses: { 201: { description: 'Created' } },
        },
      };

      // Act
      const document = buildOpenApiDocument(table, docs);

      // Assert
      const operation = operationOf(document, { method: 'POST', path: '/wallet/v1/topup' });
      expect(parametersOf(operation)).toContainEqual(
        expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }),
      );
      expect(operation?.requestBody).toBeDefined();
    });

    it('returns an optional Idempotency-Key header for a route where idempotency is optional', () => {
      // Arrange
      const table = [route({ method: 'POST', path: '/things', idempotency: 'optional' })];

      // Act
      const document = buildOpenApiDocument(table, { 'POST /things': ok });

      // Assert
      const header = parametersOf(operationOf(document, { method: 'POST', path: '/things' })).find(
        (parameter) => parameter.name === 'Idempotency-Key',
      );
      expect(header).toMatchObject({ in: 'header' });
      expect(header?.required).not.toBe(true);
    });

    it('returns no Idempotency-Key header for a route without idempotency', () => {
      // Arrange
      const table = [route({ method: 'GET', path: '/things', idempotency: 'none' })];

      // Act
      const document = buildOpenApiDocument(table, { 'GET /things': ok });

      // Assert
      const parameters = parametersOf(operationOf(document, { method: 'GET', path: '/things' }));
      expect(parameters.map((parameter) => parameter.name)).not.toContain('Idempotency-Key');
    });

    it('returns path and query parameters from the operation schemas', () => {
      // Arrange
      const table = [route({ method: 'GET', path: '/users/{userId}/transactions' })];
      const docs: Record<string, OperationDoc> = {
        'GET /users/{userId}/transactions': {
          request: {
            params: z.object({ userId: z.string() }),
            query: z.object({ limit: z.string().optional() }),
          },
          responses: { 200: { description: 'OK' } },
        },
      };

      // Act
      const document = buildOpenApiDocument(table, docs);

      // Assert
      const parameters = parametersOf(
        operationOf(document, { method: 'GET', path: '/users/{userId}/transactions' }),
      );
      expect(parameters).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'userId', in: 'path', required: true }),
          expect.objectContaining({ name: 'limit', in: 'query' }),
        ]),
      );
    });

    it('keeps a documented error response instead of the generic one', () => {
      // Arrange
      const table = [route({ method: 'GET', path: '/things' })];
      const docs = {
        'GET /things': { responses: { 200: { description: 'OK' }, 400: { description: 'Bad limit' } } },
      };

      // Act
      const document = buildOpenApiDocument(table, docs);

      // Assert
      expect(operationOf(document, { method: 'GET', path: '/things' })?.responses?.['400']).toMatchObject({
        description: 'Bad limit',
      });
    });
  });
});

describe('Object: operations', () => {
  it('has no operation for a route that is not in the route table', () => {
    // Arrange
    const routeKeys = new Set(routes.map(routeKey));

    // Act
    const stale = Object.keys(operations).filter((key) => !routeKeys.has(key));

    // Assert
    expect(stale).toEqual([]);
  });

  it('has an operation for every route in the route table', () => {
    // Arrange & Act
    const undocumented = routes.map(routeKey).filter((key) => operations[key] === undefined);

    // Assert
    expect(undocumented).toEqual([]);
  });
});
