/**
 * What each route takes and answers, for the OpenAPI document. Keyed by the route table's route key; the
 * handlers parse with the very same schemas, so the document cannot describe a request they would refuse.
 */
import type { z } from 'zod';
import { giftOperations } from './operations/gifts.js';
import { mfaOperations } from './operations/mfa.js';
import { p2pOperations } from './operations/p2p.js';
import { paymentOperations } from './operations/payments.js';
import { webhookOperations } from './operations/webhooks.js';
import type { RequestSchemas } from './request.js';
import { IntegrationsResponse, ProbeResponse } from './schemas/health.js';
import {
  Balance,
  PaymentMethods,
  Topup,
  TopupRequest,
  TransactionsPage,
  TransactionsQuery,
  UserIdParams,
} from './schemas/wallets.js';

export interface OperationDoc {
  request?: RequestSchemas;
  /** Headers of the operation's own beyond Idempotency-Key (each a zod schema with `param` meta). */
  headers?: readonly z.ZodType[];
  responses: Readonly<Record<number, { description: string; schema?: z.ZodType }>>;
}

// Each bounded context documents its own routes (shared/http/operations/*.ts); this is the union.
export const operations: Readonly<Record<string, OperationDoc>> = {
  ...giftOperations,
  ...mfaOperations,
  ...p2pOperations,
  ...paymentOperations,
  ...webhookOperations,
  'GET /health': { responses: { 200: { description: 'The service is alive', schema: ProbeResponse } } },
  'GET /health/ready': { responses: { 200: { description: 'Ready for traffic', schema: ProbeResponse } } },
  'GET /health/startup': {
    responses: { 200: { description: 'Cold start finished', schema: ProbeResponse } },
  },
  'GET /health/integrations': {
    responses: {
      200: { description: 'Every integration answered', schema: IntegrationsResponse },
      503: { description: 'At least one integration failed', schema: IntegrationsResponse },
    },
  },
  'GET /openapi.json': { responses: { 200: { description: 'This document' } } },
  'POST /wallet/v1/topup': {
    request: { body: TopupRequest },
    responses: {
      201: {
        description: 'The top-up: succeeded (wallet credited), or waiting on the provider',
        schema: Topup,
      },
      402: { description: 'PAYMENT_DECLINED: the card was declined; nothing moved' },
      409: { description: 'IDEMPOTENCY_IN_PROGRESS' },
      422: { description: 'IDEMPOTENCY_KEY_REUSED' },
      502: { description: 'PROCESSOR_ERROR: the provider did not answer; retry with the same key' },
    },
  },
  'GET /payments/v1/user/{userId}/balance': {
    request: { params: UserIdParams },
    responses: {
      200: { description: 'Balances per currency', schema: Balance },
      403: { description: 'FORBIDDEN' },
    },
  },
  'GET /payments/v1/user/{userId}/transactions': {
    request: { params: UserIdParams, query: TransactionsQuery },
    responses: {
      200: { description: 'One page, newest first', schema: TransactionsPage },
      403: { description: 'FORBIDDEN' },
    },
  },
  'GET /payments/v1/user/{userId}/payment-methods': {
    request: { params: UserIdParams },
    responses: {
      200: { description: 'The wallet, then saved cards', schema: PaymentMethods },
      403: { description: 'FORBIDDEN' },
    },
  },
};
