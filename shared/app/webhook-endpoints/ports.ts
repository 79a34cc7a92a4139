/**
 * The producer side of outbound webhooks: a merchant's endpoints and their secrets, the events recorded
 * for its webhooks, and the queue the delivery reads (its task and store are in ../webhook-delivery/ports.ts).
 */
import type { Mode } from '../../domain/merchant.js';
import type {
  Delivery,
  DeliveryAttempt,
  WebhookEndpoint,
  WebhookEvent,
} from '../../domain/webhook-events.js';
import type { DeliveryTask } from '../webhook-delivery/ports.js';

export interface Tenant {
  merchantId: string;
  mode: Mode;
}

export interface Page<T> {
  items: T[];
  /** Where the next page starts (an adapter position, not yet a client cursor); none on the last page. */
  after?: string;
}

export interface PageQuery {
  limit: number;
  after?: string;
}

export interface WebhookEndpointStore {
  /**
   * Stores a new endpoint with its sealed secret. An endpoint id that exists already (a retried request
   * with the same Idempotency-Key) writes nothing and returns the stored one, `created: false`.
   */
  create(
    endpoint: WebhookEndpoint,
    sealedSecret: string,
  ): Promise<{ endpoint: WebhookEndpoint; created: boolean }>;
  get(tenant: Tenant, endpointId: string): Promise<WebhookEndpoint | undefined>;
  /** Rewrites it as `change` makes it, on the condition nothing changed it meanwhile (read again on a race). */
  update(
    tenant: Tenant,
    endpointId: string,
    change: (current: WebhookEndpoint) => WebhookEndpoint,
  ): Promise<WebhookEndpoint>;
  /** Removes it with its secret; false when there was none. */
  delete(tenant: Tenant, endpointId: string): Promise<boolean>;
  /** Newest first. */
  list(tenant: Tenant, query: PageQuery): Promise<Page<WebhookEndpoint>>;
  /** Every endpoint of the tenant (a merchant has a handful), for the producer to pick the interested. */
  all(tenant: Tenant): Promise<WebhookEndpoint[]>;
  /** The endpoint's delivery log, newest attempt first. */
  attempts(tenant: Tenant, endpointId: string, query: PageQuery): Promise<Page<DeliveryAttempt>>;
}

/** Standard Webhooks secrets: made here, shown once, kept sealed with KMS for the delivery to open. */
export interface EndpointSecrets {
  /** `whsec_` + base64 of 32 random bytes. */
  generate(): string;
  seal(secret: string, endpoint: Pick<WebhookEndpoint, 'id' | 'merchantId' | 'mode'>): Promise<string>;
}

/**
 * Whether a URL may be an endpoint of this mode (live: https, and its host resolves to public addresses
 * only). Throws VALIDATION_ERROR naming `url` when not.
 */
export interface EndpointUrls {
  check(url: string, mode: Mode): Promise<void>;
}

export interface WebhookEventStore {
  /**
   * Records the event with the next `sequence` of its object. An event with its id recorded already (the
   * bus redelivered the domain event) writes nothing and returns the one recorded, `recorded: false`.
   */
  record(event: Omit<WebhookEvent, 'sequence'>): Promise<{ event: WebhookEvent; recorded: boolean }>;
  get(tenant: Tenant, eventId: string): Promise<WebhookEvent | undefined>;
  /** Newest first; with `type`, only events of that type. */
  list(tenant: Tenant, query: PageQuery & { type?: string }): Promise<Page<WebhookEvent>>;
  /**
   * Creates each delivery that does not exist yet (pending, no attempt). Returns those still waiting for
   * their first attempt, new or left so by a run that stopped before queueing them: the ones to queue.
   */
  openDeliveries(deliveries: readonly Delivery[]): Promise<Delivery[]>;
}

/** The deliveries queue (`WEBHOOK_DELIVERY_QUEUE_URL`). */
export interface DeliveryQueue {
  enqueue(tasks: readonly DeliveryTask[]): Promise<void>;
}

/** Whose a mini-app is: a `payment.completed` names only its app. */
export interface AppOwners {
  ownerOf(appId: string): Promise<Tenant | undefined>;
}
