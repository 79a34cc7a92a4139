import { PdfkitInvoiceRenderer } from '../../../../shared/adapters/pdf/invoice-pdf.js';
import { getInvoicePdf, StoredInvoiceDocuments } from '../../../../shared/app/invoice-documents/documents.js';
import type { InvoicePdfStore } from '../../../../shared/app/invoice-documents/ports.js';
import type { Tenant } from '../../../../shared/domain/customer.js';
import type { Invoice } from '../../../../shared/domain/invoice.js';
import { anInvoice, pdfText } from '../../../support/invoices.js';

class MemoryPdfs implements InvoicePdfStore {
  readonly objects = new Map<string, Uint8Array>();
  puts = 0;

  async get(tenant: Tenant, invoiceId: string): Promise<Uint8Array | undefined> {
    return this.objects.get(`${tenant.merchantId}/${tenant.mode}/${invoiceId}`);
  }

  async put(tenant: Tenant, invoiceId: string, pdf: Uint8Array): Promise<void> {
    this.puts += 1;
    this.objects.set(`${tenant.merchantId}/${tenant.mode}/${invoiceId}`, pdf);
  }
}

const tenant = { merchantId: 'mch_1', mode: 'test' } as const;

function documents(store = new MemoryPdfs()) {
  return new StoredInvoiceDocuments({
    parties: {
      merchant: async (merchantId) =>
        merchantId === 'mch_1' ? { name: 'Acme Books', email: 'billing@acme.example' } : undefined,
      customer: async () => ({ name: 'Ada Lovelace', email: 'ada@example.com' }),
    },
    renderer: new PdfkitInvoiceRenderer(),
    store,
  });
}

describe('Invoice documents: the PDF', () => {
  it('renders the merchant, the number, the dates, the customer, each line and the totals', async () => {
    // Act
    const pdf = await documents().pdf(tenant, anInvoice());

    // Assert
    expect(Buffer.from(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(pdf);
    for (const expected of [
      'Acme Books',
      'billing@acme.example',
      'ACME-0001',
      '2026-12-07',
      '2027-01-06',
      'Ada Lovelace',
      'ada@example.com',
      'Gold plan',
      'Setup fee',
      '$10.00',
      '$20.00',
      '$30.00',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it.each([
    ['JPY', 500, '¥500'],
    ['KWD', 1000, 'KWD 1.000'],
  ])('shows %s amounts in the currency’s format', async (currency, amount, expected) => {
    // Arrange
    const invoice = anInvoice({
      currency,
      lines: [
        { lineId: 'il_1', priceId: null, description: 'Ticket', quantity: 1, unitAmount: amount, amount },
      ],
      subtotal: amount,
      total: amount,
      amountDue: amount,
    });

    // Act
    const text = await pdfText(await documents().pdf(tenant, invoice));

    // Assert
    expect(text).toContain(expected);
  });

  it('renders the same bytes for the same invoice (the creation date is its finalization)', async () => {
    // Act
    const first = await documents().pdf(tenant, anInvoice());
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await documents().pdf(tenant, anInvoice());

    // Assert
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
  });

  it('renders once and then reads the stored PDF', async () => {
    // Arrange
    const store = new MemoryPdfs();
    const subject = documents(store);

    // Act
    const first = await subject.pdf(tenant, anInvoice());
    const second = await subject.pdf(tenant, anInvoice({ status: 'paid' }));

    // Assert
    expect(store.puts).toBe(1);
    expect(second).toBe(first);
  });

  it('has none for a draft, and stores nothing', async () => {
    // Arrange
    const store = new MemoryPdfs();
    const draft = anInvoice({ status: 'draft', number: null, finalizedAt: null, dueDate: null });

    // Act & Assert
    await expect(documents(store).pdf(tenant, draft)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(store.puts).toBe(0);
  });

  it('serves the tenant’s own invoice only, named by its number', async () => {
    // Arrange
    const invoices = {
      get: async (asked: Tenant, invoiceId: string): Promise<Invoice | undefined> =>
        asked.merchantId === 'mch_1' && invoiceId === 'in_1' ? anInvoice() : undefined,
    };
    const deps = { invoices, documents: documents() };

    // Act
    const own = await getInvoicePdf(tenant, 'in_1', deps);

    // Assert
    expect(own.fileName).toBe('ACME-0001.pdf');
    await expect(getInvoicePdf({ merchantId: 'mch_2', mode: 'test' }, 'in_1', deps)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
