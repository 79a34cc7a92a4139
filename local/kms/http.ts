/**
 * Serves a LocalKms over HTTP the way AWS does (awsJson1_1): `POST` with `X-Amz-Target: TrentService.<Op>`
 * and a JSON body; errors are `{"__type": "<code>", "message": "..."}`. The request path is ignored, so the
 * stack can mount the listener at any prefix `AWS_ENDPOINT_URL_KMS` points to.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { KmsError, type LocalKms } from './kms.js';

const TARGET_PREFIX = 'TrentService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** Encrypt's largest request is about 6 KiB of base64; anything far beyond that is not a KMS call. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface KmsListenerOptions {
  /** Called once per KMS operation received (the `kmsCalls` counter). */
  onRequest?: () => void;
}

export function kmsRequestListener(kms: LocalKms, options: KmsListenerOptions = {}): RequestListener {
  return (req, res) => {
    void serve(kms, options, req, res);
  };
}

async function serve(
  kms: LocalKms,
  options: KmsListenerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  let status = 200;
  let body: unknown;
  let errorType: string | undefined;
  try {
    if (req.method !== 'POST') throw new KmsError('UnknownOperationException', 'KMS accepts only POST', 405);
    const target = req.headers['x-amz-target'];
    if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) {
      throw new KmsError('UnknownOperationException', 'X-Amz-Target must name a TrentService operation');
    }
    const request = parseBody(await readBody(req));
    options.onRequest?.();
    body = await kms.handle(target.slice(TARGET_PREFIX.length), request);
  } catch (error) {
    if (error instanceof KmsError) {
      status = error.status;
      errorType = error.code;
      body = { __type: error.code, message: error.message };
    } else {
      // Internals stay out of the response, as they would with AWS.
      status = 500;
      errorType = 'KMSInternalException';
      body = { __type: errorType, message: 'The local KMS failed to handle the request' };
    }
  }
  send(res, status, body, errorType);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new KmsError('SerializationException', 'Request body is too large', 413);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new KmsError('SerializationException', 'Request body is not valid JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown, errorType: string | undefined): void {
  if (res.headersSent || res.destroyed) return;
  const payload = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
  };
  if (errorType !== undefined) headers['x-amzn-errortype'] = errorType;
  res.writeHead(status, headers).end(payload);
}
