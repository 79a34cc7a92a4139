/** The invoice documents' function (the PDF route), spread into the catalogue in functions.ts. */
import type { FunctionDefinition } from './functions.js';

export const invoiceDocumentFunctions = {
  invoiceDocuments: {
    entry: 'functions/merchants/invoice-documents.ts',
    handler: 'handler',
    description:
      "An invoice's PDF (/v1/invoices/{invoiceId}/pdf): rendered once with pdfkit, kept in the invoices bucket",
    capabilities: ['table:read', 'invoiceBucket:readWrite'],
    timeoutSeconds: 29,
    memoryMb: 512,
  },
} as const satisfies Record<string, FunctionDefinition>;
