/**
 * A merchant's customers and the cards attached to them (API.md "The merchant API": Customers, Payment
 * methods). Each belongs to one merchant and one mode; behind each customer is a customer at the card
 * processor (Stripe), whose id stays inside: it is never shown and never reached from another tenant.
 */
import { DomainError, ValidationError } from './errors.js';
import type { Mode } from './merchant.js';

/** Whose objects: one merchant in one mode (test and live are separate tenants). */
export interface Tenant {
  merchantId: string;
  mode: Mode;
}

export interface Customer extends Tenant {
  customerId: string;
  email?: string;
  name?: string;
  /** E.164 (`+15555550123`), for the SMS of a failed payment. Personal data: never logged. */
  phone?: string;
  metadata: Readonly<Record<string, string>>;
  /** A payment method attached to this customer (CustomerPaymentMethod), charged by default. */
  defaultPaymentMethod?: string;
  /** The customer at the processor (Stripe `cus_…`) cards are attached to: internal, never shown. */
  providerCustomerId: string;
  createdAt: string;
  updatedAt: string;
}

/** A card attached to a customer (the only type of payment method so far), as the processor described it. */
export interface CustomerPaymentMethod extends Tenant {
  paymentMethodId: string;
  customerId: string;
  card: { brand: string; last4: string; expMonth: number; expYear: number };
  attachedAt: string;
}

/**
 * What an update asks for, as Stripe reads it: a field left out stays as it is; `null` (or `''` for the
 * texts) removes it; metadata is merged key by key and a key set to `''` is removed.
 */
export interface CustomerChanges {
  email?: string | null | undefined;
  name?: string | null | undefined;
  phone?: string | null | undefined;
  metadata?: Readonly<Record<string, string>> | undefined;
  defaultPaymentMethod?: string | null | undefined;
}

/** Stripe's metadata limits: 50 keys, keys up to 40 characters, values up to 500. */
export const METADATA_LIMITS = { keys: 50, keyLength: 40, valueLength: 500 } as const;

/** The customer after `changes`, at `at`. Metadata beyond Stripe's 50 keys is refused (400). */
export function applyCustomerChanges(customer: Customer, changes: CustomerChanges, at: string): Customer {
  const { email, name, phone, defaultPaymentMethod, ...rest } = customer;
  const next: Customer = { ...rest, updatedAt: at };
  const nextEmail = changes.email === undefined ? email : changes.email || undefined;
  const nextName = changes.name === undefined ? name : changes.name || undefined;
  const nextPhone = changes.phone === undefined ? phone : changes.phone || undefined;
  const nextDefault =
    changes.defaultPaymentMethod === undefined
      ? defaultPaymentMethod
      : changes.defaultPaymentMethod || undefined;
  if (nextEmail !== undefined) next.email = nextEmail;
  if (nextName !== undefined) next.name = nextName;
  if (nextPhone !== undefined) next.phone = nextPhone;
  if (nextDefault !== undefined) next.defaultPaymentMethod = nextDefault;
  if (changes.metadata !== undefined) next.metadata = mergeMetadata(customer.metadata, changes.metadata);
  return next;
}

export function mergeMetadata(
  current: Readonly<Record<string, string>>,
  changes: Readonly<Record<string, string>>,
): Record<string, string> {
  const merged: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value === '') delete merged[key];
    else merged[key] = value;
  }
  if (Object.keys(merged).length > METADATA_LIMITS.keys) {
    throw new ValidationError(`A customer holds at most ${METADATA_LIMITS.keys} metadata keys`, {
      issues: [{ path: 'metadata', message: `At most ${METADATA_LIMITS.keys} keys` }],
    });
  }
  return merged;
}

/** A default payment method that is not one of the customer's own cards (400, as Stripe answers). */
export class PaymentMethodNotAttachedError extends DomainError {
  override readonly name = 'PaymentMethodNotAttachedError';
  constructor() {
    super('VALIDATION_ERROR', 'The payment method is not attached to this customer', {
      issues: [{ path: 'default_payment_method', message: 'must be attached to this customer' }],
    });
  }
}
