import * as z from 'zod/mini';
import { METADATA_LIMITS } from '../../domain/customer.js';
import { e164Phone } from './common.js';
import { listOf } from './list.js';

const int = () => z.number().check(z.int());

export const CustomerIdParams = z.object({
  customerId: z.string().check(z.regex(/^cus_[A-Za-z0-9]{1,64}$/, 'unknown customer id')),
});

const paymentMethodId = () =>
  z
    .string()
    .check(z.regex(/^pm_[A-Za-z0-9_]{1,128}$/, 'must be a payment method id (pm_…)'))
    .register(z.globalRegistry, { example: 'pm_card_visa' });

export const CustomerPaymentMethodParams = z.object({
  customerId: CustomerIdParams.shape.customerId,
  paymentMethodId: z.string().check(z.regex(/^pm_[A-Za-z0-9_]{1,128}$/, 'unknown payment method id')),
});

export const metadata = () =>
  z
    .record(
      z.string().check(z.minLength(1), z.maxLength(METADATA_LIMITS.keyLength)),
      z.string().check(z.maxLength(METADATA_LIMITS.valueLength)),
    )
    .check(
      z.refine((value) => Object.keys(value).length <= METADATA_LIMITS.keys, {
        message: `at most ${METADATA_LIMITS.keys} keys`,
      }),
    )
    .register(z.globalRegistry, {
      description: `Up to ${METADATA_LIMITS.keys} keys of at most ${METADATA_LIMITS.keyLength} characters, values of at most ${METADATA_LIMITS.valueLength} (as Stripe's); on update a key set to "" is removed`,
      maxProperties: METADATA_LIMITS.keys,
    });

const email = () => z.email().check(z.maxLength(512));
const name = () => z.string().check(z.minLength(1), z.maxLength(256));

export const CreateCustomerRequest = z
  .strictObject({
    email: z.optional(email()),
    name: z.optional(name()),
    phone: z.optional(e164Phone()),
    metadata: z.optional(metadata()),
  })
  .register(z.globalRegistry, { id: 'CreateCustomerRequest' });

export const UpdateCustomerRequest = z
  .strictObject({
    email: z.optional(z.nullable(z.union([email(), z.literal('')]))),
    name: z.optional(z.nullable(z.union([name(), z.literal('')]))),
    phone: z.optional(z.nullable(z.union([e164Phone(), z.literal('')]))),
    metadata: z.optional(metadata()),
    default_payment_method: z.optional(z.nullable(paymentMethodId())).register(z.globalRegistry, {
      description: 'A payment method attached to this customer (else 400); null removes the default',
    }),
  })
  .register(z.globalRegistry, { id: 'UpdateCustomerRequest' });

export const ListCustomersQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 10),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
  email: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
});

export const ListQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 10),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
});

export const AttachPaymentMethodRequest = z
  .strictObject({ payment_method: paymentMethodId() })
  .register(z.globalRegistry, { id: 'AttachPaymentMethodRequest' });

export const CustomerResponse = z
  .object({
    id: z.string(),
    object: z.literal('customer'),
    email: z.nullable(z.string()),
    name: z.nullable(z.string()),
    phone: z.nullable(z.string()),
    metadata: z.record(z.string(), z.string()),
    default_payment_method: z.nullable(z.string()),
    livemode: z.boolean(),
    created: int().register(z.globalRegistry, { description: 'Epoch seconds' }),
  })
  .register(z.globalRegistry, { id: 'Customer' });

export const DeletedCustomerResponse = z
  .object({ id: z.string(), object: z.literal('customer'), deleted: z.literal(true) })
  .register(z.globalRegistry, { id: 'DeletedCustomer' });

export const PaymentMethodResponse = z
  .object({
    id: z.string(),
    object: z.literal('payment_method'),
    type: z.literal('card'),
    card: z.object({ brand: z.string(), last4: z.string(), exp_month: int(), exp_year: int() }),
    customer: z.nullable(z.string()).register(z.globalRegistry, { description: 'null once detached' }),
    livemode: z.boolean(),
    created: int().register(z.globalRegistry, { description: 'Epoch seconds: when it was attached' }),
  })
  .register(z.globalRegistry, { id: 'PaymentMethod' });

export const CustomerList = listOf(CustomerResponse, 'CustomerList');
export const PaymentMethodList = listOf(PaymentMethodResponse, 'PaymentMethodList');
