import type { OperationDoc } from '../operations.js';
import { PaymentIdParams, PaymentRequest, PaymentResponse, RefundRequest } from '../schemas/payments.js';

const paymentErrors = {
  404: { description: "NOT_FOUND: no such payment of the caller (another user's id answers the same)" },
  409: { description: 'INVALID_STATE_TRANSITION' },
};

/** The payment routes (request, get, authorize, cancel, refund). */
export const paymentOperations: Readonly<Record<string, OperationDoc>> = {
  'POST /api/v1/payments/request': {
    operationId: 'requestPayment',
    request: { body: PaymentRequest },
    responses: {
      201: {
        description:
          'The payment: MFA_Required (with `mfa`) above the threshold, otherwise on its way to Completed',
        schema: PaymentResponse,
      },
      402: { description: 'INSUFFICIENT_FUNDS: the wallet cannot cover it; nothing was reserved' },
      403: { description: 'NOT_ROOM_MEMBER: `roomId` is not a room the payer has joined' },
      503: {
        description:
          'DEPENDENCY_UNAVAILABLE: the Matrix homeserver (asked about `roomId`) did not answer; retry with the same key',
      },
      428: { description: 'MFA_REQUIRED: MFA is needed and the payer has no factor enrolled' },
    },
  },
  'GET /api/v1/payments/{paymentId}': {
    operationId: 'getPayment',
    request: { params: PaymentIdParams },
    responses: {
      200: { description: 'The payment with its history', schema: PaymentResponse },
      ...paymentErrors,
    },
  },
  'POST /api/v1/payments/{paymentId}/authorize': {
    operationId: 'authorizePayment',
    request: { params: PaymentIdParams },
    responses: {
      200: { description: 'The payment, moved on when it could', schema: PaymentResponse },
      ...paymentErrors,
    },
    errors: { PROCESSOR_ERROR: 'the provider did not say how 3-D Secure ended; retry' },
  },
  'POST /api/v1/payments/{paymentId}/cancel': {
    operationId: 'cancelPayment',
    request: { params: PaymentIdParams },
    responses: { 200: { description: 'The cancelled payment', schema: PaymentResponse }, ...paymentErrors },
  },
  'POST /api/v1/payments/{paymentId}/refund': {
    operationId: 'refundPayment',
    request: { params: PaymentIdParams, body: RefundRequest },
    responses: {
      201: {
        description:
          'The refund, with the payment (Refunded once everything paid is paid back). Its `status` follows the provider: `pending` while a card or PayPal refund is undecided (a webhook or reconciliation ends it), `succeeded`, or `failed` (the amount can be refunded again)',
      },
      400: { description: 'INVALID_AMOUNT: more than is left to refund' },
      403: { description: 'FORBIDDEN: the caller does not have the ops role (payers cannot refund)' },
      ...paymentErrors,
    },
    errors: { PROCESSOR_ERROR: 'the provider did not take the card refund; retry with the same key' },
  },
};
