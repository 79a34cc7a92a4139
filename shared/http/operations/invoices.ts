import type { OperationDoc } from '../operations.js';
import {
  CreateInvoiceRequest,
  InvoiceActionRequest,
  InvoiceIdParams,
  InvoiceList,
  InvoiceResponse,
  ListInvoicesQuery,
  PayInvoiceRequest,
  UpdateInvoiceRequest,
} from '../schemas/invoices.js';

const notFound = {
  description: "NOT_FOUND: no such invoice of this merchant and mode (another's id answers the same)",
};
const transition = (from: string) => ({
  description: `INVALID_STATE_TRANSITION: the invoice is not ${from}`,
});

/** The merchant API's invoices. */
export const invoiceOperations: Readonly<Record<string, OperationDoc>> = {
  'POST /v1/invoices': {
    operationId: 'createInvoice',
    request: { body: CreateInvoiceRequest },
    responses: {
      201: { description: 'The draft invoice', schema: InvoiceResponse },
      400: {
        description:
          'VALIDATION_ERROR: no such customer or price, or items in more than one currency; INVALID_AMOUNT; UNSUPPORTED_CURRENCY',
      },
    },
  },
  'GET /v1/invoices': {
    operationId: 'listInvoices',
    request: { query: ListInvoicesQuery },
    responses: { 200: { description: 'One page, newest first', schema: InvoiceList } },
  },
  'GET /v1/invoices/{invoiceId}': {
    operationId: 'getInvoice',
    request: { params: InvoiceIdParams },
    responses: { 200: { description: 'The invoice', schema: InvoiceResponse }, 404: notFound },
  },
  'POST /v1/invoices/{invoiceId}': {
    operationId: 'updateInvoice',
    request: { params: InvoiceIdParams, body: UpdateInvoiceRequest },
    responses: {
      200: { description: 'The draft, its lines and totals as edited', schema: InvoiceResponse },
      400: {
        description:
          'VALIDATION_ERROR: no such price, or an item in another currency than the invoice; INVALID_AMOUNT',
      },
      404: notFound,
      409: transition('a draft (finalized, paid, void or uncollectible: it can no longer be edited)'),
    },
    errors: { INVALID_STATE_TRANSITION: 'the invoice is not a draft' },
  },
  'POST /v1/invoices/{invoiceId}/finalize': {
    operationId: 'finalizeInvoice',
    request: { params: InvoiceIdParams, body: InvoiceActionRequest },
    responses: {
      200: { description: 'The invoice, open and numbered', schema: InvoiceResponse },
      404: notFound,
      409: transition('a draft'),
    },
    errors: { INVALID_STATE_TRANSITION: 'the invoice is not a draft' },
  },
  'POST /v1/invoices/{invoiceId}/pay': {
    operationId: 'payInvoice',
    request: { params: InvoiceIdParams, body: PayInvoiceRequest },
    responses: {
      200: {
        description:
          'The invoice: paid, or still open while its PaymentIntent waits for 3-D Secure (`payment_intent`)',
        schema: InvoiceResponse,
      },
      400: { description: 'VALIDATION_ERROR: no payment method given and the customer has no default' },
      402: {
        description:
          'PAYMENT_DECLINED: the card was declined; the invoice stays open with last_payment_error',
      },
      404: notFound,
      409: transition('open (a draft, paid or void one)'),
    },
    errors: {
      PAYMENT_DECLINED: 'the card was declined',
      EXPIRED_CARD: 'the card has expired',
      INVALID_STATE_TRANSITION: 'the invoice is not open',
      PROCESSOR_ERROR: 'the card processor failed',
    },
  },
  'POST /v1/invoices/{invoiceId}/void': {
    operationId: 'voidInvoice',
    request: { params: InvoiceIdParams, body: InvoiceActionRequest },
    responses: {
      200: { description: 'The invoice, void', schema: InvoiceResponse },
      404: notFound,
      409: transition('open'),
    },
    errors: { INVALID_STATE_TRANSITION: 'the invoice is not open' },
  },
  'POST /v1/invoices/{invoiceId}/mark_uncollectible': {
    operationId: 'markInvoiceUncollectible',
    request: { params: InvoiceIdParams, body: InvoiceActionRequest },
    responses: {
      200: { description: 'The invoice, uncollectible', schema: InvoiceResponse },
      404: notFound,
      409: transition('open'),
    },
    errors: { INVALID_STATE_TRANSITION: 'the invoice is not open' },
  },
};
