import { z } from 'zod';
import { statusOf } from '../../../shared/http/errors.js';
import { buildOpenApiDocument, tagDescriptions } from '../../../shared/http/openapi.js';
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
  return {
    fn: 'health',
    auth: 'jwt',
    idempotency: 'none',
    summary: 'A route',
    tags: ['health'],
    ...overrides,
  };
}

const ok: OperationDoc = { operationId: 'anOperation', responses: { 200: { description: 'OK' } } };

/** A documented operation with its own operation id, for tables of several routes. */
function doc(operationId: string, more: Partial<OperationDoc> = {}): OperationDoc {
  return { ...ok, operationId, ...more };
}

/** The error codes a response lists in its schema (`error.code`'s enum). */
function codesOf(response: unknown): string[] {
  const schema = (response as { content?: Record<string, { schema?: unknown }> }).content?.[
    'application/json'
  ]?.schema as { properties?: { error?: { properties?: { code?: { enum?: string[] } } } } } | undefined;
  return schema?.properties?.error?.properties?.code?.enum ?? [];
}

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

function allOperations(document: Document): [string, Operation][] {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    methods.flatMap((method) => {
      const operation = item[method];
      return operation === undefined
        ? []
        : [[`${method.toUpperCase()} ${path}`, operation] as [string, Operation]];
    }),
  );
}

