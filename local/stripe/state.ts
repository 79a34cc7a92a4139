/**
 * Everything the server knows, in memory: the objects by id, and what each request handler is given.
 */
import { FaultPlan } from '../faults/plan.js';
import type { AccountObject } from './accounts.js';
import { ConnectState } from './connect.js';
import type { EventLog } from './events.js';
import type {
  ChargeObject,
  CustomerObject,
  DisputeObject,
  PaymentIntentObject,
  PaymentMethodObject,
  RefundObject,
} from './objects.js';
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

/**
 * The flaky mode (`/local/stripe/faults`), a seeded fraction of `/v1` requests each:
 * - `serverError`: answered 500 or 503 `api_error` without being executed;
 * - `timeout`: held for `hangMs`, then the connection is dropped, without being executed;
 * - `lostResponse` (POSTs that move money: not creating a customer or attaching a card): executed (a PaymentIntent is created and charged, events are sent), then
 *   the connection is dropped instead of the answer, as when the caller crashes or times out after Stripe
 *   acted;
 * and a seeded fraction of events, `lostWebhook`: never delivered, as when our endpoint stayed down longer
 * than Stripe retries.
 */
export const STRIPE_FAULT_KINDS = ['serverError', 'timeout', 'lostResponse'] as const;
export type StripeFaultKind = (typeof STRIPE_FAULT_KINDS)[number];
/** And for the webhooks: `lostWebhook`, an event never delivered (its delivery recorded as failed). */
export const STRIPE_WEBHOOK_FAULT_KINDS = ['lostWebhook'] as const;
export type StripeWebhookFaultKind = (typeof STRIPE_WEBHOOK_FAULT_KINDS)[number];

export class StripeFaults {
  /** Drawn per `/v1` request. */
  readonly plan = new FaultPlan<StripeFaultKind>(STRIPE_FAULT_KINDS);
  /** Drawn per event to deliver: another population, so its rate adds to nothing above. */
  readonly webhooks = new FaultPlan<StripeWebhookFaultKind>(STRIPE_WEBHOOK_FAULT_KINDS);
  /** Short of the SDK's own timeout (10 s by default), so a hang ends as a dropped connection. */
  hangMs = 1_000;
}

export class StripeState {
  readonly paymentIntents = new Map<string, PaymentIntentObject>();
  readonly charges = new Map<string, ChargeObject>();
  readonly refunds = new Map<string, RefundObject>();
  readonly disputes = new Map<string, DisputeObject>();
  readonly paymentMethods = new Map<string, StoredPaymentMethod>();
  readonly customers = new Map<string, CustomerObject>();
  /** Connect accounts (accounts.ts). */
  readonly accounts = new Map<string, AccountObject>();
  /** Transfers, payouts and the connected accounts' balances (connect.ts). */
  readonly connect = new ConnectState();
  outage: StripeOutage = 'none';
  readonly faults = new StripeFaults();
  /** How new refunds start: `succeeded` at once (the default), or `pending` until settled by a control route. */
  refundMode: 'succeeded' | 'pending' = 'succeeded';
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
  /** The connected account the request acts on (`Stripe-Account`), or null for the platform's own. */
  stripeAccount: string | null;
  /** This server's own base URL, for the links in `next_action`. */
  baseUrl: string;
}
