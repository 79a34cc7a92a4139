import type { OperationDoc } from '../operations.js';
import {
  AttachPaymentMethodRequest,
  CreateCustomerRequest,
  CustomerIdParams,
  CustomerList,
  CustomerPaymentMethodParams,
  CustomerResponse,
  DeletedCustomerResponse,
  ListCustomersQuery,
  ListQuery,
  PaymentMethodList,
  PaymentMethodResponse,
  UpdateCustomerRequest,
} from '../schemas/customers.js';

/** Every route here is the merchant API's: a secret key with a scope, inside the key's merchant and mode. */
const KEY = {
  INVALID_API_KEY: 'no valid secret key (`Authorization: Bearer sk_test_…` or `sk_live_…`)',
  INSUFFICIENT_SCOPE: 'the key lacks the scope this operation needs',
} as const;

const NOT_FOUND = { ...KEY, NOT_FOUND: "no such customer of this key's merchant and mode" } as const;

/** The processor is called on every change of payment methods and on creation. */
const PROCESSOR = {
  PROCESSOR_ERROR: 'the card processor did not answer; retry (with the same key)',
} as const;

export const customerOperations: Readonly<Record<string, OperationDoc>> = {
  'POST /v1/customers': {
    operationId: 'createCustomer',
    description: 'Needs the `customers:write` scope. Announced as a `customer.created` event.',
    request: { body: CreateCustomerRequest },
    responses: { 201: { description: 'The customer', schema: CustomerResponse } },
    errors: { ...KEY, ...PROCESSOR },
  },
  'GET /v1/customers': {
    operationId: 'listCustomers',
    description: 'Needs the `customers:read` scope. `email` matches exactly, as Stripe matches it.',
    request: { query: ListCustomersQuery },
    responses: { 200: { description: 'One page of customers, newest first', schema: CustomerList } },
    errors: { ...KEY, VALIDATION_ERROR: 'a cursor that was not issued for this list' },
  },
  'GET /v1/customers/{customerId}': {
    operationId: 'getCustomer',
    description: 'Needs the `customers:read` scope.',
    request: { params: CustomerIdParams },
    responses: { 200: { description: 'The customer', schema: CustomerResponse } },
    errors: NOT_FOUND,
  },
  'POST /v1/customers/{customerId}': {
    operationId: 'updateCustomer',
    description:
      'Needs the `customers:write` scope. Fields left out stay as they are; `null` removes one; metadata is merged key by key.',
    request: { params: CustomerIdParams, body: UpdateCustomerRequest },
    responses: {
      200: { description: 'The customer as updated', schema: CustomerResponse },
      400: {
        description: 'VALIDATION_ERROR: also a default_payment_method not attached to this customer',
      },
    },
    errors: NOT_FOUND,
  },
  'DELETE /v1/customers/{customerId}': {
    operationId: 'deleteCustomer',
    description: 'Needs the `customers:write` scope. Later reads of the customer are 404.',
    request: { params: CustomerIdParams },
    responses: { 200: { description: 'The customer is deleted', schema: DeletedCustomerResponse } },
    errors: NOT_FOUND,
  },
  'POST /v1/customers/{customerId}/payment_methods': {
    operationId: 'attachCustomerPaymentMethod',
    description:
      "Needs the `customers:write` scope. Attached at the card processor to the customer's own customer there; a test token such as `pm_card_visa` attaches a new payment method made from it (its `id` is the one to use).",
    request: { params: CustomerIdParams, body: AttachPaymentMethodRequest },
    responses: {
      200: { description: 'The payment method, attached', schema: PaymentMethodResponse },
      400: {
        description:
          'VALIDATION_ERROR: also a payment method that does not exist or is attached to another customer',
      },
    },
    errors: { ...NOT_FOUND, ...PROCESSOR },
  },
  'GET /v1/customers/{customerId}/payment_methods': {
    operationId: 'listCustomerPaymentMethods',
    description: 'Needs the `customers:read` scope.',
    request: { params: CustomerIdParams, query: ListQuery },
    responses: {
      200: { description: 'One page of payment methods, newest first', schema: PaymentMethodList },
    },
    errors: { ...NOT_FOUND, VALIDATION_ERROR: 'a cursor that was not issued for this list' },
  },
  'DELETE /v1/customers/{customerId}/payment_methods/{paymentMethodId}': {
    operationId: 'detachCustomerPaymentMethod',
    description:
      "Needs the `customers:write` scope. Detached at the card processor too; if it was the customer's default, the customer has none after.",
    request: { params: CustomerPaymentMethodParams },
    responses: {
      200: { description: 'The payment method, detached (`customer: null`)', schema: PaymentMethodResponse },
    },
    errors: {
      ...KEY,
      NOT_FOUND: 'no such customer, or the payment method is not attached to it',
      ...PROCESSOR,
    },
  },
};
