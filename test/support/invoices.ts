/** An invoice as the invoices feature stores it, for the invoice documents' and notifications' unit tests. */
import type { Invoice } from '../../shared/domain/invoice.js';

export function anInvoice(overrides: Partial<Invoice> = {}): Invoice {
  return {
    merchantId: 'mch_1',
    mode: 'test',
    invoiceId: 'in_1',
    customerId: 'cus_1',
    subscriptionId: null,
    status: 'open',
    number: 'ACME-0001',
    currency: 'USD',
    lines: [
      {
        lineId: 'il_1',
        priceId: 'price_1',
        description: 'Gold plan',
        quantity: 2,
        unitAmount: 1000,
        amount: 2000,
      },
      {
        lineId: 'il_2',
        priceId: null,
        description: 'Setup fee',
        quantity: 1,
        unitAmount: 1000,
        amount: 1000,
      },
    ],
    subtotal: 3000,
    tax: 0,
    total: 3000,
    amountPaid: 0,
    amountDue: 3000,
    dueDays: 30,
    dueDate: '2027-01-06T21:00:00.000Z',
    paymentIntentId: null,
    attemptCount: 0,
    lastPaymentError: null,
    createdAt: '2026-12-07T20:00:00.000Z',
    updatedAt: '2026-12-07T21:00:00.000Z',
    finalizedAt: '2026-12-07T21:00:00.000Z',
    paidAt: null,
    voidedAt: null,
    ...overrides,
  };
}

/**
 * Everything a PDF's text holds, every run of white space (a wrapped line, the non-breaking space of
 * `KWD 1.000`) read as one space.
 */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  const { PDFParse } = await import('pdf-parse');
  const parser = new PDFParse({ data: Buffer.from(pdf) });
  try {
    return (await parser.getText()).text.replace(/[\s\u00a0]+/g, ' ');
  } finally {
    await parser.destroy();
  }
}
