import { InvoiceHasNoPdfError, invoiceDocument } from '../../../../shared/app/invoice-documents/model.js';
import { formatAmount } from '../../../../shared/domain/money-format.js';
import { anInvoice } from '../../../support/invoices.js';

const merchant = { name: 'Acme Books', email: 'billing@acme.example' };
const customer = { name: 'Ada Lovelace', email: 'ada@example.com' };
const plain = (text: string) => text.replace(/\u00a0/g, ' ');

describe('Invoice documents: the document model', () => {
  it('shows the merchant, number, dates, customer, each line and the totals in the currency format', () => {
    // Act
    const model = invoiceDocument(anInvoice(), merchant, customer);

    // Assert
    expect(model).toEqual({
      number: 'ACME-0001',
      merchant,
      customer,
      issuedOn: '2026-12-07',
      dueOn: '2027-01-06',
      currency: 'USD',
      lines: [
        { description: 'Gold plan', quantity: '2', unitPrice: '$10.00', amount: '$20.00' },
        { description: 'Setup fee', quantity: '1', unitPrice: '$10.00', amount: '$10.00' },
      ],
      subtotal: '$30.00',
      tax: '$0.00',
      total: '$30.00',
      amountDue: '$30.00',
      createdAt: new Date('2026-12-07T21:00:00.000Z'),
    });
  });

  it.each([
    ['JPY', 500, '¥500'],
    ['KWD', 1000, 'KWD 1.000'],
    ['EUR', 123456, '€1,234.56'],
    ['GBP', 5, '£0.05'],
  ])('formats %s amounts with the currency’s own decimals and symbol', (currency, amount, expected) => {
    // Arrange
    const invoice = anInvoice({
      currency,
      lines: [{ lineId: 'il_1', priceId: null, description: 'x', quantity: 1, unitAmount: amount, amount }],
      subtotal: amount,
      tax: 0,
      total: amount,
      amountDue: amount,
    });

    // Act
    const model = invoiceDocument(invoice, merchant, customer);

    // Assert
    expect(plain(model.total)).toBe(expected);
    expect(plain(model.lines[0]?.unitPrice ?? '')).toBe(expected);
    expect(plain(formatAmount(amount, currency))).toBe(expected);
  });

  it('shows a subscription line’s period and a customer known by email only', () => {
    // Arrange
    const invoice = anInvoice({
      lines: [
        {
          lineId: 'il_1',
          priceId: 'price_1',
          description: 'Gold plan',
          quantity: 1,
          unitAmount: 3000,
          amount: 3000,
          period: { start: '2026-12-07T21:00:00.000Z', end: '2027-01-07T21:00:00.000Z' },
        },
      ],
    });

    // Act
    const model = invoiceDocument(invoice, { name: 'Acme' }, { email: 'ada@example.com' });

    // Assert
    expect(model.lines[0]?.period).toBe('2026-12-07 – 2027-01-07');
    expect(model.customer).toEqual({ email: 'ada@example.com' });
    expect(model.merchant).toEqual({ name: 'Acme' });
  });

  it('refuses a draft: it has no number and no PDF (404, as Stripe’s draft has no invoice_pdf)', () => {
    // Arrange
    const draft = anInvoice({ status: 'draft', number: null, finalizedAt: null, dueDate: null });

    // Act & Assert
    expect(() => invoiceDocument(draft, merchant, customer)).toThrow(InvoiceHasNoPdfError);
    expect(() => invoiceDocument(draft, merchant, customer)).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
  });
});
