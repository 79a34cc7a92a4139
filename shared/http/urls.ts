/**
 * Every URL the service hands out is absolute (API.md), and only the HTTP edge knows where the API was
 * reached: use cases name the API's own routes by path, and the edge prefixes the API's base URL.
 */
import type { HttpEvent } from './request.js';

/**
 * The API's base URL as the caller reached it, without a trailing slash: the scheme API Gateway saw
 * (X-Forwarded-Proto, https unless it says http), `requestContext.domainName`, and the stage when the path
 * carries it (a named stage on the execute-api domain; `$default` and custom domains carry none).
 */
export function apiBaseUrl(event: Pick<HttpEvent, 'headers' | 'rawPath' | 'requestContext'>): string {
  const proto = headerOf(event.headers, 'x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  const scheme = proto === 'http' ? 'http' : 'https';
  const { domainName, stage } = event.requestContext;
  const stagePath = `/${stage}`;
  const staged =
    stage !== '$default' && (event.rawPath === stagePath || event.rawPath.startsWith(`${stagePath}/`));
  return `${scheme}://${domainName}${staged ? stagePath : ''}`;
}

/** The absolute URL of one of the API's own paths (`/payments/v1/...`). */
export function absoluteUrl(event: Pick<HttpEvent, 'headers' | 'rawPath' | 'requestContext'>, path: string) {
  if (!path.startsWith('/')) throw new Error(`Not an API path: ${path}`);
  return `${apiBaseUrl(event)}${path}`;
}

function headerOf(headers: HttpEvent['headers'] | undefined, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === name) return value;
  return undefined;
}
