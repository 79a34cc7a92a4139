import * as z from 'zod/mini';
import { INVOICE_STATUSES, type Invoice } from '../../../domain/invoice.js';
import { MODES } from '../../../domain/merchant.js';
import { defineEntity } from '../entity.js';
import { billingIndexKey, invoiceKey } from '../keys.js';
import type { SameType } from './exact.js';

const lineSchema = z.object({
  lineId: z.string(),
  priceId: z.nullable(z.string()),
  description: z.string(),
  quantity: z.number(),
  unitAmount: z.number(),
  amount: z.number(),
  period: z.exactOptional(z.object({ start: z.string(), end: z.string() })),
});

const invoiceSchema = z.object({
  merchantId: z.string(),
  mode: z.enum(MODES),
  invoiceId: z.string(),
  customerId: z.string(),
  subscriptionId: z.nullable(z.string()),
  status: z.enum(INVOICE_STATUSES),
  number: z.nullable(z.string()),
  currency: z.string(),
  lines: z.array(lineSchema),
  subtotal: z.number(),
  tax: z.number(),
  total: z.number(),
  amountPaid: z.number(),
  amountDue: z.number(),
  dueDays: z.number(),
  dueDate: z.nullable(z.string()),
  paymentIntentId: z.nullable(z.string()),
  attemptCount: z.number(),
  lastPaymentError: z.nullable(
    z.object({ code: z.string(), declineCode: z.nullable(z.string()), message: z.string() }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
  finalizedAt: z.nullable(z.string()),
  paidAt: z.nullable(z.string()),
  voidedAt: z.nullable(z.string()),
});

true satisfies SameType<z.output<typeof invoiceSchema>, Invoice>;

/** A merchant's invoice with its lines: `<tenant>` / `INVOICE#<id>`, listed newest first on GSI1. */
export const InvoiceEntity = defineEntity<Invoice>({
  type: 'Invoice',
  schema: invoiceSchema satisfies z.ZodMiniType<Invoice>,
  key: (i) => invoiceKey(i.merchantId, i.mode, i.invoiceId),
  indexes: (i) => billingIndexKey('INVOICES', i.merchantId, i.mode, i.createdAt, i.invoiceId),
});
