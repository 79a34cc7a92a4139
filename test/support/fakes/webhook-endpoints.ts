/** In-memory fakes of the webhook producer's ports (shared/app/webhook-endpoints/ports.ts). */
import type { DeliveryTask } from '../../../shared/app/webhook-delivery/ports.js';
import type {
  AppOwners,
  DeliveryQueue,
  EndpointSecrets,
  EndpointUrls,
  Page,
  PageQuery,
  Tenant,
  WebhookEndpointStore,
  WebhookEventStore,
} from '../../../shared/app/webhook-endpoints/ports.js';
import { NotFoundError, ValidationError } from '../../../shared/domain/errors.js';
import type {
  Delivery,
  DeliveryAttempt,
  WebhookEndpoint,
  WebhookEvent,
} from '../../../shared/domain/webhook-events.js';

const tenantKey = (t: Tenant, id: string) => `${t.merchantId}|${t.mode}|${id}`;

function page<T>(items: T[], query: PageQuery, idOf: (item: T) => string): Page<T> {
  const start = query.after === undefined ? 0 : items.findIndex((i) => idOf(i) === query.after) + 1;
  const slice = items.slice(start, start + query.limit);
  const last = slice.at(-1);
  return start + query.limit < items.length && last !== undefined
    ? { items: slice, after: idOf(last) }
    : { items: slice };
}

export class InMemoryWebhookEndpoints implements WebhookEndpointStore {
  readonly stored = new Map<string, { endpoint: WebhookEndpoint; sealedSecret: string }>();
  readonly log: DeliveryAttempt[] = [];

  async create(endpoint: WebhookEndpoint, sealedSecret: string) {
    const key = tenantKey(endpoint, endpoint.id);
    const existing = this.stored.get(key);
    if (existing !== undefined) return { endpoint: existing.endpoint, created: false };
    this.stored.set(key, { endpoint, sealedSecret });
    return { endpoint, created: true };
  }

  async get(tenant: Tenant, endpointId: string) {
    return this.stored.get(tenantKey(tenant, endpointId))?.endpoint;
  }

  async update(tenant: Tenant, endpointId: string, change: (current: WebhookEndpoint) => WebhookEndpoint) {
    const stored = this.stored.get(tenantKey(tenant, endpointId));
    if (stored === undefined) throw new NotFoundError('Webhook endpoint');
    const next = change(stored.endpoint);
    this.stored.set(tenantKey(tenant, endpointId), { ...stored, endpoint: next });
    return next;
  }

  async delete(tenant: Tenant, endpointId: string) {
    return this.stored.delete(tenantKey(tenant, endpointId));
  }

  async list(tenant: Tenant, query: PageQuery) {
    return page((await this.all(tenant)).reverse(), query, (e) => e.id);
  }

  async all(tenant: Tenant) {
    return [...this.stored.values()]
      .map((s) => s.endpoint)
      .filter((e) => e.merchantId === tenant.merchantId && e.mode === tenant.mode);
  }

  async attempts(tenant: Tenant, endpointId: string, query: PageQuery) {
    const mine = this.log.filter(
      (a) => a.merchantId === tenant.merchantId && a.mode === tenant.mode && a.endpointId === endpointId,
    );
    return page(mine.reverse(), query, (a) => `${a.eventId}#${a.attempt}`);
  }
}

export class InMemoryWebhookEvents implements WebhookEventStore {
  readonly events = new Map<string, WebhookEvent>();
  readonly deliveries = new Map<string, Delivery>();
  readonly #sequences = new Map<string, number>();

  async record(event: Omit<WebhookEvent, 'sequence'>) {
    const existing = this.events.get(tenantKey(event, event.id));
    if (existing !== undefined) return { event: existing, recorded: false };
    const counter = tenantKey(event, event.objectId);
    const sequence = (this.#sequences.get(counter) ?? 0) + 1;
    this.#sequences.set(counter, sequence);
    const recorded = { ...event, sequence };
    this.events.set(tenantKey(event, event.id), recorded);
    return { event: recorded, recorded: true };
  }

  async get(tenant: Tenant, eventId: string) {
    return this.events.get(tenantKey(tenant, eventId));
  }

  async list(tenant: Tenant, query: PageQuery & { type?: string }) {
    const mine = [...this.events.values()].filter(
      (e) =>
        e.merchantId === tenant.merchantId &&
        e.mode === tenant.mode &&
        (query.type === undefined || e.type === query.type),
    );
    return page(mine.reverse(), query, (e) => e.id);
  }

  async openDeliveries(deliveries: readonly Delivery[]) {
    const waiting: Delivery[] = [];
    for (const delivery of deliveries) {
      const key = `${tenantKey(delivery, delivery.endpointId)}|${delivery.eventId}`;
      const current = this.deliveries.get(key) ?? delivery;
      this.deliveries.set(key, current);
      if (current.status === 'pending' && current.attempts === 0) waiting.push(current);
    }
    return waiting;
  }
}

export class RecordingDeliveryQueue implements DeliveryQueue {
  readonly tasks: DeliveryTask[] = [];

  async enqueue(tasks: readonly DeliveryTask[]) {
    this.tasks.push(...tasks);
  }
}

/** Secrets with a counter, sealed as a readable string the tests can check. */
export function fakeSecrets(): EndpointSecrets & { sealed: string[] } {
  let n = 0;
  const sealed: string[] = [];
  return {
    sealed,
    generate: () => {
      n += 1;
      return `whsec_${Buffer.from(`secret-${n}`.padEnd(32, '.')).toString('base64')}`;
    },
    seal: async (secret, endpoint) => {
      const value = `sealed(${endpoint.id}):${secret}`;
      sealed.push(value);
      return value;
    },
  };
}

/** URLs: live takes https only; a host named `private.example` stands for one resolving to 10.0.0.1. */
export const fakeUrls: EndpointUrls = {
  async check(url, mode) {
    const parsed = new URL(url);
    if ((mode === 'live' && parsed.protocol !== 'https:') || parsed.hostname === 'private.example') {
      throw new ValidationError('url is not allowed', { field: 'url' });
    }
  },
};

export function fakeAppOwners(apps: Record<string, Tenant>): AppOwners {
  return { ownerOf: async (appId) => apps[appId] };
}
