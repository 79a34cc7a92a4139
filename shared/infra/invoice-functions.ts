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
} as const satisfies Record<string, FunctionDefinition>;
