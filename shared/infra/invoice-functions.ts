/** The catalogue's and the invoices' functions, spread into the catalogue in functions.ts. */
import type { FunctionDefinition } from './functions.js';

export const invoiceFunctions = {
  merchantCatalogue: {
    entry: 'functions/merchants/catalogue.ts',
    handler: 'handler',
    description: "A merchant's products and prices: create, read, list (/v1/products, /v1/prices)",
    capabilities: ['table:write', 'appSecrets:read'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  merchantInvoices: {
    entry: 'functions/merchants/invoices.ts',
    handler: 'handler',
    description:
      "A merchant's invoices: create, finalize (numbered), pay through a PaymentIntent, void, mark uncollectible, read and list (/v1/invoices)",
    capabilities: ['table:write', 'appSecrets:read'],
    timeoutSeconds: 29,
    memoryMb: 512,
  },
} as const satisfies Record<string, FunctionDefinition>;
