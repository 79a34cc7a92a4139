/** How the integration tests talk to the local stack: over HTTP, as an app would. */
import { DEFAULT_LOCAL_JWT_SECRET, signLocalToken, type TokenOptions } from '../../local/auth.js';

export function apiUrl(): string {
  const url = process.env.TWEEN_API_URL;
  if (url === undefined)
    throw new Error('TWEEN_API_URL is not set: run the integration project (global setup)');
  return url;
}

export function endpoint(name: string): string {
  const endpoints = JSON.parse(process.env.TWEEN_ENDPOINTS ?? '{}') as Record<string, string>;
  const url = endpoints[name];
  if (url === undefined) throw new Error(`No local endpoint ${name}`);
  return url;
}

export function tokenFor(userId: string, options: Partial<TokenOptions> = {}): Promise<string> {
  return signLocalToken(userId, { secret: DEFAULT_LOCAL_JWT_SECRET, ...options });
}

export interface ApiAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = unknown>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${apiUrl()}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text === '' ? undefined : JSON.parse(text)) as T,
  };
}
