/**
 * In-memory fakes of the merchant customers feature's ports (shared/app/merchant-customers/ports.ts): the
 * store, keyed by tenant like the table, and the processor's customers, which attach a card to one
 * customer only, as Stripe does.
 */
import type {
  CustomerCreatedEvent,
  CustomerStore,
  Page,
  PageQuery,
  ProviderCard,
  ProviderCustomers,
} from '../../../shared/app/merchant-customers/ports.js';
import {
  type Customer,
  type CustomerPaymentMethod,
  PaymentMethodNotAttachedError,
  type Tenant,
} from '../../../shared/domain/customer.js';
import { NotFoundError } from '../../../shared/domain/errors.js';
import { UnknownPaymentMethodError } from '../../../shared/domain/provider-errors.js';

const tenantKey = (tenant: Tenant, id: string) => `${tenant.merchantId}#${tenant.mode}#${id}`;

function page<T>(items: T[], query: PageQuery, idOf: (item: T) => string): Page<T> {
  const start = query.after === undefined ? 0 : items.findIndex((item) => idOf(item) === query.after) + 1;
  const slice = items.slice(start, start + query.limit);
  const last = slice.at(-1);
  return {
    items: slice,
    ...(start + query.limit < items.length && last !== undefined ? { after: idOf(last) } : {}),
  };
}

export class FakeCustomerStore implements CustomerStore {
  readonly customers = new Map<string, Customer>();
  readonly methods = new Map<string, CustomerPaymentMethod>();
  readonly events: CustomerCreatedEvent[] = [];

  async create(customer: Customer, event: CustomerCreatedEvent): Promise<Customer> {
    const key = tenantKey(customer, customer.customerId);
    const stored = this.customers.get(key);
    if (stored !== undefined) return stored;
    this.customers.set(key, customer);
    this.events.push(event);
    return customer;
  }

  async get(tenant: Tenant, customerId: string): Promise<Customer | undefined> {
    return this.customers.get(tenantKey(tenant, customerId));
  }

  async update(tenant: Tenant, customerId: string, change: (current: Customer) => Customer) {
    const current = await this.get(tenant, customerId);
    if (current === undefined) throw new NotFoundError('Customer');
    const next = change(current);
    const setDefault = next.defaultPaymentMethod;
    if (
      setDefault !== undefined &&
      setDefault !== current.defaultPaymentMethod &&
      (await this.paymentMethod(tenant, customerId, setDefault)) === undefined
    ) {
      throw new PaymentMethodNotAttachedError();
    }
    this.customers.set(tenantKey(tenant, customerId), next);
    return next;
  }

  async delete(tenant: Tenant, customerId: string): Promise<boolean> {
    return this.customers.delete(tenantKey(tenant, customerId));
  }

  async list(tenant: Tenant, query: PageQuery & { email?: string }): Promise<Page<Customer>> {
    const mine = [...this.customers.values()]
      .filter((c) => c.merchantId === tenant.merchantId && c.mode === tenant.mode)
      .filter((c) => query.email === undefined || c.email === query.email)
      .reverse();
    return page(mine, query, (c) => c.customerId);
  }

  async attach(method: CustomerPaymentMethod): Promise<CustomerPaymentMethod> {
    if ((await this.get(method, method.customerId)) === undefined) throw new NotFoundError('Customer');
    const key = tenantKey(method, `${method.customerId}#${method.paymentMethodId}`);
    const stored = this.methods.get(key) ?? method;
    this.methods.set(key, stored);
    return stored;
  }

  async paymentMethod(tenant: Tenant, customerId: string, paymentMethodId: string) {
    return this.methods.get(tenantKey(tenant, `${customerId}#${paymentMethodId}`));
  }

  async paymentMethods(tenant: Tenant, customerId: string, query: PageQuery) {
    const mine = [...this.methods.values()]
      .filter((m) => tenantKey(m, m.customerId) === tenantKey(tenant, customerId))
      .reverse();
    return page(mine, query, (m) => m.paymentMethodId);
  }

  async detach(tenant: Tenant, customerId: string, paymentMethodId: string): Promise<void> {
    if (!this.methods.delete(tenantKey(tenant, `${customerId}#${paymentMethodId}`))) {
      throw new NotFoundError('Payment method');
    }
    const customer = await this.get(tenant, customerId);
    if (customer?.defaultPaymentMethod === paymentMethodId) {
      const { defaultPaymentMethod: _cleared, ...rest } = customer;
      this.customers.set(tenantKey(tenant, customerId), rest);
    }
  }
}

/** The processor's side: customers by id, cards by id with their owner; test tokens make a new card. */
export class FakeProviderCustomers implements ProviderCustomers {
  readonly created: Parameters<ProviderCustomers['createCustomer']>[0][] = [];
  readonly owners = new Map<string, string | undefined>();
  readonly calls: string[] = [];
  #cards = 0;

  async createCustomer(input: Parameters<ProviderCustomers['createCustomer']>[0]): Promise<string> {
    this.created.push(input);
    this.calls.push('createCustomer');
    return `cus_provider${this.created.length}`;
  }

  async attachCard(input: Parameters<ProviderCustomers['attachCard']>[0]): Promise<ProviderCard> {
    this.calls.push('attachCard');
    let id = input.paymentMethodId;
    if (id.startsWith('pm_card_')) {
      this.#cards += 1;
      id = `pm_made${this.#cards}`;
    } else if (!this.owners.has(id)) {
      throw new UnknownPaymentMethodError();
    }
    const owner = this.owners.get(id);
    if (owner !== undefined && owner !== input.customerId) throw new UnknownPaymentMethodError();
    this.owners.set(id, input.customerId);
    return { id, brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030, customerId: input.customerId };
  }

  readonly deleted: string[] = [];

  async deleteCustomer(input: Parameters<ProviderCustomers['deleteCustomer']>[0]): Promise<void> {
    this.calls.push('deleteCustomer');
    if (!this.deleted.includes(input.customerId)) this.deleted.push(input.customerId);
  }

  async detachCard(input: Parameters<ProviderCustomers['detachCard']>[0]): Promise<void> {
    this.calls.push('detachCard');
    if (this.owners.get(input.paymentMethodId) === input.customerId) {
      this.owners.set(input.paymentMethodId, undefined);
    }
  }
}
