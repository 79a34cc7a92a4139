/**
 * The DynamoDB fault injection as the stack's DynamoDB proxy uses it (ask `intercept`, forward otherwise), in
 * front of a stand-in for DynamoDB Local (a loopback server answering in DynamoDB's JSON protocol), called by
 * the real DynamoDB client: what the SDK and the adapters' classification make of the faults.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDbFaults } from '../../../local/faults/dynamodb-proxy.js';
import { faultRoutes } from '../../../local/faults/routes.js';
import type { LocalRequest } from '../../../local/http-api.js';
import { isTransactionConflict } from '../../../shared/adapters/dynamodb/conflicts.js';

interface Proxy {
  server: Server;
  url: string;
  /** What reached the stand-in for DynamoDB (X-Amz-Target of each request). */
  forwarded: string[];
}

async function startProxy(faults: DynamoDbFaults): Promise<Proxy> {
  const forwarded: string[] = [];
  const server = createServer((req, res) => {
    if (faults.intercept(req, res)) return;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      forwarded.push(String(req.headers['x-amz-target']));
      const body = Buffer.from(JSON.stringify({ Item: { PK: { S: 'A' }, n: { N: '7' } } }));
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'content-length': body.length });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, forwarded };
}

function clientOf(endpoint: string, maxAttempts = 1): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts,
  });
}

const get = new GetItemCommand({ TableName: 't', Key: { PK: { S: 'A' } } });
const transact = new TransactWriteItemsCommand({
  TransactItems: [
    { Put: { TableName: 't', Item: { PK: { S: 'T' } } } },
    {
      Update: {
        TableName: 't',
        Key: { PK: { S: 'A' } },
        UpdateExpression: 'SET n = :n',
        ExpressionAttributeValues: { ':n': { N: '1' } },
      },
    },
  ],
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('Class: DynamoDbFaults', () => {
  let faults: DynamoDbFaults;
  let proxy: Proxy;
  let client: DynamoDBClient;

  beforeEach(async () => {
    faults = new DynamoDbFaults();
    proxy = await startProxy(faults);
    client = clientOf(proxy.url);
  });

  afterEach(async () => {
    client.destroy();
    proxy.server.closeAllConnections();
    await new Promise((resolve) => proxy.server.close(resolve));
  });

  it('passes requests and answers through untouched while no fault is configured', async () => {
    // Act
    const answer = await client.send(get);

    // Assert
    expect(answer.Item).toEqual({ PK: { S: 'A' }, n: { N: '7' } });
    expect(proxy.forwarded).toEqual(['DynamoDB_20120810.GetItem']);
    expect(faults.plan.snapshot().decisions).toBe(0);
  });

  it('answers ProvisionedThroughputExceededException without forwarding when a request is throttled', async () => {
    // Arrange
    faults.plan.configure({ rates: { throttle: 1 }, seed: 1 });

    // Act
    const error = await rejection(client.send(get));

    // Assert
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect((error as ProvisionedThroughputExceededException).$metadata.httpStatusCode).toBe(400);
    expect(proxy.forwarded).toEqual([]);
    expect(faults.plan.snapshot().injected).toEqual({ throttle: 1, conflict: 0 });
  });

  it('is retried away by the SDK when only some requests are throttled', async () => {
    // Arrange
    faults.plan.configure({ rates: { throttle: 0.3 }, seed: 4 });
    const retrying = clientOf(proxy.url, 10);

    // Act
    const answers = await Promise.all(Array.from({ length: 20 }, () => retrying.send(get)));
    retrying.destroy();

    // Assert
    expect(answers.every((answer) => answer.Item !== undefined)).toBe(true);
    expect(faults.plan.snapshot().injected.throttle).toBeGreaterThan(0);
  });

  it('cancels a TransactWriteItems with one TransactionConflict reason per call, which the adapters retry', async () => {
    // Arrange
    faults.plan.configure({ rates: { conflict: 1 }, seed: 1 });

    // Act
    const error = await rejection(client.send(transact));

    // Assert
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' },
    ]);
    expect(isTransactionConflict(error)).toBe(true);
    expect(proxy.forwarded).toEqual([]);
  });

  it('never answers a conflict to anything but TransactWriteItems', async () => {
    // Arrange
    faults.plan.configure({ rates: { conflict: 1 }, seed: 1 });

    // Act
    const answer = await client.send(get);

    // Assert
    expect(answer.Item).toBeDefined();
    expect(faults.plan.snapshot()).toMatchObject({ decisions: 1, injected: { conflict: 0 } });
  });
});

describe('Function: faultRoutes', () => {
  function request(method: string, body?: unknown): LocalRequest {
    return {
      method,
      path: '/local/faults/dynamodb',
      query: new URLSearchParams(),
      headers: {},
      body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
    };
  }

  it('switches the faults on with PUT and reports them with GET', async () => {
    // Arrange
    const faults = new DynamoDbFaults();
    const [route] = faultRoutes({ dynamoDb: faults.plan });

    // Act
    const put = await route?.(request('PUT', { rates: { throttle: 0.1, conflict: 0.2 }, seed: 9 }));
    const got = await route?.(request('GET'));

    // Assert
    expect(put?.status).toBe(200);
    expect(got).toEqual({
      status: 200,
      body: {
        rates: { throttle: 0.1, conflict: 0.2 },
        seed: 9,
        decisions: 0,
        injected: { throttle: 0, conflict: 0 },
      },
    });
    expect(faults.plan.enabled).toBe(true);
  });

  it('refuses a malformed body with 400 VALIDATION_ERROR and leaves the faults as they were', async () => {
    // Arrange
    const faults = new DynamoDbFaults();
    const [route] = faultRoutes({ dynamoDb: faults.plan });

    // Act
    const answer = await route?.(request('PUT', { rates: { throttle: 2 } }));

    // Assert
    expect(answer?.status).toBe(400);
    expect(answer?.body).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
    expect(faults.plan.enabled).toBe(false);
  });
});
