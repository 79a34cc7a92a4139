/**
 * Reading requests and writing answers: headers, the body as text or as a JSON object, a JSON answer with
 * PayPal's debug id, and listening on a port.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { recordOf } from '../../shared/json.js';
import { PayPalError } from './errors.js';

export type Json = Record<string, unknown>;

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

export function parseBody(raw: string): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new PayPalError(400, 'INVALID_REQUEST', 'MALFORMED_REQUEST_JSON');
  }
  const record = recordOf(parsed);
  if (record === undefined) throw new PayPalError(400, 'INVALID_REQUEST', 'MALFORMED_REQUEST_JSON');
  return record;
}

export function sendJson(res: ServerResponse, status: number, body: Json): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'paypal-debug-id': randomUUID().slice(0, 13),
  });
  res.end(text);
}

export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('no port'));
      else resolve(address.port);
    });
  });
}
