/**
 * Per-caller limits in the HTTP pipeline (API.md: `USER_RATE_LIMIT_PER_MINUTE`, default 10 per user per
 * minute, counted per route): the route table marks the limited routes (`userRateLimit`), and the pipeline
 * takes one request from the caller's window before the use case runs, or answers 429 RATE_LIMITED with
 * Retry-After.
 *
 * It runs inside the idempotent unit (shared/http/handler.ts), not as a middleware in front of it: a replay
 * of a stored answer (same Idempotency-Key and body) and a twin refused with 409 IDEMPOTENCY_IN_PROGRESS
 * never reach it, so retrying a request costs no quota; a 429 is not stored, so the same key works once
 * the window has passed. Invalid input (400) is answered before it and costs nothing either.
 */
import type { RateLimiter } from '../app/rate-limit.js';
import { RateLimitedError } from '../domain/errors.js';
import { routeKey, routes } from '../infra/routes.js';
import type { HttpEvent } from './request.js';

export const USER_RATE_LIMIT_ENV = 'USER_RATE_LIMIT_PER_MINUTE';
export const DEFAULT_USER_RATE_LIMIT_PER_MINUTE = 10;

const limitedRoutes: ReadonlySet<string> = new Set(
  routes.filter((route) => route.userRateLimit === true).map(routeKey),
);

/** Whether the route table counts this route against the caller's limit. */
export function routeRateLimited(key: string): boolean {
  return limitedRoutes.has(key);
}

/**
 * Takes one request of the caller from the route's window; throws RateLimitedError when it is full. A
 * request without a verified caller is not counted: the use case answers it 401.
 */
export async function enforceRateLimit(event: HttpEvent, limiter: RateLimiter): Promise<void> {
  const sub = event.requestContext.authorizer?.jwt?.claims?.sub;
  if (typeof sub !== 'string' || sub === '') return;
  const decision = await limiter.take(sub, event.routeKey);
  if (!decision.allowed) throw new RateLimitedError(decision.retryAfterSeconds);
}
