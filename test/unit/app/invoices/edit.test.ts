/** Editing a draft invoice (editInvoice): a conditional write on the draft read; a finalize that wins → 409. */

import { editInvoice } from '../../../../shared/app/invoices/invoices.js';
import type { InvoiceStore } from '../../../../shared/app/invoices/ports.js';
import { ConcurrentModificationError } from '../../../../shared/domain/errors.js';
import { type Invoice, lineOf, totalsOf } from '../../../../shared/domain/invoice.js';
import { CurrencyPolicy } from '../../../../shared/domain/money.js';

const tenant = { merchantId: 'mch_a', mode: 'test' } as const;
const at = '2026-12-01T10:00:00.000Z';
const lines = [lineOf({ lineId: 'il_1', priceId: null, description: 'Setup', quantity: 1, unitAmount: 999 })];
const draft: Invoice = {
  ...tenant,
  invoiceId: 'in_1',
  customerId: 'cus_1',
  subscriptionId: null,
  status: 'draft',
  number: null,
  currency: 'USD',
  lines,
  ...totalsOf(lines),
  dueDays: 30,
  dueDate: null,
  paymentIntentId: null,
  attemptCount: 0,
  lastPaymentError: null,
  createdAt: at,
  updatedAt: at,
  finalizedAt: null,
  paidAt: null,
  voidedAt: null,
};

/** A store whose invoice a finalize may change between the edit's read and its write. */
function store(raceTo?: Invoice): InvoiceStore & { stored: Invoice } {
  let reads = 0;
  const self = {
    stored: draft,
    create: async (invoice: Invoice) => invoice,
    get: async () => {
      reads += 1;
      if (reads === 2 && raceTo !== undefined) self.stored = raceTo;
      return self.stored;
    },
    list: async () => ({ items: [] }),
    finalize: async (invoice: Invoice) => invoice,
    save: async (before: Invoice, after: Invoice) => {
      if (raceTo !== undefined || before.updatedAt !== self.stored.updatedAt)
        throw new ConcurrentModificationError('Invoice');
      self.stored = after;
      return after;
    },
  };
  return self;
}

const deps = (invoices: InvoiceStore) => ({
  invoices,
  prices: { get: async () => undefined },
  currencies: CurrencyPolicy.fromList('USD,EUR'),
  clock: { now: () => new Date('2026-12-02T10:00:00.000Z') },
});

describe('editInvoice', () => {
  it('writes the draft with its new lines and totals, on the draft read', async () => {
    const invoices = store();
    const edited = await editInvoice(
      tenant,
      'in_1',
      { items: [{ amount: 1_500, description: 'Audit', quantity: 2 }], dueDays: 7 },
      deps(invoices),
    );
    expect(edited).toMatchObject({ status: 'draft', total: 3_000, amountDue: 3_000, dueDays: 7 });
    expect(invoices.stored).toEqual(edited);
  });

  it('answers 409 INVALID_STATE_TRANSITION when a finalize wins the race, leaving the invoice open', async () => {
    const open: Invoice = {
      ...draft,
      status: 'open',
      number: 'MCHA-0001',
      updatedAt: '2026-12-01T11:00:00Z',
    };
    const invoices = store(open);
    await expect(editInvoice(tenant, 'in_1', { dueDays: 3 }, deps(invoices))).rejects.toMatchObject({
      code: 'INVALID_STATE_TRANSITION',
      name: 'InvalidStateTransitionError',
    });
    expect(invoices.stored).toBe(open);
  });
});
