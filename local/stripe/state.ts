/**
 * Everything the server knows, in memory: the objects by id, and what each request handler is given.
 */
import type { EventLog } from './events.js';
import type { ChargeObject, PaymentIntentObject, PaymentMethodObject, RefundObject } from './objects.js';
import type { TestCard } from './test-cards.js';

export interface StoredPaymentMethod {
  object: PaymentMethodObject;
  /** The documented test card it was made from, which decides how payments with it go. */
  card: TestCard;
}

/**
 * A simulated outage of the API (`/local/stripe/outage`): `unavailable` answers every `/v1` request 503
 * `api_error` without executing it; `unreachable` drops the connection without an answer.
 */
export type StripeOutage = 'none' | 'unavailable' | 'unreachable';

export class StripeState {
  readonly paymentIntents = new Map<string, PaymentIntentObject>();
  readonly charges = new Map<string, ChargeObject>();
  readonly refunds = new Map<string, RefundObject>();
  readonly paymentMethods = new Map<string, StoredPaymentMethod>();
  outage: StripeOutage = 'none';
}

/** The API request an event is attributed to (`event.request`). */
export interface RequestRef {
  id: string | null;
  idempotency_key: string | null;
}

export interface ApiContext {
  state: StripeState;
  events: EventLog;
  request: RequestRef;
  /** This server's own base URL, for the links in `next_action`. */
  baseUrl: string;
}
