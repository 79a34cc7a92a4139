/**
 * The local S3 engine: s3rver (the registry's S3 server) behind a Signature Version 4 gate (sigv4.ts says
 * why), on a free port, with the KYC bucket created at start. Data under `<dataDir>/s3`, or in a temporary
 * directory removed at stop (`--in-memory`: s3rver keeps objects only on disk).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSignature } from './sigv4.js';

const require = createRequire(import.meta.url);

interface S3rverInstance {
  callback(): (request: IncomingMessage, response: ServerResponse) => void;
  configureBuckets(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;
interface AwsAccountModule {
  DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
}

export interface LocalS3 {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startS3(options: {
  dataDir: string | null;
  buckets: readonly string[];
  credentials: { accessKeyId: string; secretAccessKey: string };
  onRequest?: () => void;
}): Promise<LocalS3> {
  const S3rver = require('s3rver') as S3rverClass;
  // s3rver knows one access key (S3RVER); the functions sign with the stack's local credentials.
  (require('s3rver/lib/models/account') as AwsAccountModule).DUMMY_ACCOUNT.createKeyPair(
    options.credentials.accessKeyId,
    options.credentials.secretAccessKey,
  );
  const temporary = options.dataDir === null ? mkdtempSync(join(tmpdir(), 'tween-s3-')) : null;
  const directory = temporary ?? join(options.dataDir ?? '', 's3');
  const engine = new S3rver({
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  await engine.configureBuckets();
  const accessKeys = new Map([[options.credentials.accessKeyId, options.credentials.secretAccessKey]]);
  const handle = engine.callback();
  const server = createServer((request, response) => {
    options.onRequest?.();
    const check = checkSignature(request, accessKeys);
    if (check.ok) {
      handle(request, response);
      return;
    }
    request.resume();
    const status = check.code === 'AuthorizationQueryParametersError' ? 400 : 403;
    response.writeHead(status, { 'content-type': 'application/xml', connection: 'close' });
    response.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${check.code}</Code><Message>${check.message}</Message></Error>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          if (temporary !== null) rmSync(temporary, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