describe('Function: buildOpenApiDocument', () => {
  describe('with the service route table', () => {
    const document = buildOpenApiDocument();

    it('returns an OpenAPI 3.1.0 document', () => {
      // Arrange & Act & Assert
      expect(document.openapi).toBe('3.1.0');
      expect(document.info.title).toBe('Tween Payments API');
    });

    it('says once, in its description, why payments are camelCase and P2P, gifts and merchants snake_case', () => {
      // Arrange & Act
      const description = document.info.description ?? '';

      // Assert
      expect(description).toMatch(/payments, wallets and MFA are camelCase/);
      expect(description).toMatch(/P2P transfers and group gifts snake_case .* seed specifications/);
      expect(description).toMatch(/merchant API \(`\/v1\/\*`\) snake_case, as Stripe is/);
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
      'returns bearer security for %s when the route needs a JWT, apiKey security for a merchant API route, and `security: []` when it is public',
      (_key, r) => {
        // Arrange & Act
        const operation = operationOf(document, r);

        // Assert
        if (r.auth === 'jwt') expect(operation?.security).toEqual([{ bearer: [] }]);
        else if (r.auth === 'apiKey') expect(operation?.security).toEqual([{ apiKey: [] }]);
        else expect(operation?.security).toEqual([]);
      },
    );

    it('returns the bearer security scheme as an HTTP JWT scheme', () => {
      // Arrange & Act & Assert
      expect(document.components?.securitySchemes?.bearer).toEqual({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: expect.stringContaining('Matrix user id'),
      });
    });

    it('returns the apiKey security scheme as a bearer scheme of sk_ keys', () => {
      // Arrange & Act & Assert
      expect(document.components?.securitySchemes?.apiKey).toMatchObject({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: expect.stringContaining('sk_test_'),
      });
    });

    it("returns the merchant's balance (API.md: object, available, pending, reserved, livemode) for GET /v1/balance, not a wallet's", () => {
      // Arrange
      const answer = operationOf(document, { method: 'GET', path: '/v1/balance' })?.responses?.['200'];
      const ref = (answer as { content?: Record<string, { schema?: { $ref?: string } }> } | undefined)
        ?.content?.['application/json']?.schema?.$ref;

      // Act
      const schema = document.components?.schemas?.[ref?.split('/').at(-1) ?? ''] as
        | { properties?: Record<string, unknown> }
        | undefined;

      // Assert
      expect(Object.keys(schema?.properties ?? {})).toEqual([
        'object',
        'available',
        'pending',
        'reserved',
        'livemode',
      ]);
    });

    it('returns 401 INVALID_API_KEY on every merchant API operation and 403 INSUFFICIENT_SCOPE where a scope is needed', () => {
      // Arrange
      const merchantRoutes = routes.filter((r) => r.auth === 'apiKey');

      // Act & Assert
      expect(merchantRoutes.length).toBeGreaterThan(0);
      for (const r of merchantRoutes) {
        const responses = operationOf(document, r)?.responses ?? {};
        expect(JSON.stringify(responses['401'])).toContain('INVALID_API_KEY');
        if (r.scope !== undefined) expect(JSON.stringify(responses['403'])).toContain('INSUFFICIENT_SCOPE');
      }
    });

    it('returns an operationId on every operation, each used once', () => {
      // Arrange & Act
      const ids = allOperations(document).map(([, operation]) => operation.operationId);

      // Assert
      expect(ids).toHaveLength(routes.length);
      expect(ids.filter((id) => typeof id !== 'string' || id === '')).toEqual([]);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('returns `security: []` on exactly the public operations: health, the docs, the signed webhooks', () => {
      // Arrange & Act
      const open = allOperations(document)
        .filter(([, operation]) => Array.isArray(operation.security) && operation.security.length === 0)
        .map(([key]) => key);

      // Assert
      expect(open.sort()).toEqual(
        routes
          .filter((r) => r.auth === 'none' || r.auth === 'webhook')
          .map(routeKey)
          .sort(),
      );
      expect(open).toEqual(
        expect.arrayContaining(['GET /health', 'GET /openapi.json', 'POST /api/v1/webhooks/stripe']),
      );
    });

    it('returns a bearer requirement at the top, so an operation that forgot its own is not public', () => {
      // Arrange & Act & Assert
      expect(document.security).toEqual([{ bearer: [] }]);
    });

    it('returns a licence, a server and a described tag for every tag the operations use', () => {
      // Arrange
      const used = new Set(routes.flatMap((r) => r.tags));

      // Act
      const tags = document.tags ?? [];

      // Assert
      expect(document.info.license).toMatchObject({ name: expect.any(String) });
      expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
      expect(tags.map((tag) => tag.name).sort()).toEqual([...used].sort());
      for (const tag of tags) expect(tag.description).toBe(tagDescriptions[tag.name]);
    });

    it('returns 429 and 500 on every operation, and under each error status only codes of that status', () => {
      // Arrange
      const mismatched: string[] = [];
      const without: string[] = [];

      // Act
      for (const [key, operation] of allOperations(document)) {
        const responses = operation.responses ?? {};
        if (responses['429'] === undefined || responses['500'] === undefined) without.push(key);
        for (const [status, response] of Object.entries(responses)) {
          for (const code of codesOf(response)) {
            if (statusOf[code as keyof typeof statusOf] !== Number(status))
              mismatched.push(`${key} ${status} ${code}`);
          }
        }
      }

      // Assert
      expect(without).toEqual([]);
      expect(mismatched).toEqual([]);
    });

    it.each([
      ['POST /wallet/v1/topup', ['402', '409', '422', '502']],
      ['POST /wallet/v1/p2p/initiate', ['402', '403', '409', '413', '422', '503']],
      ['POST /wallet/v1/gift/{giftId}/open', ['403', '404', '409', '503']],
      ['POST /api/v1/payments/{paymentId}/refund', ['400', '404', '409', '422', '502']],
      ['GET /payments/v1/user/{userId}/balance', ['401', '403']],
      ['GET /api/v1/webhooks/events', ['400', '401', '403']],
    ])('returns for %s the statuses its use case and its route imply: %j', (key, statuses) => {
      // Arrange
      const [method = '', path = ''] = key.split(' ');

      // Act
      const operation = operationOf(document, { method: method as RouteDefinition['method'], path });

      // Assert
      expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(statuses));
    });
  });

  describe('with a given route table', () => {
    it('returns bearer security for a jwt route and an empty security list for a public or webhook route', () => {
      // Arrange
      const table = [
        route({ method: 'GET', path: '/private', auth: 'jwt' }),
        route({ method: 'GET', path: '/public', auth: 'none' }),
        route({ method: 'POST', path: '/hooks', auth: 'webhook' }),
      ];
      const docs = { 'GET /private': doc('a'), 'GET /public': doc('b'), 'POST /hooks': doc('c') };

      // Act
      const document = buildOpenApiDocument(table, docs);

      // Assert
      expect(operationOf(document, { method: 'GET', path: '/private' })?.security).toEqual([{ bearer: [] }]);
      expect(operationOf(document, { method: 'GET', path: '/public' })?.security).toEqual([]);
      expect(operationOf(document, { method: 'POST', path: '/hooks' })?.security).toEqual([]);
    });

    it('returns a 401 error response for a jwt route and none for a public route', () => {
      // Arrange
      const table = [
        route({ method: 'GET', path: '/private', auth: 'jwt' }),
        route({ method: 'GET', path: '/public', auth: 'none' }),
      ];

      // Act
      const document = buildOpenApiDocument(table, { 'GET /private': doc('a'), 'GET /public': doc('b') });

      // Assert
      const privateResponses = operationOf(document, { method: 'GET', path: '/private' })?.responses ?? {};
      const publicResponses = operationOf(document, { method: 'GET', path: '/public' })?.responses ?? {};
      expect(Object.keys(privateResponses).sort()).toEqual(['200', '401', '429', '500']);
      expect(Object.keys(publicResponses).sort()).toEqual(['200', '429', '500']);
      expect(codesOf(privateResponses['401'])).toEqual(['UNAUTHORIZED']);
    });

    it('returns a 413 error response for a route that takes a body or a raw body, and none for one that takes neither', () => {
      // Arrange
      const table = [
        route({ method: 'PUT', path: '/json' }),
        route({ method: 'POST', path: '/hooks', auth: 'webhook', rawBody: true }),
        route({ method: 'POST', path: '/bare' }),
      ];
      const docs: Record<string, OperationDoc> = {
        'PUT /json': doc('a', { request: { body: z.object({ pin: z.string() }) } }),
        'POST /hooks': doc('b'),
        'POST /bare': doc('c'),
      };

      // Act
      const document = buildOpenApiDocument(table, docs);

      // Assert
      expect(codesOf(operationOf(document, { method: 'PUT', path: '/json' })?.responses?.['413'])).toEqual([
        'PAYLOAD_TOO_LARGE',
      ]);
      expect(operationOf(document, { method: 'POST', path: '/hooks' })?.responses?.['413']).toBeDefined();
      expect(operationOf(document, { method: 'POST', path: '/bare' })?.responses?.['413']).toBeUndefined();
    });

    it('returns the codes an Idempotency-Key implies: missing (400), in progress (409), reused (422)', () => {
      // Arrange
      const table = [route({ method: 'POST', path: '/things', idempotency: 'required' })];

      // Act
      const responses =
        operationOf(buildOpenApiDocument(table, { 'POST /things': doc('createThing') }), {
          method: 'POST',
          path: '/things',
        })?.responses ?? {};

      // Assert
      expect(codesOf(responses['400'])).toEqual(['IDEMPOTENCY_KEY_MISSING', 'VALIDATION_ERROR']);
      expect(codesOf(responses['409'])).toEqual(['IDEMPOTENCY_IN_PROGRESS']);
      expect(codesOf(responses['422'])).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    });

    it('returns 404 NOT_FOUND for an id in the path, and 403 FORBIDDEN for a {userId}', () => {
      // Arrange
      const table = [
        route({ method: 'GET', path: '/things/{thingId}' }),
        route({ method: 'GET', path: '/users/{userId}/things' }),
      ];
      const docs = {
        'GET /things/{thingId}': doc('getThing', { request: { params: z.object({ thingId: z.string() }) } }),
        'GET /users/{userId}/things': doc('listThings', {
          request: { params: z.object({ userId: z.string() }) },
        }),
      };

      // Act
      const document = buildOpenApiDocument(table, docs);

      // Assert
      const thing = operationOf(document, { method: 'GET', path: '/things/{thingId}' })?.responses ?? {};
      const mine = operationOf(document, { method: 'GET', path: '/users/{userId}/things' })?.responses ?? {};
      expect(codesOf(thing['404'])).toEqual(['NOT_FOUND']);
      expect(thing['403']).toBeUndefined();
      expect(codesOf(mine['403'])).toEqual(['FORBIDDEN']);
      expect(mine['404']).toBeUndefined();
    });

    it('returns INVALID_AMOUNT and UNSUPPORTED_CURRENCY under 400 for a body with an amount and a currency', () => {
      // Arrange
      const table = [route({ method: 'POST', path: '/pay' })];
      const body = z.object({ amount: z.object({ value: z.number(), currency: z.string() }) });

      // Act
      const document = buildOpenApiDocument(table, { 'POST /pay': doc('pay', { request: { body } }) });

      // Assert
      expect(codesOf(operationOf(document, { method: 'POST', path: '/pay' })?.responses?.['400'])).toEqual([
        'INVALID_AMOUNT',
        'UNSUPPORTED_CURRENCY',
        'VALIDATION_ERROR',
      ]);
    });

    it('returns the codes a documented error response names, single words included', () => {
      // Arrange
      const table = [route({ method: 'GET', path: '/ops' })];
      const docs = {
        'GET /ops': doc('ops', {
          responses: {
            200: { description: 'OK' },
            403: { description: 'FORBIDDEN: the token has no ops role' },
          },
        }),
      };

      // Act
      const responses =
        operationOf(buildOpenApiDocument(table, docs), { method: 'GET', path: '/ops' })?.responses ?? {};

      // Assert
      expect(codesOf(responses['403'])).toEqual(['FORBIDDEN']);
      expect(responses['403']?.description).toBe('FORBIDDEN: the token has no ops role');
    });

    it("returns the use case's own codes under their statuses, with what they mean", () => {
      // Arrange
      const table = [route({ method: 'POST', path: '/pay' })];
      const docs = {
        'POST /pay': doc('pay', {
          errors: {
            PROCESSOR_ERROR: 'the provider did not answer',
            INSUFFICIENT_FUNDS: 'the wallet is short',
          },
        }),
      };

      // Act
      const responses =
        operationOf(buildOpenApiDocument(table, docs), { method: 'POST', path: '/pay' })?.responses ?? {};

      // Assert
      expect(codesOf(responses['502'])).toEqual(['PROCESSOR_ERROR']);
      expect(responses['502']?.description).toBe('`PROCESSOR_ERROR`: the provider did not answer');
      expect(codesOf(responses['402'])).toEqual(['INSUFFICIENT_FUNDS']);
    });

    it('returns a Retry-After header on 429', () => {
      // Arrange
      const table = [route({ method: 'GET', path: '/things' })];

      // Act
      const document = buildOpenApiDocument(table, { 'GET /things': doc('listThings') });

      // Assert
      expect(operationOf(document, { method: 'GET', path: '/things' })?.responses?.['429']).toMatchObject({
        headers: { 'Retry-After': expect.objectContaining({ schema: expect.anything() }) },
      });
    });

    it('throws naming the route when two operations share an operationId', () => {
      // Arrange
      const table = [route({ method: 'GET', path: '/a' }), route({ method: 'GET', path: '/b' })];

      // Act & Assert
      expect(() => buildOpenApiDocument(table, { 'GET /a': doc('same'), 'GET /b': doc('same') })).toThrow(
        'Operation id same is used twice (again by GET /b)',
      );
    });

    it('throws naming the route when it uses a tag without a description', () => {
      // Arrange
      const table = [route({ method: 'GET', path: '/a', tags: ['nowhere'] })];

      // Act & Assert
      expect(() => buildOpenApiDocument(table, { 'GET /a': doc('a') })).toThrow(
        'Tag nowhere of GET /a is undescribed',
      );
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
          operationId: 'topUp',
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
      const document = buildOpenApiDocument(table, { 'POST /things': doc('createThing') });

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
      const document = buildOpenApiDocument(table, { 'GET /things': doc('listThings') });

      // Assert
      const parameters = parametersOf(operationOf(document, { method: 'GET', path: '/things' }));
      expect(parameters.map((parameter) => parameter.name)).not.toContain('Idempotency-Key');
    });

    it('returns path and query parameters from the operation schemas', () => {
      // Arrange
      const table = [route({ method: 'GET', path: '/users/{userId}/transactions' })];
      const docs: Record<string, OperationDoc> = {
        'GET /users/{userId}/transactions': {
          operationId: 'listTransactions',
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

    it('keeps a documented error description and adds the codes the route implies to it', () => {
      // Arrange
      const table = [route({ method: 'GET', path: '/things' })];
      const docs = {
        'GET /things': doc('listThings', {
          request: { query: z.object({ limit: z.string().optional() }) },
          responses: { 200: { description: 'OK' }, 400: { description: 'Bad limit' } },
        }),
      };

      // Act
      const document = buildOpenApiDocument(table, docs);

      // Assert
      const response = operationOf(document, { method: 'GET', path: '/things' })?.responses?.['400'];
      expect(response?.description).toMatch(/^Bad limit\n\n`VALIDATION_ERROR`/);
      expect(codesOf(response)).toEqual(['VALIDATION_ERROR']);
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
