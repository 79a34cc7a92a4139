import type { OperationDoc } from '../operations.js';
import {
  CreateRefundRequest,
  ListRefundsQuery,
  RefundIdParams,
  RefundList,
  RefundResponse,
} from '../schemas/refunds.js';

/** The merchant API's refunds. */
export const refundOperations: Readonly<Record<string, OperationDoc>> = {
  'POST /v1/refunds': {
    operationId: 'createRefund',
    request: { body: CreateRefundRequest },
    responses: {
      201: {
        description:
          'The refund. Its `status` follows the provider: `pending` while a card refund is undecided, `succeeded` (the money is posted: the platform fee returned in proportion, the merchant debited from available, then pending), or `failed` (nothing paid back; the amount can be refunded again)',
        schema: RefundResponse,
      },
      400: { description: 'INVALID_AMOUNT: more than was captured and not yet refunded' },
      404: {
        description:
          "NOT_FOUND: no such PaymentIntent or payment of this merchant and mode (another merchant's answers the same)",
      },
      409: { description: 'INVALID_STATE_TRANSITION: nothing left to refund, or not succeeded' },
    },
    errors: {
      VALIDATION_ERROR: 'not exactly one of `payment_intent` and `payment`',
      PROCESSOR_ERROR: 'the provider did not take the refund; retry with the same key',
    },
  },
  'GET /v1/refunds': {
    operationId: 'listRefunds',
    request: { query: ListRefundsQuery },
    responses: { 200: { description: 'One page, newest first', schema: RefundList } },
  },
  'GET /v1/refunds/{refundId}': {
    operationId: 'getRefund',
    request: { params: RefundIdParams },
    responses: {
      200: { description: 'The refund', schema: RefundResponse },
      404: {
        description: "NOT_FOUND: no such refund of this merchant and mode (another's id answers the same)",
      },
    },
  },
};
