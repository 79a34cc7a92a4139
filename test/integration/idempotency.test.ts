/**
 * The idempotency contract over real HTTP, with the records in DynamoDB Local's single table: a fixture
 * route table (a required and an optional money-moving POST) served by the local HTTP API, whose handlers
 * count their effects, so each test can tell "ran again" from "replayed".
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { DEFAULT_LOCAL_JWT_SECRET } from '../../local/auth.js';
import { idempotencyKey } from '../../shared/adapters/dynamodb/keys.js';
import { DomainError } from '../../shared/domain/errors.js';
import type { HttpEvent } from '../../shared/http/request.js';
import type { RouteDefinition } from '../../shared/infra/routes.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { call, endpoint, tokenFor } from '../support/api.js';

// The handler modules read these when their clients and Powertools instances are built: set them first.
process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint('dynamodb');
process.env.TABLE_NAME = tableDefinition.localName;
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_ACCESS_KEY_ID = 'local';
process.env.AWS_SECRET_ACCESS_KEY = 'local';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';

const { startHttpApi } = await import('../../local/http-api.js');
const { LocalLambda } = await import('../../local/lambda.js');
const { Counters } = await import('../../local/metrics.js');
const { httpHandler } = await import('../../shared/composition/http.js');

const ALICE = '@alice:tween.example';
const BOB = '@bob:tween.example';

const Order = z.object({
  ref: z.string(),
  outcome: z.enum(['created', 'declined', 'crash']).default('created'),
  sleepMs: z.number().int().min(0).max(2000).default(0),
});

/** Effects per `ref`: what a retry must not repeat. */
const effects = new Map<string, number>();

function orderHandler(idempotency: 'required' | 'optional') {
  return httpHandler(
    { body: Order, params: z.object({ orderId: z.string() }) },
    async (request) => {
      const { ref, outcome, sleepMs } = request.body;
      const effect = (effects.get(ref) ?? 0) + 1;
      effects.set(ref, effect);
      await new Promise((resolve) => setTimeout(resolve, sleepMs));
      if (outcome === 'declined') throw new DomainError('PAYMENT_DECLINED', 'The card was declined');
      if (outcome === 'crash') throw new Error('ProvisionedThroughputExceededException on tween-payments');
      return {
        status: 201,
        body: { orderId: request.params.orderId, ref, effect, caller: request.caller().userId },
        headers: { location: `/fixture/orders/${request.params.orderId}` },
      };
    },
    { idempotency },
  );
}

function fixtureRoute(
  path: string,
  fn: string,
  idempotency: RouteDefinition['idempotency'],
): RouteDefinition {
  return {
    method: 'POST',
    path,
    fn: fn as RouteDefinition['fn'],
    auth: 'jwt',
    idempotency,
    summary: fn,
    tags: [],
  };
}

