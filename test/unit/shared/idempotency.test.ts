import { createHash } from 'node:crypto';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyItemAlreadyExistsError,
  IdempotencyPersistenceLayerError,
  IdempotencyValidationError,
} from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { z } from 'zod';
import { DynamoDbIdempotencyStore } from '../../../shared/adapters/dynamodb/idempotency-store.js';
import { idempotencyKey } from '../../../shared/adapters/dynamodb/keys.js';
import { DomainError } from '../../../shared/domain/errors.js';
import { mapError } from '../../../shared/http/errors.js';
import { type HttpEventOptions, httpEvent, lambdaContext } from '../../support/events.js';
import { InMemoryIdempotencyStore } from '../../support/idempotency-store.js';

// Powertools reads its configuration when the instances are built (at import): no metrics, no X-Ray, no logs.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const { httpHandler } = await import('../../../shared/http/handler.js');
const { idempotencyConfig, idempotencyKeyOf, idempotencyScope, markReplayed, routeIdempotency } =
  await import('../../../shared/http/idempotency.js');

/** A store whose table is unreachable. */
class BrokenIdempotencyStore extends InMemoryIdempotencyStore {
  protected override async _putRecord(): Promise<void> {
    throw new Error('connect ECONNREFUSED 127.0.0.1:8000');
  }
}

const Order = z.object({
  ref: z.string(),
  outcome: z.enum(['created', 'declined', 'crash', 'wait']).default('created'),
});

type Mode = 'required' | 'optional' | 'none';

/** A money-moving route in miniature: counts its effects per ref and answers 201, 402 or 500 on request. */
function orderRoute(store: BasePersistenceLayer, mode: Mode = 'required') {
  const effects = new Map<string, number>();
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const handler = httpHandler(
    { body: Order },
    async (request) => {
      const count = (effects.get(request.body.ref) ?? 0) + 1;
      effects.set(request.body.ref, count);
      if (request.body.outcome === 'declined')
        throw new DomainError('PAYMENT_DECLINED', 'The card was declined');
      if (request.body.outcome === 'crash') throw new Error('ProvisionedThroughputExceededException');
      if (request.body.outcome === 'wait') await released;
      return {
        status: 201,
        body: { ref: request.body.ref, effect: count },
        headers: { location: '/orders/1' },
      };
    },
    { idempotency: mode, idempotencyStore: store },
  );
  return {
    effects: (ref: string) => effects.get(ref) ?? 0,
    release,
    invoke: (options: { key?: string; body?: unknown; sub?: string; path?: string }) =>
      handler(orderEvent(options), lambdaContext()),
  };
}

function orderEvent(options: { key?: string; body?: unknown; sub?: string; path?: string }) {
  const event: HttpEventOptions = {
    routeKey: 'POST /orders/{orderId}',
    rawPath: options.path ?? '/orders/o1',
    headers: options.key === undefined ? {} : { 'idempotency-key': options.key },
    body: options.body ?? { ref: 'r1' },
    claims: { sub: options.sub ?? '@alice:tween.example' },
  };
  return httpEvent(event);
}

function bodyOf(response: { body?: string | undefined }): unknown {
  return JSON.parse(response.body ?? '');
}

describe('Function: idempotencyKeyOf', () => {
  it('returns the key when the header is 1 to 255 printable ASCII characters', () => {
    // Arrange
    const keys = ['a', 'x'.repeat(255), 'order 42 / retry #1 ~!', '550e8400-e29b-41d4-a716-446655440000'];

    // Act
    const found = keys.map((key) => idempotencyKeyOf({ 'idempotency-key': key }));

    // Assert
    expect(found).toEqual(keys);
  });

  it('returns the key whatever the case of the header name', () => {
    // Act & Assert
    expect(idempotencyKeyOf({ 'Idempotency-Key': 'k1' })).toBe('k1');
  });

  it('returns undefined when the request carries no key', () => {
    // Act & Assert
    expect(idempotencyKeyOf({ 'content-type': 'application/json' })).toBeUndefined();
    expect(idempotencyKeyOf(undefined)).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['longer than 255 characters', 'x'.repeat(256)],
    ['not ASCII', 'clé-1'],
    ['a control character', 'key\u0007'],
    ['a tab', 'key\tone'],
  ])('throws VALIDATION_ERROR when the key is %s', (_, key) => {
    // Act
    const act = () => idempotencyKeyOf({ 'idempotency-key': key });

    // Assert
    expect(act).toThrow(expect.objectContaining({ code: 'VALIDATION_ERROR' }));
  });
});

