import type { OperationDoc } from '../operations.js';
import {
  CancelPaymentIntentRequest,
  CapturePaymentIntentRequest,
  ConfirmPaymentIntentRequest,
  CreatePaymentIntentRequest,
  ListPaymentIntentsQuery,
  PaymentIntentIdParams,
  PaymentIntentList,
  PaymentIntentResponse,
} from '../schemas/payment-intents.js';

const notFound = {
  404: {
    description: "NOT_FOUND: no such PaymentIntent of this merchant and mode (another's id answers the same)",
  },
};
const stateConflict = { 409: { description: 'INVALID_STATE_TRANSITION: not allowed in its status' } };

/** The merchant API's PaymentIntents. */
export const paymentIntentOperations: Readonly<Record<string, OperationDoc>> = {
  'POST /v1/payment_intents': {
    operationId: 'createPaymentIntent',
    request: { body: CreatePaymentIntentRequest },
    responses: {
      201: {
        description:
          'The PaymentIntent: requires_payment_method or requires_confirmation, or where its confirmation (`confirm: true`) left it',
        schema: PaymentIntentResponse,
      },
      402: {
        description: 'PAYMENT_DECLINED: the card was declined (the intent needs another payment method)',
      },
    },
    errors: {
      VALIDATION_ERROR:
        'an unknown customer, or splits that do not pay other active merchants less than the amount',
      PROCESSOR_ERROR: 'the processor did not answer; retry with the same key',
    },
  },
  'GET /v1/payment_intents': {
    operationId: 'listPaymentIntents',
    request: { query: ListPaymentIntentsQuery },
    responses: { 200: { description: 'One page, newest first', schema: PaymentIntentList } },
  },
  'GET /v1/payment_intents/{intentId}': {
    operationId: 'getPaymentIntent',
    request: { params: PaymentIntentIdParams },
    responses: { 200: { description: 'The PaymentIntent', schema: PaymentIntentResponse }, ...notFound },
  },
  'POST /v1/payment_intents/{intentId}/confirm': {
    operationId: 'confirmPaymentIntent',
    request: { params: PaymentIntentIdParams, body: ConfirmPaymentIntentRequest },
    responses: {
      200: {
        description:
          'Succeeded, requires_capture (manual capture), requires_action (3-D Secure: `next_action`)',
        schema: PaymentIntentResponse,
      },
      402: { description: 'PAYMENT_DECLINED: the card was declined; the intent shows `last_payment_error`' },
      ...notFound,
      ...stateConflict,
    },
    errors: {
      EXPIRED_CARD: 'the card has expired',
      PROCESSOR_ERROR: 'the processor did not answer; retry with the same key',
    },
  },
  'POST /v1/payment_intents/{intentId}/capture': {
    operationId: 'capturePaymentIntent',
    request: { params: PaymentIntentIdParams, body: CapturePaymentIntentRequest },
    responses: {
      200: {
        description: 'Succeeded, with what was captured (the rest released)',
        schema: PaymentIntentResponse,
      },
      ...notFound,
      ...stateConflict,
    },
    errors: { PROCESSOR_ERROR: 'the processor did not answer; retry with the same key' },
  },
  'POST /v1/payment_intents/{intentId}/cancel': {
    operationId: 'cancelPaymentIntent',
    request: { params: PaymentIntentIdParams, body: CancelPaymentIntentRequest },
    responses: {
      200: { description: 'Canceled (an authorization released)', schema: PaymentIntentResponse },
      ...notFound,
      ...stateConflict,
    },
    errors: { PROCESSOR_ERROR: 'the processor did not answer; retry' },
  },
};
