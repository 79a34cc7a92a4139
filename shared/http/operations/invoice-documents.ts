import type { OperationDoc } from '../operations.js';
import { InvoicePdf, InvoicePdfParams } from '../schemas/invoice-documents.js';

/** An invoice's PDF. */
export const invoiceDocumentOperations: Readonly<Record<string, OperationDoc>> = {
  'GET /v1/invoices/{invoiceId}/pdf': {
    operationId: 'getInvoicePdf',
    description:
      'The finalized invoice as a PDF (`Content-Disposition: inline; filename="<number>.pdf"`): the merchant, the number, the dates, the customer, each line, subtotal, tax and total in the currency\'s format. Rendered once at its first ask (or its finalization email) and kept; the same invoice always answers the same bytes.',
    request: { params: InvoicePdfParams },
    responses: {
      200: { description: "The invoice's PDF", schema: InvoicePdf, contentType: 'application/pdf' },
      404: {
        description:
          "NOT_FOUND: no such invoice of this merchant and mode (another's id answers the same), or a draft, which has no PDF until it is finalized (as Stripe's draft has no `invoice_pdf`)",
      },
    },
  },
};
