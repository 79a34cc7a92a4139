/**
 * What each route takes and answers, for the OpenAPI document. Keyed by the route table's route key; the
 * handlers parse with the very same schemas, so the document cannot describe a request they would refuse.
 */
import * as z from 'zod/mini';
import type * as core from 'zod/v4/core';
import type { ErrorCode } from '../domain/errors.js';
import { balanceOperations } from './operations/balance.js';
import { catalogueOperations } from './operations/catalogue.js';
import { checkoutOperations } from './operations/checkout.js';
import { customerOperations } from './operations/customers.js';
import { giftOperations } from './operations/gifts.js';
import { invoiceDocumentOperations } from './operations/invoice-documents.js';
import { invoiceOperations } from './operations/invoices.js';
import { kycOperations } from './operations/kyc.js';
import { merchantApiOperations } from './operations/merchant-api.js';
import { merchantOperations } from './operations/merchants.js';
import { mfaOperations } from './operations/mfa.js';
import { notificationOperations } from './operations/notifications.js';
import { outboundWebhookOperations } from './operations/outbound-webhooks.js';
import { p2pOperations } from './operations/p2p.js';
import { paymentIntentOperations } from './operations/payment-intents.js';
import { paymentOperations } from './operations/payments.js';
import { payoutOperations } from './operations/payouts.js';
import { refundOperations } from './operations/refunds.js';
import { subscriptionOperations } from './operations/subscriptions.js';
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
  /** Unique in the API: SDK generators name their methods after it (`createPayment`, `getBalance`). */
  operationId: string;
  /** More than the route's summary says, in Markdown. */
  description?: string;
  request?: RequestSchemas;
  /**
   * The answers: every success, and the error statuses with more to say than their codes (the codes named
   * in an error description are listed for that status). `schema` is JSON unless `contentType` says otherwise.
   */
  responses: Readonly<
    Record<
      number,
      {
        description: string;
        schema?: core.$ZodType;
        contentType?: 'text/html' | 'text/css' | 'text/javascript' | 'application/pdf';
      }
    >
  >;
  /**
   * Codes the use case raises, with what they mean here; the document adds the ones the route's properties
   * imply (token, Idempotency-Key, body, path ids, limits), so list only what is particular to the operation.
   */
  errors?: Readonly<Partial<Record<ErrorCode, string>>>;
  /** Headers of the operation's own beyond Idempotency-Key (each a zod schema with `param` meta). */
  headers?: readonly core.$ZodType[];
}

// Each bounded context documents its own routes (shared/http/operations/*.ts); this is the union.
export const operations: Readonly<Record<string, OperationDoc>> = {
  ...giftOperations,
  ...mfaOperations,
  ...p2pOperations,
  ...paymentOperations,
  ...webhookOperations,
  ...paymentIntentOperations,
  ...refundOperations,
  ...payoutOperations,
  ...customerOperations,
  ...kycOperations,
  ...merchantOperations,
  ...merchantApiOperations,
  ...balanceOperations,
  ...outboundWebhookOperations,
  ...notificationOperations,
  ...catalogueOperations,
  ...subscriptionOperations,
  ...invoiceOperations,
  ...invoiceDocumentOperations,
  ...checkoutOperations,
  'GET /health': {
    operationId: 'getLiveness',
    responses: { 200: { description: 'The service is alive', schema: ProbeResponse } },
  },
  'GET /health/ready': {
    operationId: 'getReadiness',
    responses: { 200: { description: 'Ready for traffic', schema: ProbeResponse } },
  },
  'GET /health/startup': {
    operationId: 'getStartup',
    responses: { 200: { description: 'Cold start finished', schema: ProbeResponse } },
  },
  'GET /health/integrations': {
    operationId: 'checkIntegrations',
    responses: {
      200: { description: 'Every integration answered', schema: IntegrationsResponse },
      503: { description: 'At least one integration failed', schema: IntegrationsResponse },
    },
  },
  'GET /openapi.json': {
    operationId: 'getOpenApiDocument',
    responses: {
      200: {
        description: 'This document',
        schema: z.record(z.string(), z.unknown()).register(z.globalRegistry, { description: 'OpenAPI 3.1' }),
      },
    },
  },
  'GET /docs': {
    operationId: 'getApiReference',
    responses: {
      200: {
        description:
          'The reference page: Swagger UI rendering /openapi.json, with its assets from this API only',
        schema: z.string(),
        contentType: 'text/html',
      },
    },
  },
  'GET /docs/assets/swagger-ui.css': {
    operationId: 'getApiReferenceStylesheet',
    responses: {
      200: { description: "Swagger UI's stylesheet", schema: z.string(), contentType: 'text/css' },
    },
  },
  'GET /docs/assets/swagger-ui-bundle.js': {
    operationId: 'getApiReferenceRenderer',
    responses: {
      200: {
        description: "Swagger UI's standalone bundle",
        schema: z.string(),
        contentType: 'text/javascript',
      },
    },
  },
  'GET /docs/assets/reference.js': {
    operationId: 'getApiReferenceScript',
    responses: {
      200: {
        description: 'Starts Swagger UI on /openapi.json',
        schema: z.string(),
        contentType: 'text/javascript',
      },
    },
  },
  'POST /wallet/v1/topup': {
    operationId: 'topUpWallet',
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
    operationId: 'getBalance',
    request: { params: UserIdParams },
    responses: {
      200: { description: 'Balances per currency', schema: Balance },
      403: { description: 'FORBIDDEN' },
    },
  },
  'GET /payments/v1/user/{userId}/transactions': {
    operationId: 'listTransactions',
    request: { params: UserIdParams, query: TransactionsQuery },
    responses: {
      200: { description: 'One page, newest first', schema: TransactionsPage },
      403: { description: 'FORBIDDEN' },
    },
  },
  'GET /payments/v1/user/{userId}/payment-methods': {
    operationId: 'listPaymentMethods',
    request: { params: UserIdParams },
    responses: {
      200: { description: 'The wallet, then saved cards', schema: PaymentMethods },
      403: { description: 'FORBIDDEN' },
    },
  },
};
