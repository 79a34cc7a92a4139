/** Invoice PDFs: rendered by pdfkit, kept in the invoices bucket (INVOICE_BUCKET_NAME), named from the stores. */
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { s3 } from '../adapters/aws/s3-client.js';
import { DynamoDbCustomerStore } from '../adapters/dynamodb/merchant-customers.js';
import { PdfkitInvoiceRenderer } from '../adapters/pdf/invoice-pdf.js';
import { S3InvoicePdfs } from '../adapters/s3/invoice-pdfs.js';
import { InvoicePdfAttachments, StoredInvoiceDocuments } from '../app/invoice-documents/documents.js';
import { StoredInvoiceParties } from '../app/invoice-documents/parties.js';
import { readSetting, readTableName } from '../config.js';
import { INVOICE_BUCKET_ENV } from '../infra/invoice-bucket.js';
import { once } from '../lazy.js';
import { invoiceStore } from './invoice-companions.js';
import { merchants } from './merchants.js';

/** The port InvoiceDocuments (shared/app/billing/ports.ts). */
export const invoiceDocuments = once(
  () =>
    new StoredInvoiceDocuments({
      parties: new StoredInvoiceParties({
        merchants: merchants(),
        customers: new DynamoDbCustomerStore(documentClient(), readTableName()),
      }),
      renderer: new PdfkitInvoiceRenderer(),
      store: new S3InvoicePdfs(s3(), readSetting(INVOICE_BUCKET_ENV)),
    }),
);

/** The notifier's InvoiceAttachments: a finalized invoice's PDF for its email. */
export const invoiceAttachments = once(
  () => new InvoicePdfAttachments({ invoices: invoiceStore(), documents: invoiceDocuments() }),
);