describe('Function: idempotencyScope', () => {
  it('returns caller, method, path, key and the parsed body when the request carries a key', () => {
    // Arrange
    const event = orderEvent({ key: 'k1', body: { ref: 'r1', amount: 5 }, path: '/orders/o%2F1' });

    // Act
    const scope = idempotencyScope(event, 'required');

    // Assert
    expect(scope).toEqual({
      caller: '@alice:tween.example',
      method: 'POST',
      path: '/orders/o%2F1',
      key: 'k1',
      body: { ref: 'r1', amount: 5 },
    });
  });

  it('returns a null caller and the raw text when the route is public and the body is not JSON', () => {
    // Arrange
    const event = httpEvent({
      routeKey: 'POST /hooks',
      headers: { 'idempotency-key': 'k' },
      body: 'a=1',
      claims: null,
    });

    // Act
    const scope = idempotencyScope(event, 'optional');

    // Assert
    expect(scope).toMatchObject({ caller: null, body: 'a=1' });
  });

  it('returns undefined when the route ignores keys, even a malformed one', () => {
    // Act & Assert
    expect(idempotencyScope(orderEvent({ key: '' }), 'none')).toBeUndefined();
  });

  it('returns undefined when the key is optional and absent', () => {
    // Act & Assert
    expect(idempotencyScope(orderEvent({}), 'optional')).toBeUndefined();
  });

  it('throws IDEMPOTENCY_KEY_MISSING when the key is required and absent', () => {
    // Act
    const act = () => idempotencyScope(orderEvent({}), 'required');

    // Assert
    expect(act).toThrow(expect.objectContaining({ code: 'IDEMPOTENCY_KEY_MISSING' }));
  });
});

describe('Function: routeIdempotency', () => {
  it('returns what the route table says for a known route', () => {
    // Act & Assert
    expect(routeIdempotency('GET /health')).toBe('none');
  });

  it('returns optional, the contract default, for a route the table does not know', () => {
    // Act & Assert
    expect(routeIdempotency('POST /not/in/the/table')).toBe('optional');
  });
});

describe('Function: idempotencyKey', () => {
  it('returns one partition per hashed key under a fixed sort key', () => {
    // Act & Assert
    expect(idempotencyKey('http#abc+/=')).toEqual({ PK: 'IDEMPOTENCY#http#abc+/=', SK: 'IDEMPOTENCY' });
  });
});

describe('Function: markReplayed', () => {
  it('returns the stored answer with idempotent-replayed: true next to its headers', () => {
    // Arrange
    const stored = { statusCode: 201, headers: { 'content-type': 'application/json' }, body: '{}' };

    // Act & Assert
    expect(markReplayed(stored)).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true' },
      body: '{}',
    });
  });
});

describe('Function: mapError (idempotency)', () => {
  it('returns 409 IDEMPOTENCY_IN_PROGRESS when the first request with the key is still running', () => {
    // Act
    const mapped = mapError(new IdempotencyAlreadyInProgressError('in progress: http#secret-hash'));

    // Assert
    expect(mapped).toEqual({
      status: 409,
      body: { error: { code: 'IDEMPOTENCY_IN_PROGRESS', message: expect.any(String) } },
      unexpected: false,
    });
    expect(JSON.stringify(mapped.body)).not.toContain('secret-hash');
  });

  it('returns 422 IDEMPOTENCY_KEY_REUSED when the key was used with another body', () => {
    // Act
    const mapped = mapError(new IdempotencyValidationError('Payload does not match stored record'));

    // Assert
    expect(mapped).toEqual({
      status: 422,
      body: { error: { code: 'IDEMPOTENCY_KEY_REUSED', message: expect.any(String) } },
      unexpected: false,
    });
  });

  it('returns a generic, logged 500 when the idempotency store fails', () => {
    // Act
    const mapped = mapError(new IdempotencyPersistenceLayerError('Failed to save in progress record'));

    // Assert
    expect(mapped).toEqual({
      status: 500,
      body: { error: { code: 'INTERNAL', message: 'Something went wrong on our side' } },
      unexpected: true,
    });
  });
});

