/** The merchant PaymentIntents' and refunds' functions, spread into the catalogue in functions.ts. */
import type { FunctionDefinition } from './functions.js';

export const paymentIntentFunctions = {
  paymentIntents: {
    entry: 'functions/merchants/payment-intents.ts',
    handler: 'handler',
    description:
      "A merchant's PaymentIntents: create, confirm, capture and cancel through the card processor, read and list (/v1/payment_intents)",
    capabilities: ['table:write', 'appSecrets:read', 'paymentIntentCapture:start'],
    timeoutSeconds: 29,
    memoryMb: 512,
  },
  merchantRefunds: {
    entry: 'functions/merchants/refunds.ts',
    handler: 'handler',
    description:
      "A merchant's refunds of its PaymentIntents and mini-app payments, at the provider and on the ledger (/v1/refunds)",
    capabilities: ['table:write', 'appSecrets:read'],
    timeoutSeconds: 29,
    memoryMb: 512,
  },
  paymentIntentCapture: {
    entry: 'functions/merchants/payment-intent-capture.ts',
    handler: 'handler',
    description:
      'The capture window state machine task: cancel an authorization left uncaptured and release it at the processor',
    capabilities: ['table:write', 'appSecrets:read'],
    timeoutSeconds: 60,
    memoryMb: 256,
  },
} as const satisfies Record<string, FunctionDefinition>;
