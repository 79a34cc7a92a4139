/**
 * The merchant API's door, checked before anything else of a `/v1/*` request (its body, its
 * Idempotency-Key): the API-key authorizer's verdict, then the route's scope.
 *
 * The authorizer never denies a request that carries an Authorization header (API Gateway would answer a
 * denial with its own body): it allows it and says in its context whose key it is, or nothing when the key
 * is bad. Here a context without a merchant becomes 401 INVALID_API_KEY and a key without the route's scope
 * 403 INSUFFICIENT_SCOPE, in the one error shape.
 */
import { type ApiKeyScope, assertScope } from '../domain/merchant.js';
import { routeKey, routes } from '../infra/routes.js';
import { type HttpEvent, merchantCallerOf } from './request.js';

/** The merchant API's routes (`auth: 'apiKey'`) and the scope each needs, from the route table. */
const apiKeyRoutes: ReadonlyMap<string, ApiKeyScope | undefined> = new Map(
  routes.filter((route) => route.auth === 'apiKey').map((route) => [routeKey(route), route.scope]),
);

export function guardApiKeyRoute(event: HttpEvent): void {
  if (!apiKeyRoutes.has(event.routeKey)) return;
  const caller = merchantCallerOf(event);
  const scope = apiKeyRoutes.get(event.routeKey);
  if (scope !== undefined) assertScope(caller, scope);
}

/**
 * Who an Idempotency-Key belongs to on a merchant API route: the merchant in one mode (API.md: scope =
 * merchant, mode, method, path); undefined on any other route.
 */
export function merchantIdempotencyCaller(event: HttpEvent): string | undefined {
  if (!apiKeyRoutes.has(event.routeKey)) return undefined;
  const caller = merchantCallerOf(event);
  return `merchant:${caller.merchantId}:${caller.mode}`;
}
