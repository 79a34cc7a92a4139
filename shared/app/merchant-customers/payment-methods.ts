/**
 * The cards attached to a merchant's customer (API.md "The merchant API": Payment methods): attached at the
 * processor to the customer behind ours (which is how a card comes to pay for one customer only), listed,
 * and detached.
 */
import type { CustomerPaymentMethod } from '../../domain/customer.js';
import { NotFoundError } from '../../domain/errors.js';
import { assertScope, type MerchantCaller } from '../../domain/merchant.js';
import { UnknownPaymentMethodError } from '../../domain/provider-errors.js';
import type { CursorCodec } from '../cursor.js';
import { type CustomerDeps, existingCustomer, tenantOf } from './customers.js';

export interface PaymentMethodPage {
  paymentMethods: CustomerPaymentMethod[];
  nextCursor: string | null;
}

/**
 * 1. The key needs `customers:write`; the customer must be the caller's.
 * 2. Attach the card at the processor to the customer behind ours. A test token (`pm_card_visa`) attaches a
 *    new card made from it; a card attached to any other customer (this merchant's or anyone's) is refused
 *    by the processor, and the answer is the one an unknown card gets (400): nothing says whose it is.
 *    With an Idempotency-Key a retry attaches the same card, not a second one.
 * 3. Keep the card under the customer (attaching the same card again changes nothing).
 */
export async function attachPaymentMethod(
  caller: MerchantCaller,
  customerId: string,
  paymentMethodId: string,
  idempotencyKey: string,
  deps: Pick<CustomerDeps, 'customers' | 'providerCustomers' | 'clock'>,
): Promise<CustomerPaymentMethod> {
  assertScope(caller, 'customers:write');
  const customer = await existingCustomer(caller, customerId, deps);
  const provider = await deps.providerCustomers(caller.mode);
  const card = await provider.attachCard({
    paymentMethodId,
    customerId: customer.providerCustomerId,
    ...(idempotencyKey === ''
      ? {}
      : { idempotencyKey: `merchant-customer:${customerId}:attach:${idempotencyKey}` }),
  });
  // The processor refuses another customer's card; should it ever answer otherwise, it is still not theirs.
  if (card.customerId !== customer.providerCustomerId) throw new UnknownPaymentMethodError();
  return deps.customers.attach({
    ...tenantOf(caller),
    paymentMethodId: card.id,
    customerId,
    card: { brand: card.brand, last4: card.last4, expMonth: card.expMonth, expYear: card.expYear },
    attachedAt: deps.clock.now().toISOString(),
  });
}

/** One page of the customer's cards, newest first (`customers:read`); the cursor is bound to the customer. */
export async function listPaymentMethods(
  caller: MerchantCaller,
  customerId: string,
  query: { limit: number; cursor?: string | undefined },
  deps: Pick<CustomerDeps, 'customers'> & { cursors: CursorCodec },
): Promise<PaymentMethodPage> {
  assertScope(caller, 'customers:read');
  // A cursor we did not issue for this list is the caller's mistake (400) whether or not the customer exists.
  const list = `payment_methods:${caller.merchantId}:${caller.mode}:${customerId}`;
  const after = query.cursor === undefined ? undefined : deps.cursors.decode(list, query.cursor);
  await existingCustomer(caller, customerId, deps);
  const page = await deps.customers.paymentMethods(tenantOf(caller), customerId, {
    limit: query.limit,
    ...(after === undefined ? {} : { after }),
  });
  return {
    paymentMethods: page.items,
    nextCursor: page.after === undefined ? null : deps.cursors.encode(list, page.after),
  };
}

/**
 * 1. The key needs `customers:write`; the card must be attached to the caller's customer (else NOT_FOUND).
 * 2. Detach it at the processor first (a retry finds it detached there and goes on), then forget it here,
 *    with the customer's default when it was this card, in one write.
 */
export async function detachPaymentMethod(
  caller: MerchantCaller,
  customerId: string,
  paymentMethodId: string,
  deps: Pick<CustomerDeps, 'customers' | 'providerCustomers'>,
): Promise<CustomerPaymentMethod> {
  assertScope(caller, 'customers:write');
  const customer = await existingCustomer(caller, customerId, deps);
  const method = await deps.customers.paymentMethod(tenantOf(caller), customerId, paymentMethodId);
  if (method === undefined) throw new NotFoundError('Payment method');
  const provider = await deps.providerCustomers(caller.mode);
  await provider.detachCard({ paymentMethodId, customerId: customer.providerCustomerId });
  await deps.customers.detach(tenantOf(caller), customerId, paymentMethodId);
  return method;
}
