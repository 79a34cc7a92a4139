import * as z from 'zod/mini';
import { INVOICE_STATUSES } from '../../domain/invoice.js';
import { listOf } from './list.js';

const int = () => z.number().check(z.int());
const epochSeconds = () => int().register(z.globalRegistry, { description: 'Epoch seconds' });
const nullableEpoch = () => z.nullable(epochSeconds());

export const InvoiceIdParams = z.object({
  invoiceId: z.string().check(z.regex(/^in_[A-Za-z0-9]{1,64}$/, 'unknown invoice id')),
});

const customerId = () =>
  z.string().check(z.regex(/^cus_[A-Za-z0-9]{1,64}$/, 'must be a customer id (cus_…)'));

/** One line: a price (`price`, `quantity`) or an ad hoc amount (`amount`, `description`). */
const InvoiceItem = z
  .strictObject({
    price: z.optional(z.string().check(z.regex(/^price_[A-Za-z0-9]{1,64}$/, 'must be a price id (price_…)'))),
    quantity: z.optional(int().check(z.minimum(1), z.maximum(10_000))),
    amount: z.optional(int().register(z.globalRegistry, { description: 'Minor units, ad hoc lines only' })),
    description: z.optional(z.string().check(z.minLength(1), z.maxLength(500))),
  })
  .check(
    z.refine((item) => (item.price === undefined) !== (item.amount === undefined), {
      message: 'either price, or amount with description',
    }),
    z.refine((item) => item.amount === undefined || item.description !== undefined, {
      message: 'an ad hoc line (amount) needs its description',
    }),
  );

export const CreateInvoiceRequest = z
  .strictObject({
    customer: customerId(),
    items: z.array(InvoiceItem).check(z.minLength(1), z.maxLength(100)),
    due_days: z.optional(int().check(z.minimum(0), z.maximum(365))).register(z.globalRegistry, {
      description: 'Days after finalization the invoice is due (default 30)',
    }),
    currency: z.optional(z.string()).register(z.globalRegistry, {
      description: "Needed only when every item is ad hoc; otherwise the prices' currency",
      example: 'USD',
    }),
  })
  .register(z.globalRegistry, { id: 'CreateInvoiceRequest' });

export const UpdateInvoiceRequest = z
  .strictObject({
    items: z
      .optional(z.array(InvoiceItem).check(z.minLength(1), z.maxLength(100)))
      .register(z.globalRegistry, {
        description: "Replace the draft's lines (the same item shapes as create)",
      }),
    due_days: z.optional(int().check(z.minimum(0), z.maximum(365))),
  })
  .register(z.globalRegistry, { id: 'UpdateInvoiceRequest' });

export const InvoiceActionRequest = z
  .strictObject({})
  .register(z.globalRegistry, { id: 'InvoiceActionRequest' });

export const PayInvoiceRequest = z
  .strictObject({
    payment_method: z.optional(
      z.string().check(z.regex(/^pm_[A-Za-z0-9_]{1,128}$/, 'must be a payment method id (pm_…)')),
    ),
  })
  .register(z.globalRegistry, { id: 'PayInvoiceRequest' });

export const ListInvoicesQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 10),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
  customer: z.optional(customerId()),
  status: z.optional(z.enum(INVOICE_STATUSES)),
  subscription: z.optional(z.string().check(z.regex(/^sub_[A-Za-z0-9]{1,64}$/, 'must be a subscription id'))),
});

const InvoiceLineResponse = z.object({
  id: z.string(),
  object: z.literal('line_item'),
  price: z.nullable(z.string()),
  description: z.nullable(z.string()),
  quantity: int(),
  unit_amount: int(),
  amount: int(),
  currency: z.string(),
  period: z.nullable(z.object({ start: epochSeconds(), end: epochSeconds() })),
});

export const InvoiceResponse = z
  .object({
    id: z.string(),
    object: z.literal('invoice'),
    number: z.nullable(z.string()),
    status: z.enum(INVOICE_STATUSES),
    customer: z.string(),
    subscription: z.nullable(z.string()),
    currency: z.string(),
    lines: listOf(InvoiceLineResponse, 'InvoiceLineList'),
    subtotal: int(),
    tax: int(),
    total: int(),
    amount_due: int(),
    amount_paid: int(),
    amount_remaining: int(),
    due_date: nullableEpoch(),
    overdue: z.boolean(),
    payment_intent: z.nullable(z.string()),
    attempt_count: int(),
    last_payment_error: z.nullable(
      z.object({ code: z.string(), decline_code: z.nullable(z.string()), message: z.string() }),
    ),
    invoice_pdf: z.nullable(z.string()).register(z.globalRegistry, {
      description: 'The absolute URL of the PDF once the invoice is finalized',
    }),
    status_transitions: z.object({
      finalized_at: nullableEpoch(),
      paid_at: nullableEpoch(),
      voided_at: nullableEpoch(),
    }),
    livemode: z.boolean(),
    created: epochSeconds(),
  })
  .register(z.globalRegistry, { id: 'Invoice' });

export const InvoiceList = listOf(InvoiceResponse, 'InvoiceList');
