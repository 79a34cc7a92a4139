import * as z from 'zod/mini';
import type { Customer, CustomerPaymentMethod } from '../../../domain/customer.js';
import { MODES } from '../../../domain/merchant.js';
import { defineEntity } from '../entity.js';
import {
  customerPaymentMethodIndexKey,
  customerPaymentMethodKey,
  merchantCustomerEmailKey,
  merchantCustomerIndexKey,
  merchantCustomerKey,
} from '../keys.js';
import type { SameType } from './exact.js';

const customerSchema = z.object({
  merchantId: z.string(),
  mode: z.enum(MODES),
  customerId: z.string(),
  email: z.exactOptional(z.string()),
  name: z.exactOptional(z.string()),
  phone: z.exactOptional(z.string()),
  metadata: z.record(z.string(), z.string()),
  defaultPaymentMethod: z.exactOptional(z.string()),
  providerCustomerId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

true satisfies SameType<z.output<typeof customerSchema>, Customer>;

/** A merchant's customer: `<tenant>` / `CUSTOMER#<id>`, listed newest first on GSI1. */
export const MerchantCustomerEntity = defineEntity<Customer>({
  type: 'MerchantCustomer',
  schema: customerSchema satisfies z.ZodMiniType<Customer>,
  key: (c) => merchantCustomerKey(c.merchantId, c.mode, c.customerId),
  indexes: (c) => merchantCustomerIndexKey(c.merchantId, c.mode, c.createdAt, c.customerId),
});

/**
 * The same customer under its email (only a customer with one): `<tenant>` / `CUSTOMEREMAIL#<email>#…`,
 * rewritten with the customer in every write, so a list by email is one Query of whole customers.
 */
export const MerchantCustomerByEmailEntity = defineEntity<Customer & { email: string }>({
  type: 'MerchantCustomerByEmail',
  schema: z.object({ ...customerSchema.shape, email: z.string() }),
  key: (c) => merchantCustomerEmailKey(c.merchantId, c.mode, c.email, c.createdAt, c.customerId),
});

const paymentMethodSchema = z.object({
  merchantId: z.string(),
  mode: z.enum(MODES),
  paymentMethodId: z.string(),
  customerId: z.string(),
  card: z.object({ brand: z.string(), last4: z.string(), expMonth: z.number(), expYear: z.number() }),
  attachedAt: z.string(),
});

true satisfies SameType<z.output<typeof paymentMethodSchema>, CustomerPaymentMethod>;

/** A card attached to a customer: `<tenant>` / `CUSTOMER#<id>#PM#<pm>`, listed newest first on GSI1. */
export const CustomerPaymentMethodEntity = defineEntity<CustomerPaymentMethod>({
  type: 'CustomerPaymentMethod',
  schema: paymentMethodSchema satisfies z.ZodMiniType<CustomerPaymentMethod>,
  key: (m) => customerPaymentMethodKey(m.merchantId, m.mode, m.customerId, m.paymentMethodId),
  indexes: (m) =>
    customerPaymentMethodIndexKey(m.merchantId, m.mode, m.customerId, m.attachedAt, m.paymentMethodId),
});
