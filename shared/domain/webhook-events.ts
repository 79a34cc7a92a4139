/**
 * Outbound webhooks, as the merchant API shows them: a merchant's endpoints (`we_`), the events that happen
 * to its objects (`evt_`, `GET /v1/events`) and every attempt to deliver one to an endpoint (the delivery
 * log). An event is immutable once recorded; an endpoint's health changes with each attempt's outcome.
 */

export type Mode = 'test' | 'live';

export type WebhookEndpointStatus = 'enabled' | 'disabled';

export interface WebhookEndpoint {
  id: string;
  merchantId: string;
  mode: Mode;
  url: string;
  /** Event types delivered to it, or `['*']` for every type. */
  enabledEvents: readonly string[];
  description?: string;
  status: WebhookEndpointStatus;
  /** When its deliveries began failing with no success since (ISO 8601); absent while healthy. */
  failingSince?: string;
  /** Why it was disabled: by its owner, or after failing for 5 days. */
  disabledReason?: 'owner' | 'failing';
  /** Epoch seconds. */
  created: number;
}

/** A domain event as one merchant's webhooks see it: Standard Webhooks' payload without the signature. */
export interface WebhookEvent {
  id: string;
  merchantId: string;
  mode: Mode;
  type: string;
  /** Epoch seconds. */
  created: number;
  /** The object the event is about (`pi_…`, `re_…`, `po_…`): deliveries keep creation order per object. */
  objectId: string;
  /** Creation order among the events of one object (the n-th event of `objectId`, from 1). */
  sequence: number;
  data: { object: Record<string, unknown> };
}

/** The body a delivery carries: `{"id", "type", "created", "livemode", "data": {"object"}}` (API.md). */
export function webhookPayload(event: WebhookEvent): Record<string, unknown> {
  return {
    id: event.id,
    type: event.type,
    created: event.created,
    livemode: event.mode === 'live',
    data: event.data,
  };
}

/** Whether an endpoint takes events of this type. */
export function endpointWants(endpoint: WebhookEndpoint, type: string): boolean {
  return (
    endpoint.status === 'enabled' &&
    (endpoint.enabledEvents.includes('*') || endpoint.enabledEvents.includes(type))
  );
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

/** Where one event stands at one endpoint. */
export interface Delivery {
  merchantId: string;
  mode: Mode;
  endpointId: string;
  eventId: string;
  objectId: string;
  sequence: number;
  status: DeliveryStatus;
  /** Attempts made so far. */
  attempts: number;
  /** When the next attempt is due (ISO 8601), while pending. */
  nextAttemptAt?: string;
}

/** One attempt, as `GET /v1/webhook_endpoints/{id}/deliveries` lists it. */
export interface DeliveryAttempt {
  merchantId: string;
  mode: Mode;
  endpointId: string;
  eventId: string;
  /** 1 for the first attempt; a resend continues the count. */
  attempt: number;
  attemptedAt: string;
  /** The receiver's status code; absent when it gave no answer (timeout, refused, blocked address). */
  statusCode?: number;
  durationMs: number;
  /** Why an attempt without an answer failed (`timeout`, `connection_refused`, `blocked_address`...). */
  error?: string;
  nextAttemptAt?: string;
}
