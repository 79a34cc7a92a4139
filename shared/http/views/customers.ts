import type { Customer, CustomerPaymentMethod } from '../../domain/customer.js';
import type { Mode } from '../../domain/merchant.js';

/** ISO time → Stripe's `created`, epoch seconds. */
function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/** A customer as API.md shapes it (Stripe's conventions); the processor's customer id stays inside. */
export function customerView(customer: Customer) {
  return {
    id: customer.customerId,
    object: 'customer' as const,
    email: customer.email ?? null,
    name: customer.name ?? null,
    phone: customer.phone ?? null,
    metadata: { ...customer.metadata },
    default_payment_method: customer.defaultPaymentMethod ?? null,
    livemode: customer.mode === 'live',
    created: epochSeconds(customer.createdAt),
  };
}

export function deletedCustomerView(deleted: { customerId: string; mode: Mode }) {
  return { id: deleted.customerId, object: 'customer' as const, deleted: true as const };
}

/** An attached card; `detached` shows it as a detach answers it, with no customer any more. */
export function paymentMethodView(method: CustomerPaymentMethod, detached = false) {
  return {
    id: method.paymentMethodId,
    object: 'payment_method' as const,
    type: 'card' as const,
    card: {
      brand: method.card.brand,
      last4: method.card.last4,
      exp_month: method.card.expMonth,
      exp_year: method.card.expYear,
    },
    customer: detached ? null : method.customerId,
    livemode: method.mode === 'live',
    created: epochSeconds(method.attachedAt),
  };
}
