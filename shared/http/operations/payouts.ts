import type { OperationDoc } from '../operations.js';
import {
  CreatePayoutRequest,
  ListPayoutsQuery,
  PayoutIdParams,
  PayoutList,
  PayoutResponse,
} from '../schemas/payouts.js';

/** The merchant API's payouts. */
export const payoutOperations: Readonly<Record<string, OperationDoc>> = {
  'POST /v1/payouts': {
    operationId: 'createPayout',
    request: { body: CreatePayoutRequest },
    responses: {
      201: {
        description:
          'The payout, `pending`: its amount (fee included) has left `available`; it moves on to `in_transit`, then `paid`, or `failed` with the whole debit back in `available`',
        schema: PayoutResponse,
      },
      400: {
        description:
          'PAYOUT_BELOW_MINIMUM: under 10000; PAYOUT_LIMIT_EXCEEDED: today’s payouts would pass 5,000,000',
      },
      402: { description: 'INSUFFICIENT_FUNDS: more than the payable balance (available − reserved)' },
      403: { description: 'MERCHANT_NOT_ACTIVE: the merchant is not active or has no connected account' },
    },
    errors: {
      PAYOUT_BELOW_MINIMUM: 'the amount is under 10000',
      PAYOUT_LIMIT_EXCEEDED: 'today’s payouts of the currency would pass 5,000,000',
      INSUFFICIENT_FUNDS: 'more than the payable balance',
      MERCHANT_NOT_ACTIVE: 'the merchant is not active or has no connected account',
    },
  },
  'GET /v1/payouts': {
    operationId: 'listPayouts',
    request: { query: ListPayoutsQuery },
    responses: { 200: { description: 'One page, newest first', schema: PayoutList } },
  },
  'GET /v1/payouts/{payoutId}': {
    operationId: 'getPayout',
    request: { params: PayoutIdParams },
    responses: {
      200: { description: 'The payout', schema: PayoutResponse },
      404: {
        description: "NOT_FOUND: no such payout of this merchant and mode (another's id answers the same)",
      },
    },
  },
};
