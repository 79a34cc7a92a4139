/** The merchant payouts' functions, spread into the catalogue in functions.ts. */
import type { FunctionDefinition } from './functions.js';

export const payoutFunctions = {
  merchantPayouts: {
    entry: 'functions/merchants/payouts.ts',
    handler: 'handler',
    description:
      "A merchant's payouts: create (the debit, then the payout flow), read and list (/v1/payouts)",
    capabilities: ['table:write', 'appSecrets:read', 'payouts:start'],
    timeoutSeconds: 29,
    memoryMb: 256,
  },
  payoutLifecycle: {
    entry: 'functions/merchants/payout-lifecycle.ts',
    traced: true,
    handler: 'handler',
    description:
      'The payout state machine tasks: send through Stripe Connect, await the provider, ask it when no answer came',
    capabilities: ['table:write', 'appSecrets:read', 'payouts:callback'],
    timeoutSeconds: 60,
    memoryMb: 512,
  },
} as const satisfies Record<string, FunctionDefinition>;
