/**
 * One endpoint for the AWS services the local stack stands in for over the AWS JSON protocol (Step
 * Functions, EventBridge, KMS): the SDK clients send `X-Amz-Target: <Service>.<Operation>` and a JSON body.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An error the service answers with, in AWS's JSON error shape. */
export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export type AwsJsonService = (operation: string, request: Record<string, unknown>) => Promise<unknown>;

export async function startAwsJsonEndpoint(
  services: Readonly<Record<string, AwsJsonService>>,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    void answer(req, services).then(({ status, body }) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function answer(
  req: IncomingMessage,
  services: Readonly<Record<string, AwsJsonService>>,
): Promise<{ status: number; body: unknown }> {
  const [prefix = '', operation = ''] = String(req.headers['x-amz-target'] ?? '').split('.');
  const service = services[prefix];
  if (service === undefined)
    return failure(new AwsServiceError('UnknownOperationException', `Unknown target ${prefix}`));
  try {
    const text = await readText(req);
    const request = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    return { status: 200, body: (await service(operation, request)) ?? {} };
  } catch (error) {
    return failure(error);
  }
}

function failure(error: unknown): { status: number; body: unknown } {
  if (isServiceError(error))
    return { status: error.status, body: { __type: error.code, message: error.message } };
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: { __type: 'InternalFailure', message } };
}

function isServiceError(error: unknown): error is { code: string; status: number; message: string } {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { status?: unknown }).status === 'number'
  );
}

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
