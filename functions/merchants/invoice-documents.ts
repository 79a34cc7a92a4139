/** An invoice's PDF (/v1/invoices/{invoiceId}/pdf): the tenant's own finalized invoice, rendered once and kept. */
import { getInvoicePdf } from '../../shared/app/invoice-documents/documents.js';
import { httpHandler } from '../../shared/composition/http.js';
import { invoiceStore } from '../../shared/composition/invoice-companions.js';
import { invoiceDocuments } from '../../shared/composition/invoice-documents.js';
import { byRoute } from '../../shared/http/handler.js';
import { InvoicePdfParams } from '../../shared/http/schemas/invoice-documents.js';

const deps = { invoices: invoiceStore(), documents: invoiceDocuments() };

const pdf = httpHandler({ params: InvoicePdfParams }, async (request) => {
  const { fileName, pdf: bytes } = await getInvoicePdf(request.merchant(), request.params.invoiceId, deps);
  return {
    status: 200,
    bytes,
    contentType: 'application/pdf',
    headers: { 'content-disposition': `inline; filename="${fileName.replace(/["\\\r\n]/g, '')}"` },
  };
});

export const handler = byRoute('invoiceDocuments', {
  'GET /v1/invoices/{invoiceId}/pdf': pdf,
});
