/**
 * The merchant customers feature's ports: where customers and their attached cards are kept (in the
 * merchant's tenant partition), and the processor's customers behind them.
 */

import type { Customer, CustomerPaymentMethod, Tenant } from '../../domain/customer.js';
import type { DomainEventDetail } from '../../domain/events.js';

export interface Page<T> {
  items: T[];
  /** Where the next page starts (an adapter position, not yet a client cursor); none on the last page. */
  after?: string;
}

export interface PageQuery {
  limit: number;
  after?: string;
}

/** The event a new customer announces, written with it (the outbox) for the merchant's webhooks. */
export interface CustomerCreatedEvent {
  detailType: 'customer.created';
  detail: DomainEventDetail<'customer.created'>;
}

export interface CustomerStore {
  /**
   * Stores a new customer and its `customer.created` event in one transaction. A customer id that exists
   * already (a retried request with the same Idempotency-Key) writes nothing and returns the stored one.
   */
  create(customer: Customer, event: CustomerCreatedEvent): Promise<Customer>;
  get(tenant: Tenant, customerId: string): Promise<Customer | undefined>;
  /**
   * Rewrites the customer as `change` makes it from what is stored, on the condition that nothing changed
   * it meanwhile (read again and retried on a race). A default payment method it sets must be attached to
   * the customer at the moment of the write, else PaymentMethodNotAttachedError. NOT_FOUND when there is
   * no such customer.
   */
  update(tenant: Tenant, customerId: string, change: (current: Customer) => Customer): Promise<Customer>;
  /** Removes the customer with its attached cards; false when there was none. */
  delete(tenant: Tenant, customerId: string): Promise<boolean>;
  /** Newest first; with `email`, only the customers with exactly that email. */
  list(tenant: Tenant, query: PageQuery & { email?: string }): Promise<Page<Customer>>;

  /** Keeps a card attached to the customer; attaching the same card again changes nothing. */
  attach(method: CustomerPaymentMethod): Promise<CustomerPaymentMethod>;
  paymentMethod(
    tenant: Tenant,
    customerId: string,
    paymentMethodId: string,
  ): Promise<CustomerPaymentMethod | undefined>;
  /** Newest first. */
  paymentMethods(tenant: Tenant, customerId: string, query: PageQuery): Promise<Page<CustomerPaymentMethod>>;
  /**
   * Forgets an attached card and, in the same write, the customer's default when it was that card. NOT_FOUND
   * when the card is not attached to the customer.
   */
  detach(tenant: Tenant, customerId: string, paymentMethodId: string): Promise<void>;
}

/** A card at the processor, as attaching it describes it. */
export interface ProviderCard {
  id: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  /** The processor's customer it is attached to. */
  customerId?: string;
}

/**
 * The processor's customers (Stripe). Calls that change something carry an idempotency key where the
 * request gave one, so a retried request makes no second customer and attaches no second card.
 */
export interface ProviderCustomers {
  createCustomer(input: {
    idempotencyKey?: string;
    email?: string;
    name?: string;
    metadata: Readonly<Record<string, string>>;
  }): Promise<string>;
  /**
   * Attaches a card to the processor's customer. A test token (`pm_card_visa`) attaches a new card made
   * from it; a card already attached to this customer comes back as it is; a card attached to another
   * customer, or unknown, is UnknownPaymentMethodError (400).
   */
  attachCard(input: {
    paymentMethodId: string;
    customerId: string;
    idempotencyKey?: string;
  }): Promise<ProviderCard>;
  /** Detaches the card from the processor's customer; a card no longer attached to it is done already. */
  detachCard(input: { paymentMethodId: string; customerId: string }): Promise<void>;
  /** Deletes the processor's customer (its cards there with it); one deleted already is done. */
  deleteCustomer(input: { customerId: string }): Promise<void>;
}