describe('Middleware: idempotency', () => {
  it('replays the stored status, headers and body with Idempotent-Replayed when the same key and body come again', async () => {
    // Arrange
    const route = orderRoute(new InMemoryIdempotencyStore());
    const first = await route.invoke({ key: 'k1' });

    // Act
    const retry = await route.invoke({ key: 'k1' });

    // Assert
    expect(first.statusCode).toBe(201);
    expect(first.headers).not.toHaveProperty('idempotent-replayed');
    expect(retry.statusCode).toBe(201);
    expect(retry.body).toBe(first.body);
    expect(retry.headers).toEqual({ ...first.headers, 'idempotent-replayed': 'true' });
    expect(route.effects('r1')).toBe(1);
  });

  it('replays when the same body comes again with its keys in another order', async () => {
    // Arrange
    const route = orderRoute(new InMemoryIdempotencyStore());
    await route.invoke({ key: 'k1', body: { ref: 'r1', outcome: 'created' } });

    // Act
    const retry = await route.invoke({ key: 'k1', body: { outcome: 'created', ref: 'r1' } });

    // Assert
    expect(retry.headers).toHaveProperty('idempotent-replayed', 'true');
    expect(route.effects('r1')).toBe(1);
  });

  it('stores the record for 24 hours', async () => {
    // Arrange
    const store = new InMemoryIdempotencyStore();
    const route = orderRoute(store);
    const before = Math.floor(Date.now() / 1000);

    // Act
    await route.invoke({ key: 'k1' });

    // Assert
    const [record] = [...store.records.values()];
    expect(record?.getStatus()).toBe('COMPLETED');
    expect(record?.expiryTimestamp).toBeGreaterThanOrEqual(before + 86_400);
    expect(record?.expiryTimestamp).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 86_400);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED without running again when the key comes with another body', async () => {
    // Arrange
    const route = orderRoute(new InMemoryIdempotencyStore());
    await route.invoke({ key: 'k1', body: { ref: 'r1' } });

    // Act
    const reused = await route.invoke({ key: 'k1', body: { ref: 'r2' } });

    // Assert
    expect(reused.statusCode).toBe(422);
    expect(bodyOf(reused)).toEqual({
      error: { code: 'IDEMPOTENCY_KEY_REUSED', message: expect.any(String) },
    });
    expect(route.effects('r2')).toBe(0);
  });

  it('answers 409 IDEMPOTENCY_IN_PROGRESS when the key comes again while the first is still running', async () => {
    // Arrange
    const route = orderRoute(new InMemoryIdempotencyStore());
    const first = route.invoke({ key: 'k1', body: { ref: 'r1', outcome: 'wait' } });
    while (route.effects('r1') === 0) await new Promise((resolve) => setImmediate(resolve));

    // Act
    const twin = await route.invoke({ key: 'k1', body: { ref: 'r1', outcome: 'wait' } });
    route.release();

    // Assert
    expect(twin.statusCode).toBe(409);
    expect(bodyOf(twin)).toEqual({ error: { code: 'IDEMPOTENCY_IN_PROGRESS', message: expect.any(String) } });
    expect((await first).statusCode).toBe(201);
    expect(route.effects('r1')).toBe(1);
  });

  it('replays a 4xx answer: a retried decline is the same decline', async () => {
    // Arrange
    const route = orderRoute(new InMemoryIdempotencyStore());
    const body = { ref: 'r1', outcome: 'declined' };
    const first = await route.invoke({ key: 'k1', body });

    // Act
    const retry = await route.invoke({ key: 'k1', body });

    // Assert
    expect(first.statusCode).toBe(402);
    expect(retry.statusCode).toBe(402);
    expect(retry.body).toBe(first.body);
    expect(retry.headers).toHaveProperty('idempotent-replayed', 'true');
    expect(route.effects('r1')).toBe(1);
  });

  it('runs again when the first answer was a 5xx, which is not stored', async () => {
    // Arrange
    const store = new InMemoryIdempotencyStore();
    const route = orderRoute(store);
    const body = { ref: 'r1', outcome: 'crash' };
    const first = await route.invoke({ key: 'k1', body });

    // Act
    const retry = await route.invoke({ key: 'k1', body });

    // Assert
    expect(first.statusCode).toBe(500);
    expect(bodyOf(first)).toEqual({
      error: { code: 'INTERNAL', message: 'Something went wrong on our side' },
    });
    expect(retry.statusCode).toBe(500);
    expect(retry.headers).not.toHaveProperty('idempotent-replayed');
    expect(route.effects('r1')).toBe(2);
    expect(store.records.size).toBe(0);
  });

  it('runs with a fixed body and the same key when the first body failed validation', async () => {
    // Arrange
    const route = orderRoute(new InMemoryIdempotencyStore());
    const invalid = await route.invoke({ key: 'k1', body: { ref: 42 } });

    // Act
    const fixed = await route.invoke({ key: 'k1', body: { ref: 'r1' } });

    // Assert
    expect(invalid.statusCode).toBe(400);
    expect(fixed.statusCode).toBe(201);
    expect(fixed.headers).not.toHaveProperty('idempotent-replayed');
  });

  it('answers 400 IDEMPOTENCY_KEY_MISSING without running when a required key is absent', async () => {
    // Arrange
    const route = orderRoute(new InMemoryIdempotencyStore());

    // Act
    const response = await route.invoke({});

    // Assert
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toEqual({
      error: { code: 'IDEMPOTENCY_KEY_MISSING', message: expect.any(String) },
    });
    expect(route.effects('r1')).toBe(0);
  });

  it('answers 400 VALIDATION_ERROR without running when the key is malformed', async () => {
    // Arrange
    const route = orderRoute(new InMemoryIdempotencyStore());

    // Act
    const response = await route.invoke({ key: 'x'.repeat(256) });

    // Assert
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
    expect(route.effects('r1')).toBe(0);
  });

  it('runs every time when the key is optional and absent', async () => {
    // Arrange
    const store = new InMemoryIdempotencyStore();
    const route = orderRoute(store, 'optional');

    // Act
    const answers = [await route.invoke({}), await route.invoke({})];

    // Assert
    expect(answers.map((answer) => answer.statusCode)).toEqual([201, 201]);
    expect(route.effects('r1')).toBe(2);
    expect(store.records.size).toBe(0);
  });

  it('replays when the key is optional and present', async () => {
    // Arrange
    const route = orderRoute(new InMemoryIdempotencyStore(), 'optional');
    await route.invoke({ key: 'k1' });

    // Act
    const retry = await route.invoke({ key: 'k1' });

    // Assert
    expect(retry.headers).toHaveProperty('idempotent-replayed', 'true');
    expect(route.effects('r1')).toBe(1);
  });

  it('ignores the key when the route has no idempotency', async () => {
    // Arrange
    const route = orderRoute(new InMemoryIdempotencyStore(), 'none');

    // Act
    await route.invoke({ key: 'k1' });
    await route.invoke({ key: 'k1' });

    // Assert
    expect(route.effects('r1')).toBe(2);
  });

  it('runs independently when another caller sends the same key', async () => {
    // Arrange
    const route = orderRoute(new InMemoryIdempotencyStore());
    await route.invoke({ key: 'k1', sub: '@alice:tween.example' });

    // Act
    const other = await route.invoke({ key: 'k1', sub: '@bob:tween.example' });

    // Assert
    expect(other.statusCode).toBe(201);
    expect(other.headers).not.toHaveProperty('idempotent-replayed');
    expect(route.effects('r1')).toBe(2);
  });

  it('runs independently when the same key comes on another path', async () => {
    // Arrange
    const route = orderRoute(new InMemoryIdempotencyStore());
    await route.invoke({ key: 'k1', path: '/orders/o1' });

    // Act
    const other = await route.invoke({ key: 'k1', path: '/orders/o2' });

    // Assert
    expect(other.headers).not.toHaveProperty('idempotent-replayed');
    expect(route.effects('r1')).toBe(2);
  });

  it('answers a generic 500 without running when the idempotency store fails', async () => {
    // Arrange
    const route = orderRoute(new BrokenIdempotencyStore());

    // Act
    const response = await route.invoke({ key: 'k1' });

    // Assert
    expect(response.statusCode).toBe(500);
    expect(bodyOf(response)).toEqual({
      error: { code: 'INTERNAL', message: 'Something went wrong on our side' },
    });
    expect(response.body).not.toContain('ECONNREFUSED');
    expect(route.effects('r1')).toBe(0);
  });
});

