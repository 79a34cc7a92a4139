/** Hosted checkout's functions, spread into the catalogue in functions.ts. */
import type { FunctionDefinition } from './functions.js';

export const checkoutFunctions = {
  merchantCheckout: {
    entry: 'functions/checkout/sessions.ts',
    handler: 'handler',
    description: "A merchant's checkout sessions: create, read, list, expire (/v1/checkout/sessions)",
    capabilities: ['table:write', 'appSecrets:read'],
    timeoutSeconds: 29,
    memoryMb: 256,
  },
  checkoutPage: {
    entry: 'functions/checkout/page.ts',
    handler: 'handler',
    description:
      'The hosted checkout page: server-rendered HTML, paid by card (a PaymentIntent, or a subscription)',
    // A payment-mode session confirms a PaymentIntent; a subscription-mode one starts a subscription, whose
    // first step may be scheduled.
    capabilities: [
      'table:write',
      'appSecrets:read',
      'paymentIntentCapture:start',
      'subscriptionSteps:send',
      'subscriptionSteps:schedule',
    ],
    timeoutSeconds: 29,
    memoryMb: 512,
  },
} as const satisfies Record<string, FunctionDefinition>;
