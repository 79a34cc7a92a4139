/**
 * What subscriptions need from the outside world: the store that keeps each subscription with its event
 * (the outbox) in one conditional write, the schedule that brings each subscription's next step back when it
 * is due (EventBridge Scheduler → the steps queue), and, from the billing seams (../billing/ports.ts), the
 * prices and the invoicing of a period.
 */
import type { Customer, Tenant } from '../../domain/customer.js';
import type { DomainEventDetail } from '../../domain/events.js';
import type { Subscription, SubscriptionStatus, SubscriptionStep } from '../../domain/subscription.js';
import type { Page, PageQuery } from '../merchant-customers/ports.js';

export type SubscriptionEventType =
  | 'customer.subscription.created'
  | 'customer.subscription.updated'
  | 'customer.subscription.deleted';

/** The event a change announces, written with it (the outbox) for the merchant's webhooks. */
export interface SubscriptionEvent {
  detailType: SubscriptionEventType;
  detail: DomainEventDetail<SubscriptionEventType>;
}

/** A subscription as stored, with the version a conditional change requires it still to have. */
export interface StoredSubscription {
  subscription: Subscription;
  version: number;
}

export interface SubscriptionListQuery extends PageQuery {
  customerId?: string;
  status?: SubscriptionStatus;
}

export interface SubscriptionStore {
  /**
   * Stores a new subscription with its `customer.subscription.created` event in one transaction. An id that
   * exists already (the same Idempotency-Key again) writes nothing and returns the stored one.
   */
  create(subscription: Subscription, event: SubscriptionEvent): Promise<StoredSubscription>;
  get(tenant: Tenant, subscriptionId: string): Promise<StoredSubscription | undefined>;
  /**
   * Replaces the subscription with `next` and writes its event (when the change announces one), in one
   * transaction, on the condition that it is still at `version`: ConcurrentModificationError when it moved
   * (a twin step, a cancel meanwhile).
   */
  change(next: Subscription, version: number, event?: SubscriptionEvent): Promise<StoredSubscription>;
  /** The tenant's subscriptions, newest first, of one customer and/or status, or all. */
  list(tenant: Tenant, query: SubscriptionListQuery): Promise<Page<Subscription>>;
}

/**
 * Brings a step back at `at`: a one-time EventBridge Scheduler schedule (`at(…)`) whose target is the steps
 * queue (an SQS delay when it is due within 15 minutes). Named by the step, so scheduling the same step
 * twice makes one schedule.
 */
export interface SubscriptionSchedule {
  scheduleAt(step: SubscriptionStep, at: Date): Promise<void>;
}

/** The customers subscriptions bill (the merchant customers feature's store). */
export interface SubscriptionCustomers {
  get(tenant: Tenant, customerId: string): Promise<Customer | undefined>;
  /** Makes an attached card the customer's default (NOT_FOUND/VALIDATION when it is not attached). */
  setDefaultPaymentMethod(tenant: Tenant, customerId: string, paymentMethodId: string): Promise<Customer>;
}
