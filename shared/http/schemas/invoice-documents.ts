/** The invoice PDF route's request and answer (API.md "Billing and checkout": `GET /v1/invoices/{id}/pdf`). */
import * as z from 'zod/mini';

/** The invoice's id in the path, as the invoices' own routes take it. */
export { InvoiceIdParams as InvoicePdfParams } from './invoices.js';

/** The PDF's bytes (OpenAPI: a binary string). */
export const InvoicePdf = z.string().register(z.globalRegistry, {
  description: "The invoice's PDF",
  format: 'binary',
});
