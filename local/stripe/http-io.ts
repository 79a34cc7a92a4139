/**
 * Reading request bodies and writing responses, shared by the API and the local control routes.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { invalidRequest, StripeApiError } from './errors.js';

/** Far above any request this API takes; a larger body is refused rather than buffered. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface ApiResponse {
  status: number;
  /** Serialised JSON, kept as text so an idempotent replay sends the identical bytes. */
  body: string;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw invalidRequest('Request body too large.', { status: 413 });
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function jsonResponse(status: number, body: unknown): ApiResponse {
  // Stripe's responses are pretty-printed.
  return { status, body: JSON.stringify(body, null, 2) };
}

export function errorResponse(error: unknown): ApiResponse {
  if (error instanceof StripeApiError) return jsonResponse(error.status, { error: error.body });
  // A fault in this server: say so in Stripe's shape without leaking internals.
  return jsonResponse(500, {
    error: { type: 'api_error', message: 'The local Stripe server failed to handle the request.' },
  });
}

export function send(res: ServerResponse, response: ApiResponse, headers: OutgoingHttpHeaders = {}): void {
  res.writeHead(response.status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(response.body),
  });
  res.end(response.body);
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
