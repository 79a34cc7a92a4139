/**
 * Every Lambda function of the service: where its code is and what it may touch. CDK builds one
 * PaymentsFunction per entry with exactly these grants; the local stack imports the same entry modules.
 */

import type { Capability } from './capabilities.js';
import { checkoutFunctions } from './checkout-functions.js';
import { invoiceDocumentFunctions } from './invoice-document-functions.js';
import { invoiceFunctions } from './invoice-functions.js';
import { notificationFunctions } from './notification-functions.js';
import { paymentIntentFunctions } from './payment-intent-functions.js';
import { payoutFunctions } from './payout-functions.js';
import { subscriptionFunctions } from './subscription-functions.js';
import { webhookFunctions } from './webhook-functions.js';

export type { Capability } from './capabilities.js';

export interface FunctionDefinition {
  /** Path of the entry module from the repository root. */
  entry: string;
  /** Exported handler name. */
  handler: string;
  description: string;
  capabilities: readonly Capability[];
  timeoutSeconds: number;
  memoryMb: number;
  /** Package files read at run time (`swagger-ui-dist/…`), copied into its bundle under `node_modules/`. */
  assets?: readonly string[];
  /**
   * The function traces its AWS SDK calls (X-Ray subsegments) with the Powertools tracer: its entry imports
   * shared/observability/tracing.ts first. Every function has Lambda's active tracing (its invocation segment,
   * cold start included); only these also carry aws-xray-sdk-core. They are the ones where a trace pays for
   * its ~100 KiB and import time: no caller waits on their cold start (Step Functions tasks, queue and event
   * consumers, the reconciler) and each call fans out to several services. The request-path functions
   * (health, docs, reads, payment and top-up requests, MFA: a user waits on their cold start) start lighter
   * instead. README, Observability.
   */
  traced?: true;
}

