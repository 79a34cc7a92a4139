/**
 * A merchant's customers (API.md "The merchant API": Customers), each with a customer at the processor
 * behind it. The caller is the merchant whose key called: every read and write is inside its tenant
 * (merchant and mode), so another merchant's customer, or the other mode's, is not found.
 */
import {
  applyCustomerChanges,
  type Customer,
  type CustomerChanges,
  type Tenant,
} from '../../domain/customer.js';
import { NotFoundError } from '../../domain/errors.js';
import { domainEventId } from '../../domain/events.js';
import { assertScope, type MerchantCaller, type Mode } from '../../domain/merchant.js';
import type { CursorCodec } from '../cursor.js';
import type { Clock, Ids } from '../ports.js';
import type { CustomerStore, ProviderCustomers } from './ports.js';

export interface CustomerDeps {
  customers: CustomerStore;
  /** The processor's customers for a mode: test-mode objects at Stripe's test side, live ones at its live side. */
  providerCustomers: (mode: Mode) => Promise<ProviderCustomers>;
  ids: Ids;
  clock: Clock;
  /** The customer as the merchant API shows it: its `customer.created` event carries it for webhooks. */
  objectView?: (customer: Customer) => Record<string, unknown>;
}

export interface NewCustomer {
  email?: string | undefined;
  name?: string | undefined;
  phone?: string | undefined;
  metadata?: Readonly<Record<string, string>> | undefined;
}

export interface CustomerPage {
  customers: Customer[];
  nextCursor: string | null;
}

export function tenantOf(caller: MerchantCaller): Tenant {
  return { merchantId: caller.merchantId, mode: caller.mode };
}

/**
 * 1. The key needs `customers:write`.
 * 2. The customer's id comes from the Idempotency-Key when there is one, so a retry after a failure finds
 *    the customer (and the processor's customer) of its first attempt instead of making a second.
 * 3. The customer at the processor first (its idempotency key derived from our id), then ours with its
 *    `customer.created` event in one write; a customer already stored under the id is returned as it is.
 */
export async function createCustomer(
  caller: MerchantCaller,
  input: NewCustomer,
  idempotencyKey: string,
  deps: CustomerDeps,
): Promise<Customer> {
  assertScope(caller, 'customers:write');
  const tenant = tenantOf(caller);
  const customerId =
    idempotencyKey === ''
      ? deps.ids.next('cus_')
      : deps.ids.derive('cus_', caller.merchantId, caller.mode, idempotencyKey);
  const existing = await deps.customers.get(tenant, customerId);
  if (existing !== undefined) return existing;
  const provider = await deps.providerCustomers(caller.mode);
  const providerCustomerId = await provider.createCustomer({
    idempotencyKey: `merchant-customer:${customerId}`,
    ...(input.email === undefined ? {} : { email: input.email }),
    ...(input.name === undefined ? {} : { name: input.name }),
    metadata: { merchant_id: caller.merchantId, customer_id: customerId },
  });
  const at = deps.clock.now().toISOString();
  const customer: Customer = {
    ...tenant,
    customerId,
    ...(input.email === undefined ? {} : { email: input.email }),
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(input.phone === undefined ? {} : { phone: input.phone }),
    metadata: { ...input.metadata },
    providerCustomerId,
    createdAt: at,
    updatedAt: at,
  };
  return deps.customers.create(customer, {
    detailType: 'customer.created',
    detail: {
      eventId: domainEventId('customer.created', customerId),
      occurredAt: at,
      merchantId: caller.merchantId,
      mode: caller.mode,
      customerId,
      email: customer.email ?? null,
      name: customer.name ?? null,
      metadata: { ...customer.metadata },
      createdAt: at,
      ...(deps.objectView === undefined ? {} : { object: deps.objectView(customer) }),
    },
  });
}

/** The customer, with `customers:read`; NOT_FOUND outside the caller's tenant. */
export async function getCustomer(
  caller: MerchantCaller,
  customerId: string,
  deps: Pick<CustomerDeps, 'customers'>,
): Promise<Customer> {
  assertScope(caller, 'customers:read');
  return existingCustomer(caller, customerId, deps);
}

/**
 * 1. The key needs `customers:write`.
 * 2. The changes are applied to the customer as stored (domain/customer.ts), written on the condition that
 *    it did not change meanwhile; a default payment method must be attached to this customer (400).
 */
export async function updateCustomer(
  caller: MerchantCaller,
  customerId: string,
  changes: CustomerChanges,
  deps: Pick<CustomerDeps, 'customers' | 'clock'>,
): Promise<Customer> {
  assertScope(caller, 'customers:write');
  const at = deps.clock.now().toISOString();
  return deps.customers.update(tenantOf(caller), customerId, (current) =>
    applyCustomerChanges(current, changes, at),
  );
}

/**
 * Deletes the customer with its cards (`customers:write`); later reads are NOT_FOUND. The processor's customer
 * first (its cards there with it; a retry finds it deleted there and goes on), then ours.
 */
export async function deleteCustomer(
  caller: MerchantCaller,
  customerId: string,
  deps: Pick<CustomerDeps, 'customers' | 'providerCustomers'>,
): Promise<{ customerId: string; mode: Mode }> {
  assertScope(caller, 'customers:write');
  const customer = await existingCustomer(caller, customerId, deps);
  const provider = await deps.providerCustomers(caller.mode);
  await provider.deleteCustomer({ customerId: customer.providerCustomerId });
  if (!(await deps.customers.delete(tenantOf(caller), customerId))) throw new NotFoundError('Customer');
  return { customerId, mode: caller.mode };
}

/**
 * 1. The key needs `customers:read`.
 * 2. One page of the tenant's customers, newest first, only those with `email` when given; the cursor is
 *    signed and bound to this tenant and filter, so a cursor of another list is refused (400).
 */
export async function listCustomers(
  caller: MerchantCaller,
  query: { limit: number; cursor?: string | undefined; email?: string | undefined },
  deps: Pick<CustomerDeps, 'customers'> & { cursors: CursorCodec },
): Promise<CustomerPage> {
  assertScope(caller, 'customers:read');
  const list = `customers:${caller.merchantId}:${caller.mode}:${query.email ?? ''}`;
  const after = query.cursor === undefined ? undefined : deps.cursors.decode(list, query.cursor);
  const page = await deps.customers.list(tenantOf(caller), {
    limit: query.limit,
    ...(after === undefined ? {} : { after }),
    ...(query.email === undefined ? {} : { email: query.email }),
  });
  return {
    customers: page.items,
    nextCursor: page.after === undefined ? null : deps.cursors.encode(list, page.after),
  };
}

export async function existingCustomer(
  caller: MerchantCaller,
  customerId: string,
  deps: Pick<CustomerDeps, 'customers'>,
): Promise<Customer> {
  const customer = await deps.customers.get(tenantOf(caller), customerId);
  if (customer === undefined) throw new NotFoundError('Customer');
  return customer;
}
