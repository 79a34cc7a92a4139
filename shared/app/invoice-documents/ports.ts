/** The invoice documents' ports: who the invoice is from and to, the PDF renderer, and where PDFs are kept. */
import type { Tenant } from '../../domain/customer.js';
import type { InvoiceDocumentModel, InvoiceParty } from './model.js';

/** The merchant and the customer as an invoice names them. */
export interface InvoiceParties {
  merchant(merchantId: string): Promise<{ name: string; email?: string } | undefined>;
  customer(tenant: Tenant, customerId: string): Promise<InvoiceParty | undefined>;
}

export interface InvoicePdfRenderer {
  render(model: InvoiceDocumentModel): Promise<Uint8Array>;
}

/** Rendered PDFs (the invoices bucket), by invoice: kept once rendered, never changed. */
export interface InvoicePdfStore {
  get(tenant: Tenant, invoiceId: string): Promise<Uint8Array | undefined>;
  put(tenant: Tenant, invoiceId: string, pdf: Uint8Array): Promise<void>;
}