export const functions = {
  health: {
    entry: 'functions/health/health.ts',
    handler: 'handler',
    description: 'Liveness, readiness and startup probes',
    capabilities: [],
    timeoutSeconds: 5,
    memoryMb: 256,
  },
  healthIntegrations: {
    entry: 'functions/health/integrations.ts',
    handler: 'handler',
    description: 'Touches every integration (table, queue, bus, Step Functions, KMS) and reports each',
    capabilities: ['table:describe', 'webhookQueue:describe', 'bus:describe', 'states:list', 'key:describe'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  openapi: {
    entry: 'functions/docs/openapi.ts',
    handler: 'handler',
    description: 'Serves the OpenAPI 3.1 document generated from the request schemas',
    capabilities: [],
    timeoutSeconds: 5,
    memoryMb: 256,
  },
  docs: {
    entry: 'functions/docs/reference.ts',
    handler: 'handler',
    description: 'Serves the browsable API reference (Swagger UI) and its assets, rendering /openapi.json',
    capabilities: [],
    timeoutSeconds: 5,
    memoryMb: 256,
    assets: ['swagger-ui-dist/swagger-ui.css', 'swagger-ui-dist/swagger-ui-bundle.js'],
  },
  eventsAudit: {
    entry: 'functions/events/audit.ts',
    handler: 'handler',
    description: 'Keeps every domain event in the audit log (EventBridge target)',
    capabilities: ['table:write'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  matrixPublisher: {
    entry: 'functions/events/matrix-publisher.ts',
    traced: true,
    handler: 'handler',
    description: 'Posts room-bound domain events to their Matrix room (EventBridge target)',
    capabilities: ['matrixToken:read'],
    // Up to 4 homeserver attempts of at most 5 s each, with backoff in between.
    timeoutSeconds: 30,
    memoryMb: 256,
  },
  walletTopup: {
    entry: 'functions/wallets/topup.ts',
    handler: 'handler',
    description: 'Charges a card through the provider and credits the wallet (POST /wallet/v1/topup)',
    capabilities: ['table:write', 'appSecrets:read'],
    timeoutSeconds: 29,
    memoryMb: 512,
  },
  walletBalance: {
    entry: 'functions/wallets/balance.ts',
    handler: 'handler',
    description: "The caller's wallet balances per currency",
    capabilities: ['table:write'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  walletTransactions: {
    entry: 'functions/wallets/transactions.ts',
    handler: 'handler',
    description: "The caller's wallet history, newest first, with signed cursors",
    capabilities: ['table:read', 'appSecrets:read'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  walletPaymentMethods: {
    entry: 'functions/wallets/payment-methods.ts',
    handler: 'handler',
    description: "The caller's wallet and saved cards",
    capabilities: ['table:write'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  paymentRequest: {
    entry: 'functions/payments/request.ts',
    handler: 'handler',
    description:
      "Creates a payment, checks a card is the payer's (attaching it to their Stripe customer) and the payer is in the payment's room, reserves wallet funds, decides MFA and starts the lifecycle",
    capabilities: ['table:write', 'payments:start', 'appSecrets:read', 'matrixToken:read'],
    timeoutSeconds: 15,
    memoryMb: 512,
  },
  paymentQuery: {
    entry: 'functions/payments/get.ts',
    handler: 'handler',
    description: "The caller's payment with its history",
    capabilities: ['table:read'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  paymentCommands: {
    entry: 'functions/payments/commands.ts',
    handler: 'handler',
    description: 'Authorize (continue after MFA or 3-D Secure) and cancel a payment',
    capabilities: ['table:write', 'payments:callback', 'appSecrets:read'],
    timeoutSeconds: 15,
    memoryMb: 512,
  },
  paymentRefund: {
    entry: 'functions/payments/refund.ts',
    handler: 'handler',
    description: 'Refunds a payment, fully or partly, to the wallet or the card',
    capabilities: ['table:write', 'appSecrets:read'],
    timeoutSeconds: 29,
    memoryMb: 512,
  },
  paymentLifecycle: {
    entry: 'functions/payments/lifecycle.ts',
    traced: true,
    handler: 'handler',
    description: 'The payment state machine tasks: await MFA/provider, process, fail',
    capabilities: ['table:write', 'payments:callback', 'appSecrets:read'],
    timeoutSeconds: 60,
    memoryMb: 512,
  },
  mfaChallenges: {
    entry: 'functions/mfa/challenges.ts',
    handler: 'handler',
    description: 'MFA challenge, verify and status for a payment',
    capabilities: ['table:write', 'payments:callback', 'mfaKey:decrypt'],
    timeoutSeconds: 15,
    memoryMb: 1024,
  },
  mfaEnrolment: {
    entry: 'functions/mfa/enrolment.ts',
    handler: 'handler',
    description: "Enrols the caller's second factors: transaction PIN, TOTP, device keys",
    capabilities: ['table:write', 'mfaKey:encrypt', 'mfaKey:decrypt'],
    timeoutSeconds: 15,
    memoryMb: 1024,
  },
  p2pTransfers: {
    entry: 'functions/p2p/transfers.ts',
    handler: 'handler',
    description: 'P2P transfers: initiate (reserve), get, accept, reject, cancel',
    capabilities: ['table:write', 'p2p:start', 'p2p:callback', 'matrixToken:read'],
    timeoutSeconds: 15,
    memoryMb: 512,
  },
  p2pLifecycle: {
    entry: 'functions/p2p/lifecycle.ts',
    traced: true,
    handler: 'handler',
    description: 'The P2P state machine tasks: await the decision, expire',
    capabilities: ['table:write', 'p2p:callback'],
    timeoutSeconds: 60,
    memoryMb: 256,
  },
  gifts: {
    entry: 'functions/gifts/gifts.ts',
    handler: 'handler',
    description: 'Group gifts: create (fund the escrow), open a share, read with the leaderboard',
    capabilities: ['table:write', 'gifts:start', 'matrixToken:read'],
    // Under API Gateway's 30 s: a crowd opening one gift retries for free shares.
    timeoutSeconds: 29,
    memoryMb: 512,
  },
  giftLifecycle: {
    entry: 'functions/gifts/lifecycle.ts',
    handler: 'handler',
    description: 'The group gift state machine task: expire the gift and refund what nobody opened',
    capabilities: ['table:write'],
    timeoutSeconds: 60,
    memoryMb: 256,
  },
  outboxRelay: {
    entry: 'functions/events/outbox-relay.ts',
    traced: true,
    handler: 'handler',
    description: 'Puts the domain events written to the outbox (table stream) on the event bus',
    capabilities: ['bus:put'],
    timeoutSeconds: 30,
    memoryMb: 256,
  },
  webhookIngest: {
    entry: 'functions/webhooks/ingest.ts',
    handler: 'handler',
    description: 'Verifies a provider webhook signature and queues the event (POST /api/v1/webhooks/stripe)',
    capabilities: ['webhookQueue:send', 'appSecrets:read'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  paypalWebhookIngest: {
    entry: 'functions/webhooks/ingest-paypal.ts',
    handler: 'handler',
    description:
      'Has PayPal verify a webhook transmission and queues the event (POST /api/v1/webhooks/paypal)',
    capabilities: ['webhookQueue:send', 'appSecrets:read'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  webhookConsumer: {
    entry: 'functions/webhooks/consumer.ts',
    traced: true,
    handler: 'handler',
    description: 'Applies queued provider events once, through the inbox, and resumes waiting lifecycles',
    capabilities: ['table:write', 'appSecrets:read', 'payments:callback', 'payouts:callback'],
    // Below the queue's visibility timeout, so a batch is never handed to a second invocation meanwhile.
    timeoutSeconds: 50,
    memoryMb: 512,
  },
  webhookOps: {
    entry: 'functions/webhooks/ops.ts',
    handler: 'handler',
    description: 'Ops over the webhook inbox: list by status, replay an event',
    capabilities: ['table:read', 'webhookQueue:send', 'appSecrets:read'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  reconciler: {
    entry: 'functions/reconciliation/reconciler.ts',
    traced: true,
    handler: 'handler',
    description:
      'Every 5 minutes: asks the provider about top-ups and card payments waiting too long, applies it',
    capabilities: ['table:write', 'appSecrets:read', 'payments:callback'],
    // Well under the 5-minute period, so two runs rarely overlap (they would be harmless: every step is once).
    timeoutSeconds: 120,
    memoryMb: 512,
  },
  ...paymentIntentFunctions,
  ...webhookFunctions,
  ...payoutFunctions,
  ...notificationFunctions,
  ...invoiceFunctions,
  ...invoiceDocumentFunctions,
  ...subscriptionFunctions,
  ...checkoutFunctions,
  merchantCustomers: {
    entry: 'functions/merchants/customers.ts',
    handler: 'handler',
    description:
      "A merchant's customers and their payment methods, with the Stripe customer behind each (/v1/customers)",
    capabilities: ['table:write', 'appSecrets:read'],
    timeoutSeconds: 29,
    memoryMb: 512,
  },
  kycDocuments: {
    entry: 'functions/merchants/kyc-documents.ts',
    handler: 'handler',
    description: "A merchant's KYC documents: presigned S3 upload URLs, and the list (checked against S3)",
    capabilities: ['table:write', 'kycBucket:readWrite', 'appSecrets:read'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  merchantOnboarding: {
    entry: 'functions/merchants/onboarding.ts',
    handler: 'handler',
    description:
      'Merchant onboarding for the owner: create (email a code), verify the email, resend, submit KYC for review, read',
    // kycBucket: submission asks the bucket whether a document's file arrived (shared/app/kyc/documents.ts).
    capabilities: ['table:write', 'appSecrets:read', 'mail:send', 'onboarding:start', 'kycBucket:read'],
    timeoutSeconds: 15,
    memoryMb: 256,
  },
  merchantReview: {
    entry: 'functions/merchants/review.ts',
    handler: 'handler',
    description:
      'Ops over merchant onboarding: the review queue, and the decision (a Stripe connected account on approval)',
    capabilities: ['table:write', 'appSecrets:read', 'onboarding:callback'],
    timeoutSeconds: 29,
    memoryMb: 512,
  },
  merchantOnboardingLifecycle: {
    entry: 'functions/merchants/onboarding-lifecycle.ts',
    traced: true,
    handler: 'handler',
    description:
      'The onboarding state machine tasks: await the review, time it out (the outcome is emailed by the notifier)',
    capabilities: ['table:write', 'onboarding:callback'],
    timeoutSeconds: 30,
    memoryMb: 256,
  },
  apiKeys: {
    entry: 'functions/merchants/api-keys.ts',
    handler: 'handler',
    description: "A merchant owner's API keys: create (secret shown once), list, roll, revoke",
    capabilities: ['table:write', 'appSecrets:read'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  apiKeyAuthorizer: {
    entry: 'functions/merchants/api-key-authorizer.ts',
    handler: 'handler',
    description:
      'The HTTP API Lambda authorizer of the /v1/* routes: a secret key to its merchant, mode and scopes',
    capabilities: ['table:read', 'appSecrets:read'],
    timeoutSeconds: 5,
    memoryMb: 256,
  },
  merchantApps: {
    entry: 'functions/merchants/apps.ts',
    handler: 'handler',
    description: "A merchant's apps through the merchant API (/v1/apps)",
    capabilities: ['table:write', 'appSecrets:read'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  merchantBalance: {
    entry: 'functions/merchants/balance.ts',
    handler: 'handler',
    description:
      "A merchant's balance and balance transactions (/v1/balance*), and its rolling reserve (ops)",
    capabilities: ['table:write', 'appSecrets:read'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  settlement: {
    entry: 'functions/merchants/settlement.ts',
    handler: 'handler',
    description:
      'Every hour (SETTLEMENT_PERIOD_SECONDS): makes due balance transactions available; reverses refunded splits already paid out',
    capabilities: ['table:write', 'appSecrets:read'],
    // Well under the period; a run that stops early leaves the rest to the next (each item moves once).
    timeoutSeconds: 120,
    memoryMb: 256,
  },
} as const satisfies Record<string, FunctionDefinition>;

export type FunctionName = keyof typeof functions;
export const functionNames = Object.keys(functions) as FunctionName[];

export function functionDefinition(name: FunctionName): FunctionDefinition {
  return functions[name];
}
