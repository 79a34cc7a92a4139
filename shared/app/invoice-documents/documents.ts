/**
 * Invoice PDFs (API.md "Billing and checkout": `GET /v1/invoices/{id}/pdf`): rendered on first ask after
 * finalization, kept in the invoices bucket, and read back from there every time after. Rendering is
 * deterministic (model.ts, the renderer), so two first asks at once store the same bytes twice, harmlessly.
 */
import { NotFoundError } from '../../domain/errors.js';
import type { Invoice } from '../../domain/invoice.js';
import type { InvoiceDocuments, InvoiceReader, Tenant } from '../billing/ports.js';
import type { InvoiceAttachments } from '../notifications/ports.js';
import { invoiceDocument } from './model.js';
import type { InvoiceParties, InvoicePdfRenderer, InvoicePdfStore } from './ports.js';

export interface InvoiceDocumentsDeps {
  parties: InvoiceParties;
  renderer: InvoicePdfRenderer;
  store: InvoicePdfStore;
}

export class StoredInvoiceDocuments implements InvoiceDocuments {
  constructor(private readonly deps: InvoiceDocumentsDeps) {}

  async pdf(tenant: Tenant, invoice: Invoice): Promise<Uint8Array> {
    // A draft has none, whatever a store may hold: the model refuses it before anything is read.
    const stored =
      invoice.status === 'draft' ? undefined : await this.deps.store.get(tenant, invoice.invoiceId);
    if (stored !== undefined) return stored;
    const [merchant, customer] = await Promise.all([
      this.deps.parties.merchant(tenant.merchantId),
      this.deps.parties.customer(tenant, invoice.customerId),
    ]);
    if (merchant === undefined) throw new NotFoundError('Merchant');
    const pdf = await this.deps.renderer.render(invoiceDocument(invoice, merchant, customer ?? {}));
    await this.deps.store.put(tenant, invoice.invoiceId, pdf);
    return pdf;
  }
}

export interface InvoicePdf {
  fileName: string;
  pdf: Uint8Array;
}

/** The tenant's invoice's PDF; another tenant's invoice is not found (404), and a draft has none (404). */
export async function getInvoicePdf(
  tenant: Tenant,
  invoiceId: string,
  deps: { invoices: InvoiceReader; documents: InvoiceDocuments },
): Promise<InvoicePdf> {
  const invoice = await deps.invoices.get(tenant, invoiceId);
  if (invoice === undefined) throw new NotFoundError('Invoice');
  const pdf = await deps.documents.pdf(tenant, invoice);
  return { fileName: `${invoice.number ?? invoice.invoiceId}.pdf`, pdf };
}

/** The finalization email's attachment (the notifications' port InvoiceAttachments): the invoice's PDF. */
export class InvoicePdfAttachments implements InvoiceAttachments {
  constructor(private readonly deps: { invoices: InvoiceReader; documents: InvoiceDocuments }) {}

  async pdf(
    tenant: Tenant,
    invoiceId: string,
  ): Promise<{ fileName: string; content: Uint8Array } | undefined> {
    const invoice = await this.deps.invoices.get(tenant, invoiceId);
    if (invoice === undefined || invoice.status === 'draft') return undefined;
    const { fileName, pdf } = await getInvoicePdf(tenant, invoiceId, {
      invoices: { get: async () => invoice },
      documents: this.deps.documents,
    });
    return { fileName, content: pdf };
  }
}