describe('Middleware: idempotency', () => {
  const counters = new Counters();
  const lambda = new LocalLambda(counters);
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  let server: Server;
  let baseUrl: string;
  let aliceToken: string;
  let bobToken: string;

  beforeAll(async () => {
    for (const [name, mode] of [
      ['orders', 'required'],
      ['notes', 'optional'],
    ] as const) {
      const handler = orderHandler(mode);
      lambda.register(name, {
        memoryMb: 128,
        timeoutSeconds: 10,
        load: async () => (event: unknown, context: Context) => handler(event as HttpEvent, context),
      });
    }
    const api = await startHttpApi({
      port: 0,
      routes: [
        fixtureRoute('/fixture/orders/{orderId}', 'orders', 'required'),
        fixtureRoute('/fixture/notes/{orderId}', 'notes', 'optional'),
      ],
      lambda,
      jwtSecret: DEFAULT_LOCAL_JWT_SECRET,
      counters,
      localRoutes: [],
    });
    server = api.server;
    baseUrl = api.url;
    [aliceToken, bobToken] = await Promise.all([tokenFor(ALICE), tokenFor(BOB)]);
  });

  afterAll(async () => {
    documents.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  async function post(
    path: string,
    options: { key?: string; body?: unknown; token?: string } = {},
  ): Promise<{ status: number; headers: Headers; text: string; body: Record<string, unknown> }> {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.token ?? aliceToken}`,
        'content-type': 'application/json',
        ...(options.key === undefined ? {} : { 'Idempotency-Key': options.key }),
      },
      body: JSON.stringify(options.body ?? {}),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
  }

  /** Where Powertools keeps the record of (caller, POST, path, key): its sha256 over the scope, prefixed. */
  async function storedRecord(caller: string, path: string, key: string) {
    const hash = createHash('sha256')
      .update(JSON.stringify([caller, 'POST', path, key]))
      .digest('base64');
    const { Item } = await documents.send(
      new GetCommand({ TableName: tableDefinition.localName, Key: idempotencyKey(`http#${hash}`) }),
    );
    return Item;
  }

  function fresh() {
    return { key: randomUUID(), ref: randomUUID() };
  }

  it('replays the identical status and body with Idempotent-Replayed: true when a retry repeats key and body', async () => {
    // Arrange
    const { key, ref } = fresh();
    const first = await post('/fixture/orders/o1', { key, body: { ref } });

    // Act
    const retry = await post('/fixture/orders/o1', { key, body: { ref } });

    // Assert
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(first.body).toEqual({ orderId: 'o1', ref, effect: 1, caller: ALICE });
    expect(retry.status).toBe(201);
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('location')).toBe('/fixture/orders/o1');
    expect(effects.get(ref)).toBe(1);
  });

  it('runs once when ten requests with one key arrive together; the others replay or get 409', async () => {
    // Arrange
    const { key, ref } = fresh();
    const body = { ref, sleepMs: 300 };

    // Act
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => post('/fixture/orders/o-concurrent', { key, body })),
    );

    // Assert
    expect(effects.get(ref)).toBe(1);
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201 || status === 409)).toHaveLength(10);
    const fresh201 = answers.filter(
      (answer) => answer.status === 201 && answer.headers.get('idempotent-replayed') === null,
    );
    expect(fresh201).toHaveLength(1);
    for (const answer of answers.filter((a) => a.status === 409)) {
      expect(answer.body).toEqual({
        error: { code: 'IDEMPOTENCY_IN_PROGRESS', message: expect.any(String) },
      });
    }
    expect(statuses).toContain(409);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED without running when the key comes with another body', async () => {
    // Arrange
    const { key, ref } = fresh();
    const other = randomUUID();
    await post('/fixture/orders/o1', { key, body: { ref } });

    // Act
    const reused = await post('/fixture/orders/o1', { key, body: { ref: other } });

    // Assert
    expect(reused.status).toBe(422);
    expect(reused.body).toEqual({ error: { code: 'IDEMPOTENCY_KEY_REUSED', message: expect.any(String) } });
    expect(effects.get(other)).toBeUndefined();
  });

  it('answers 400 IDEMPOTENCY_KEY_MISSING without running when a required key is absent', async () => {
    // Arrange
    const { ref } = fresh();

    // Act
    const answer = await post('/fixture/orders/o1', { body: { ref } });

    // Assert
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: { code: 'IDEMPOTENCY_KEY_MISSING', message: expect.any(String) } });
    expect(effects.get(ref)).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['longer than 255 characters', 'k'.repeat(256)],
  ])('answers 400 VALIDATION_ERROR without running when the key is %s', async (_, key) => {
    // Arrange
    const { ref } = fresh();

    // Act
    const answer = await post('/fixture/orders/o1', { key, body: { ref } });

    // Assert
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
    expect(effects.get(ref)).toBeUndefined();
  });

  it('runs independently when another caller sends the same key', async () => {
    // Arrange
    const { key, ref } = fresh();
    await post('/fixture/orders/o1', { key, body: { ref } });

    // Act
    const bobs = await post('/fixture/orders/o1', { key, body: { ref }, token: bobToken });

    // Assert
    expect(bobs.status).toBe(201);
    expect(bobs.headers.get('idempotent-replayed')).toBeNull();
    expect(bobs.body).toMatchObject({ caller: BOB, effect: 2 });
    expect(effects.get(ref)).toBe(2);
  });

  it('runs independently when the same key comes on another path', async () => {
    // Arrange
    const { key, ref } = fresh();
    await post('/fixture/orders/o1', { key, body: { ref } });

    // Act
    const other = await post('/fixture/orders/o2', { key, body: { ref } });

    // Assert
    expect(other.status).toBe(201);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(effects.get(ref)).toBe(2);
  });

  it('replays a 402 decline without running again: 4xx answers are stored', async () => {
    // Arrange
    const { key, ref } = fresh();
    const body = { ref, outcome: 'declined' };
    const first = await post('/fixture/orders/o1', { key, body });

    // Act
    const retry = await post('/fixture/orders/o1', { key, body });

    // Assert
    expect(first.status).toBe(402);
    expect(first.body).toMatchObject({ error: { code: 'PAYMENT_DECLINED' } });
    expect(retry.status).toBe(402);
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(effects.get(ref)).toBe(1);
  });

  it('runs again on retry when the first answer was a 500, which is not stored', async () => {
    // Arrange
    const { key, ref } = fresh();
    const body = { ref, outcome: 'crash' };
    const first = await post('/fixture/orders/o1', { key, body });

    // Act
    const retry = await post('/fixture/orders/o1', { key, body });

    // Assert
    expect(first.status).toBe(500);
    expect(first.body).toEqual({ error: { code: 'INTERNAL', message: 'Something went wrong on our side' } });
    expect(retry.status).toBe(500);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(effects.get(ref)).toBe(2);
    expect(await storedRecord(ALICE, '/fixture/orders/o1', key)).toBeUndefined();
  });

  it('runs every time when the key is optional and absent', async () => {
    // Arrange
    const { ref } = fresh();

    // Act
    const answers = [
      await post('/fixture/notes/n1', { body: { ref } }),
      await post('/fixture/notes/n1', { body: { ref } }),
    ];

    // Assert
    expect(answers.map((answer) => answer.status)).toEqual([201, 201]);
    expect(answers.map((answer) => answer.headers.get('idempotent-replayed'))).toEqual([null, null]);
    expect(effects.get(ref)).toBe(2);
  });

  it('replays when the key is optional and present', async () => {
    // Arrange
    const { key, ref } = fresh();
    await post('/fixture/notes/n1', { key, body: { ref } });

    // Act
    const retry = await post('/fixture/notes/n1', { key, body: { ref } });

    // Assert
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(effects.get(ref)).toBe(1);
  });

  it('stores the answer on the single table under IDEMPOTENCY#<hash> with expiresAt 24 h ahead', async () => {
    // Arrange
    const { key, ref } = fresh();
    const before = Math.floor(Date.now() / 1000);

    // Act
    await post('/fixture/orders/o-stored', { key, body: { ref } });

    // Assert
    const record = await storedRecord(ALICE, '/fixture/orders/o-stored', key);
    const after = Math.ceil(Date.now() / 1000);
    expect(record).toMatchObject({
      SK: 'IDEMPOTENCY',
      idempotencyStatus: 'COMPLETED',
      response: { statusCode: 201 },
      requestHash: expect.any(String),
    });
    expect(record?.PK).toMatch(/^IDEMPOTENCY#http#/);
    expect(record?.expiresAt).toBeGreaterThanOrEqual(before + 86_400);
    expect(record?.expiresAt).toBeLessThanOrEqual(after + 86_400);
  });

  it('ignores the key on the running stack when the route table says none (GET /health)', async () => {
    // Act
    const answer = await call('GET', '/health', { headers: { 'Idempotency-Key': 'k'.repeat(300) } });

    // Assert
    expect(answer.status).toBe(200);
    expect(answer.headers.get('idempotent-replayed')).toBeNull();
  });
});
