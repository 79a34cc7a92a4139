import type { OperationDoc } from '../operations.js';
import {
  BalanceResponse,
  BalanceTransactionIdParams,
  BalanceTransactionList,
  BalanceTransactionResponse,
  BalanceTransactionsQuery,
  ReserveRequest,
} from '../schemas/balance.js';
import { MerchantIdParams } from '../schemas/kyc.js';
import { MerchantResponse } from '../schemas/merchants.js';

/** The merchant API's: a secret key with the `payments:read` scope, inside the key's merchant and mode. */
const KEY = {
  INVALID_API_KEY: 'no valid secret key (`Authorization: Bearer sk_test_…` or `sk_live_…`)',
  INSUFFICIENT_SCOPE: 'the key lacks the `payments:read` scope',
} as const;

export const balanceOperations: Readonly<Record<string, OperationDoc>> = {
  'GET /v1/balance': {
    operationId: 'getMerchantBalance',
    description:
      "Needs the `payments:read` scope. A payment's net lands in `pending` and becomes `available` once settled (after `SETTLEMENT_DELAY_SECONDS`); `reserved` is the rolling reserve ops set.",
    responses: { 200: { description: "The balance in the key's mode", schema: BalanceResponse } },
    errors: { ...KEY, NOT_FOUND: "the key's merchant no longer exists" },
  },
  'GET /v1/balance_transactions': {
    operationId: 'listBalanceTransactions',
    description: 'Needs the `payments:read` scope. Every movement of the balance, optionally of one `type`.',
    request: { query: BalanceTransactionsQuery },
    responses: {
      200: { description: 'One page of balance transactions, newest first', schema: BalanceTransactionList },
    },
    errors: { ...KEY, VALIDATION_ERROR: 'a cursor that was not issued for this list' },
  },
  'GET /v1/balance_transactions/{id}': {
    operationId: 'getBalanceTransaction',
    description: 'Needs the `payments:read` scope. One movement of the balance, as the list shows it.',
    request: { params: BalanceTransactionIdParams },
    responses: {
      200: { description: 'The balance transaction', schema: BalanceTransactionResponse },
      404: { description: "NOT_FOUND: not a balance transaction of the key's merchant and mode" },
    },
    errors: KEY,
  },
  'POST /ops/v1/merchants/{merchantId}/reserve': {
    operationId: 'setMerchantReserve',
    description: 'Ops role only. Changes `reserved` in the merchant balance of both modes at once.',
    request: { params: MerchantIdParams, body: ReserveRequest },
    responses: {
      200: { description: 'The merchant, with its reserve', schema: MerchantResponse },
      403: { description: 'FORBIDDEN: the token has no `ops` role' },
      404: { description: 'NOT_FOUND: no such merchant' },
    },
  },
};
