import {
  assertInvoiceAction,
  editedInvoice,
  finalizedInvoice,
  type Invoice,
  type InvoiceStatus,
  invoiceNumber,
  isOverdue,
  lineOf,
  paidInvoice,
  totalsOf,
  uncollectibleInvoice,
  voidedInvoice,
} from '../../../shared/domain/invoice.js';
import { priceType } from '../../../shared/domain/price.js';

const at = '2026-12-01T10:00:00.000Z';

function draft(overrides: Partial<Invoice> = {}): Invoice {
  const lines = [
    lineOf({ lineId: 'il_1', priceId: 'price_a', description: '', quantity: 3, unitAmount: 1_250 }),
    lineOf({ lineId: 'il_2', priceId: null, description: 'Setup', quantity: 1, unitAmount: 999 }),
  ];
  return {
    merchantId: 'mch_demo',
    mode: 'test',
    invoiceId: 'in_1',
    customerId: 'cus_1',
    subscriptionId: null,
    status: 'draft',
    number: null,
    currency: 'USD',
    lines,
    ...totalsOf(lines),
    dueDays: 14,
    dueDate: null,
    paymentIntentId: null,
    attemptCount: 0,
    lastPaymentError: null,
    createdAt: at,
    updatedAt: at,
    finalizedAt: null,
    paidAt: null,
    voidedAt: null,
    ...overrides,
  };
}

describe('invoice totals', () => {
  it('adds quantity × unit amount per line; no tax, so the total is the subtotal and all of it is due', () => {
    const invoice = draft();
    expect(invoice.lines.map((line) => line.amount)).toEqual([3_750, 999]);
    expect(totalsOf(invoice.lines)).toEqual({
      subtotal: 4_749,
      tax: 0,
      total: 4_749,
      amountDue: 4_749,
      amountPaid: 0,
    });
  });
});

describe('invoice transitions', () => {
  const now = new Date('2026-12-07T12:00:00.000Z');

  it('finalizes a draft: open, numbered, due its due days later', () => {
    const open = finalizedInvoice(draft(), 'MCHDEMO-0007', now);
    expect(open).toMatchObject({
      status: 'open',
      number: 'MCHDEMO-0007',
      finalizedAt: now.toISOString(),
      dueDate: '2026-12-21T12:00:00.000Z',
    });
  });

  it('pays an open invoice in full and voids or writes off only an open one', () => {
    const open = finalizedInvoice(draft(), 'MCHDEMO-0001', now);
    expect(paidInvoice(open, 'pi_1', at)).toMatchObject({
      status: 'paid',
      amountPaid: 4_749,
      amountDue: 0,
      paymentIntentId: 'pi_1',
      paidAt: at,
    });
    expect(voidedInvoice(open, at)).toMatchObject({ status: 'void', voidedAt: at });
    expect(uncollectibleInvoice(open, at).status).toBe('uncollectible');
  });

  it.each<[InvoiceStatus, string]>([
    ['open', 'finalize'],
    ['paid', 'finalize'],
    ['draft', 'pay'],
    ['paid', 'pay'],
    ['void', 'pay'],
    ['paid', 'void'],
    ['draft', 'void'],
    ['uncollectible', 'mark_uncollectible'],
    ['open', 'edit'],
  ])('refuses from %s to %s with 409 INVALID_STATE_TRANSITION', (status, action) => {
    expect(() =>
      assertInvoiceAction({ status }, action as Parameters<typeof assertInvoiceAction>[1]),
    ).toThrow(expect.objectContaining({ code: 'INVALID_STATE_TRANSITION' }));
  });

  it('still takes payment (or a void) for an uncollectible invoice, as Stripe does', () => {
    expect(() => assertInvoiceAction({ status: 'uncollectible' }, 'pay')).not.toThrow();
    expect(() => assertInvoiceAction({ status: 'uncollectible' }, 'void')).not.toThrow();
  });
});

describe('editing an invoice', () => {
  const later = '2026-12-02T10:00:00.000Z';

  it('replaces a draft’s lines and due days, its totals recomputed', () => {
    const line = lineOf({
      lineId: 'il_1',
      priceId: null,
      description: 'Audit',
      quantity: 2,
      unitAmount: 4_000,
    });
    const edited = editedInvoice(draft(), { lines: [line], dueDays: 7 }, later);
    expect(edited).toMatchObject({ status: 'draft', lines: [line], dueDays: 7, updatedAt: later });
    expect(edited).toMatchObject({ subtotal: 8_000, total: 8_000, amountDue: 8_000, amountPaid: 0 });
    expect(editedInvoice(draft(), { dueDays: 3 }, later)).toMatchObject({ total: 4_749, dueDays: 3 });
  });

  it.each<InvoiceStatus>(['open', 'paid', 'void', 'uncollectible'])('refuses once %s (409)', (status) => {
    expect(() => editedInvoice(draft({ status }), { dueDays: 3 }, later)).toThrow(
      expect.objectContaining({ code: 'INVALID_STATE_TRANSITION' }),
    );
  });
});

describe('invoice numbers and overdue', () => {
  it('numbers with the merchant prefix and a zero-padded sequence', () => {
    expect(invoiceNumber('mch_demo', 1)).toBe('MCHDEMO-0001');
    expect(invoiceNumber('mch_demo', 12_345)).toBe('MCHDEMO-12345');
    expect(invoiceNumber('mch_0123456789abcdef', 2)).toBe('MCH012345678-0002');
  });

  it('is overdue only when open (or uncollectible) past its due date', () => {
    const due = '2026-12-10T00:00:00.000Z';
    const before = new Date('2026-12-09T23:59:59.000Z');
    const after = new Date('2026-12-10T00:00:01.000Z');
    expect(isOverdue({ status: 'open', dueDate: due }, before)).toBe(false);
    expect(isOverdue({ status: 'open', dueDate: due }, after)).toBe(true);
    expect(isOverdue({ status: 'paid', dueDate: due }, after)).toBe(false);
    expect(isOverdue({ status: 'void', dueDate: due }, after)).toBe(false);
    expect(isOverdue({ status: 'draft', dueDate: null }, after)).toBe(false);
  });
});

describe('price type', () => {
  it('is recurring with an interval, one-time without', () => {
    expect(priceType({ recurring: { interval: 'month' } })).toBe('recurring');
    expect(priceType({ recurring: null })).toBe('one_time');
  });
});
