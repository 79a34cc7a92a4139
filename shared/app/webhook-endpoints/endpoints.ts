/**
 * A merchant's webhook endpoints (API.md "Webhook endpoints"), with the `webhooks:write` scope, inside the
 * key's merchant and mode: another merchant's endpoint, or the other mode's, is not found.
 */
import { NotFoundError } from '../../domain/errors.js';
import { assertScope, type MerchantCaller } from '../../domain/merchant.js';
import {
  applyEndpointChanges,
  type EndpointChanges,
  enabledEventsOf,
} from '../../domain/webhook-endpoint.js';
import type { DeliveryAttempt, WebhookEndpoint } from '../../domain/webhook-events.js';
import type { CursorCodec } from '../cursor.js';
import type { Clock, Ids } from '../ports.js';
import type { EndpointSecrets, EndpointUrls, Tenant, WebhookEndpointStore } from './ports.js';

export interface EndpointDeps {
  endpoints: WebhookEndpointStore;
  secrets: EndpointSecrets;
  urls: EndpointUrls;
  ids: Ids;
  clock: Clock;
}

export interface NewEndpoint {
  url: string;
  enabledEvents: readonly string[];
  description?: string | undefined;
}

/** A new endpoint and, the only time it is shown, its secret (absent when a retry found the first one). */
export interface CreatedEndpoint {
  endpoint: WebhookEndpoint;
  secret?: string;
}

export function tenantOf(caller: MerchantCaller): Tenant {
  return { merchantId: caller.merchantId, mode: caller.mode };
}

/**
 * 1. The key needs `webhooks:write`; the event types must be known (or `*`) and the URL fit for the mode.
 * 2. The id comes from the Idempotency-Key when there is one, so a retry finds the endpoint it made.
 * 3. A fresh secret, sealed with KMS under the endpoint's id, is stored with it and answered this once.
 */
export async function createEndpoint(
  caller: MerchantCaller,
  input: NewEndpoint,
  idempotencyKey: string,
  deps: EndpointDeps,
): Promise<CreatedEndpoint> {
  assertScope(caller, 'webhooks:write');
  const enabledEvents = enabledEventsOf(input.enabledEvents);
  await deps.urls.check(input.url, caller.mode);
  const id =
    idempotencyKey === ''
      ? deps.ids.next('we_')
      : deps.ids.derive('we_', caller.merchantId, caller.mode, idempotencyKey);
  const existing = await deps.endpoints.get(tenantOf(caller), id);
  if (existing !== undefined) return { endpoint: existing };
  const endpoint: WebhookEndpoint = {
    id,
    ...tenantOf(caller),
    url: input.url,
    enabledEvents,
    ...(input.description === undefined || input.description === ''
      ? {}
      : { description: input.description }),
    status: 'enabled',
    created: Math.floor(deps.clock.now().getTime() / 1000),
  };
  const secret = deps.secrets.generate();
  const stored = await deps.endpoints.create(endpoint, await deps.secrets.seal(secret, endpoint));
  return stored.created ? { endpoint: stored.endpoint, secret } : { endpoint: stored.endpoint };
}

export async function getEndpoint(
  caller: MerchantCaller,
  endpointId: string,
  deps: Pick<EndpointDeps, 'endpoints'>,
): Promise<WebhookEndpoint> {
  assertScope(caller, 'webhooks:write');
  return existingEndpoint(caller, endpointId, deps);
}

/**
 * 1. The key needs `webhooks:write`; a new URL is checked as at creation.
 * 2. The changes are applied to the endpoint as stored (domain/webhook-endpoint.ts), conditionally.
 */
export async function updateEndpoint(
  caller: MerchantCaller,
  endpointId: string,
  changes: EndpointChanges,
  deps: Pick<EndpointDeps, 'endpoints' | 'urls'>,
): Promise<WebhookEndpoint> {
  assertScope(caller, 'webhooks:write');
  if (changes.enabledEvents !== undefined) enabledEventsOf(changes.enabledEvents);
  await existingEndpoint(caller, endpointId, deps);
  if (changes.url !== undefined) await deps.urls.check(changes.url, caller.mode);
  return deps.endpoints.update(tenantOf(caller), endpointId, (current) =>
    applyEndpointChanges(current, changes),
  );
}

/** Deletes it and its secret; its deliveries still queued find no endpoint and stop. */
export async function deleteEndpoint(
  caller: MerchantCaller,
  endpointId: string,
  deps: Pick<EndpointDeps, 'endpoints'>,
): Promise<{ id: string }> {
  assertScope(caller, 'webhooks:write');
  if (!(await deps.endpoints.delete(tenantOf(caller), endpointId)))
    throw new NotFoundError('Webhook endpoint');
  return { id: endpointId };
}

/** One page of the tenant's endpoints, newest first, with a cursor signed for this list. */
export async function listEndpoints(
  caller: MerchantCaller,
  query: { limit: number; cursor?: string | undefined },
  deps: Pick<EndpointDeps, 'endpoints'> & { cursors: CursorCodec },
): Promise<{ endpoints: WebhookEndpoint[]; nextCursor: string | null }> {
  assertScope(caller, 'webhooks:write');
  const list = `webhook_endpoints:${caller.merchantId}:${caller.mode}`;
  const after = query.cursor === undefined ? undefined : deps.cursors.decode(list, query.cursor);
  const page = await deps.endpoints.list(tenantOf(caller), {
    limit: query.limit,
    ...(after === undefined ? {} : { after }),
  });
  return {
    endpoints: page.items,
    nextCursor: page.after === undefined ? null : deps.cursors.encode(list, page.after),
  };
}

/** The endpoint's delivery log, newest attempt first (NOT_FOUND outside the tenant). */
export async function listDeliveries(
  caller: MerchantCaller,
  endpointId: string,
  query: { limit: number; cursor?: string | undefined },
  deps: Pick<EndpointDeps, 'endpoints'> & { cursors: CursorCodec },
): Promise<{ attempts: DeliveryAttempt[]; nextCursor: string | null }> {
  assertScope(caller, 'webhooks:write');
  await existingEndpoint(caller, endpointId, deps);
  const list = `webhook_deliveries:${caller.merchantId}:${caller.mode}:${endpointId}`;
  const after = query.cursor === undefined ? undefined : deps.cursors.decode(list, query.cursor);
  const page = await deps.endpoints.attempts(tenantOf(caller), endpointId, {
    limit: query.limit,
    ...(after === undefined ? {} : { after }),
  });
  return {
    attempts: page.items,
    nextCursor: page.after === undefined ? null : deps.cursors.encode(list, page.after),
  };
}

export async function existingEndpoint(
  caller: MerchantCaller,
  endpointId: string,
  deps: Pick<EndpointDeps, 'endpoints'>,
): Promise<WebhookEndpoint> {
  const endpoint = await deps.endpoints.get(tenantOf(caller), endpointId);
  if (endpoint === undefined) throw new NotFoundError('Webhook endpoint');
  return endpoint;
}
