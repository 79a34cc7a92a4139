/**
 * The merchant PaymentIntents feature's ports: where intents are kept (in their merchant's partition, every
 * change a conditional write with its event), the merchant's customers they may name, and the capture window.
 * The card processor is the payments feature's PaymentProvider.
 */
import type { MerchantCharge } from '../../domain/balance.js';
import type { DomainEventDetail } from '../../domain/events.js';
import type { Mode } from '../../domain/merchant.js';
import type {
  PaymentIntent,
  PaymentIntentEventType,
  PaymentIntentStatus,
} from '../../domain/payment-intent.js';

/** Whose objects: one merchant in one mode. */
export interface Tenant {
  merchantId: string;
  mode: Mode;
}

export interface PaymentIntentEvent {
  type: PaymentIntentEventType;
  detail: DomainEventDetail<PaymentIntentEventType>;
}

export interface PaymentIntentPage {
  intents: PaymentIntent[];
  /** Where the next page starts (an adapter position, not yet a client cursor); none on the last page. */
  after?: string;
}

export interface PaymentIntentStore {
  /** Stores a new intent; when its id exists already (a retried or twin request) returns the stored one. */
  create(intent: PaymentIntent): Promise<PaymentIntent>;
  get(tenant: Tenant, intentId: string): Promise<PaymentIntent | undefined>;
  /**
   * Replaces `before` by `after` on the condition that the stored intent is still `before` (its status,
   * attempts and last change), with `event`, when given, in the outbox in the same transaction.
   * With `charge` (the intent succeeding), its ledger transfers, balance transaction and volume are written
   * by the same transaction, so no read sees the intent succeeded without its money or the money without it.
   * ConcurrentModificationError (409) when it moved on meanwhile.
   */
  save(
    before: PaymentIntent,
    after: PaymentIntent,
    event?: PaymentIntentEvent,
    charge?: MerchantCharge,
  ): Promise<PaymentIntent>;
  /** One page of the tenant's intents, newest first, optionally of one customer and/or in one status. */
  list(
    tenant: Tenant,
    query: { customerId?: string; status?: PaymentIntentStatus; limit: number; after?: string },
  ): Promise<PaymentIntentPage>;
}

/** A merchant's customer as an intent needs it: the processor's customer its cards are attached to. */
export interface IntentCustomer {
  customerId: string;
  providerCustomerId: string;
  defaultPaymentMethod?: string | undefined;
}

/** The merchant's customers (the customers feature): only the tenant's own are found. */
export interface IntentCustomers {
  find(tenant: Tenant, customerId: string): Promise<IntentCustomer | undefined>;
}

/**
 * The capture window (Step Functions, statemachines/payment-intent-capture.asl.json): started for a
 * manual-capture intent that reached requires_capture, named by the intent id (a duplicate start is harmless).
 */
export interface CaptureWindow {
  start(intentId: string, input: Readonly<Record<string, unknown>>): Promise<void>;
}