describe('Class: DynamoDbIdempotencyStore', () => {
  const dynamoMock = mockClient(DynamoDBClient);
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const scope = {
    caller: '@alice:tween.example',
    method: 'POST',
    path: '/orders/o1',
    key: 'k1',
    body: { a: 1 },
  };
  const hashed = `http#${createHash('sha256')
    .update(JSON.stringify(['@alice:tween.example', 'POST', '/orders/o1', 'k1']))
    .digest('base64')}`;

  function configuredStore(): DynamoDbIdempotencyStore {
    const store = new DynamoDbIdempotencyStore({ tableName: 'tween-payments-test', client });
    store.configure({ config: idempotencyConfig(lambdaContext()), keyPrefix: 'http' });
    return store;
  }

  beforeEach(() => {
    dynamoMock.reset();
  });

  describe('Method: saveInProgress', () => {
    it('puts the record under IDEMPOTENCY#<hashed key> with a 24 h expiresAt, unless a live one exists', async () => {
      // Arrange
      dynamoMock.on(PutItemCommand).resolves({});
      const store = configuredStore();
      const now = Math.floor(Date.now() / 1000);

      // Act
      await store.saveInProgress(scope, 30_000);

      // Assert
      expect(dynamoMock).toHaveReceivedCommandWith(PutItemCommand, {
        TableName: 'tween-payments-test',
        Item: expect.objectContaining({
          PK: { S: `IDEMPOTENCY#${hashed}` },
          SK: { S: 'IDEMPOTENCY' },
          idempotencyStatus: { S: 'INPROGRESS' },
          inProgressExpiresAtMs: { N: expect.any(String) },
          requestHash: { S: expect.any(String) },
        }),
        ConditionExpression: expect.stringContaining('attribute_not_exists(#id)'),
        ExpressionAttributeNames: expect.objectContaining({ '#id': 'PK', '#expiry': 'expiresAt' }),
      });
      const put = dynamoMock.commandCalls(PutItemCommand)[0]?.args[0].input;
      const expiresAt = Number(put?.Item?.expiresAt?.N);
      expect(expiresAt).toBeGreaterThanOrEqual(now + 86_400);
      expect(expiresAt).toBeLessThanOrEqual(now + 86_401);
    });

    it('throws IdempotencyItemAlreadyExistsError carrying the stored record when a live one exists', async () => {
      // Arrange
      dynamoMock.on(PutItemCommand).rejects(
        new ConditionalCheckFailedException({
          message: 'The conditional request failed',
          $metadata: {},
          Item: {
            PK: { S: `IDEMPOTENCY#${hashed}` },
            SK: { S: 'IDEMPOTENCY' },
            idempotencyStatus: { S: 'COMPLETED' },
            expiresAt: { N: String(Math.floor(Date.now() / 1000) + 3600) },
            response: { M: { statusCode: { N: '201' } } },
          },
        }),
      );
      const store = configuredStore();

      // Act
      const act = store.saveInProgress(scope, 30_000);

      // Assert
      await expect(act).rejects.toBeInstanceOf(IdempotencyItemAlreadyExistsError);
      await act.catch((error: unknown) => {
        const existing =
          error instanceof IdempotencyItemAlreadyExistsError ? error.existingRecord : undefined;
        expect(existing?.getStatus()).toBe('COMPLETED');
        expect(existing?.getResponse()).toEqual({ statusCode: 201 });
      });
    });
  });

  describe('Method: deleteRecord', () => {
    it('deletes by the same PK and SK it wrote', async () => {
      // Arrange
      dynamoMock.on(DeleteItemCommand).resolves({});
      const store = configuredStore();

      // Act
      await store.deleteRecord(scope);

      // Assert
      expect(dynamoMock).toHaveReceivedCommandWith(DeleteItemCommand, {
        Key: { PK: { S: `IDEMPOTENCY#${hashed}` }, SK: { S: 'IDEMPOTENCY' } },
      });
    });
  });
});
