/**
 * Invoices (API.md "Billing and checkout"): a draft made of lines from the tenant's prices or ad hoc, in one
 * currency; finalized (`open`: numbered without gaps, due after `due_days`); then paid (pay.ts), void or
 * uncollectible. Writes need `billing:write`, reads `billing:read`; every change is a conditional write with
 * its `invoice.*` event (the outbox), whose `object` is the invoice as the merchant API shows it.
 */
import type { Tenant } from '../../domain/customer.js';
import { ConcurrentModificationError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { domainEventId } from '../../domain/events.js';
import {
  assertInvoiceAction,
  DEFAULT_DUE_DAYS,
  editedInvoice,
  finalizedInvoice,
  type Invoice,
  type InvoiceLine,
  type InvoiceStatus,
  invoiceNumber,
  lineOf,
  totalsOf,
  uncollectibleInvoice,
  voidedInvoice,
} from '../../domain/invoice.js';
import { assertScope, type MerchantCaller } from '../../domain/merchant.js';
import { type CurrencyPolicy, parseAmount } from '../../domain/money.js';
import type { PriceReader } from '../billing/ports.js';
import type { CursorCodec } from '../cursor.js';
import type { IntentCustomers } from '../payment-intents/ports.js';
import type { Clock, Ids } from '../ports.js';
import type { InvoiceEvent, InvoiceEventType, InvoiceStore } from './ports.js';

export interface InvoiceDeps {
  invoices: InvoiceStore;
  prices: PriceReader;
  customers: IntentCustomers;
  currencies: CurrencyPolicy;
  ids: Ids;
  clock: Clock;
  /** The invoice as the merchant API shows it: each event carries it (`object`) for the merchant's webhooks. */
  objectView?: (invoice: Invoice) => Record<string, unknown>;
}

export type InvoiceItem =
  | { price: string; quantity?: number | undefined }
  | { amount: unknown; description: string; quantity?: number | undefined };

export interface NewInvoice {
  customerId: string;
  items: readonly InvoiceItem[];
  currency?: string | undefined;
  dueDays?: number | undefined;
  subscriptionId?: string | undefined;
  period?: { start: string; end: string } | undefined;
}

export function tenantOf(caller: Pick<MerchantCaller, 'merchantId' | 'mode'>): Tenant {
  return { merchantId: caller.merchantId, mode: caller.mode };
}

/** The caller's tenant once its key is found to have `scope` (billing:read, billing:write), else 403. */
export function tenantWith(caller: MerchantCaller, scope: 'billing:read' | 'billing:write'): Tenant {
  assertScope(caller, scope);
  return tenantOf(caller);
}

/** The `invoice.*` event of a change, its id unique per change (a payment failure per attempt). */
export function invoiceEvent(
  type: InvoiceEventType,
  invoice: Invoice,
  objectView?: (invoice: Invoice) => Record<string, unknown>,
): InvoiceEvent {
  const eventId =
    type === 'invoice.payment_failed'
      ? domainEventId(type, invoice.invoiceId, String(invoice.attemptCount))
      : domainEventId(type, invoice.invoiceId);
  return {
    type,
    detail: {
      eventId,
      occurredAt: invoice.updatedAt,
      merchantId: invoice.merchantId,
      mode: invoice.mode,
      invoiceId: invoice.invoiceId,
      customerId: invoice.customerId,
      ...(invoice.subscriptionId === null ? {} : { subscriptionId: invoice.subscriptionId }),
      status: invoice.status,
      ...(invoice.number === null ? {} : { number: invoice.number }),
      total: invoice.total,
      amountDue: invoice.amountDue,
      currency: invoice.currency,
      ...(type === 'invoice.payment_failed' && invoice.lastPaymentError !== null
        ? { failureCode: invoice.lastPaymentError.declineCode ?? invoice.lastPaymentError.code }
        : {}),
      ...(objectView === undefined ? {} : { object: objectView(invoice) }),
    },
  };
}

/**
 * 1. `currency` and the ad hoc amounts first (UNSUPPORTED_CURRENCY, INVALID_AMOUNT), before any lookup; the
 *    customer must be the tenant's (400 naming `customer`); each price too (400 naming the item).
 * 2. Lines from prices (one-time or recurring, `quantity` default 1) or ad hoc (`amount`, `description`);
 *    all in one currency (the prices', or `currency` for ad hoc lines only), else 400.
 * 3. A draft, due `due_days` (default 30) after finalization, stored with `invoice.created`; the id derives
 *    from `idempotencyKey`, so a retry finds the first draft.
 */
export async function createInvoice(
  tenant: Tenant,
  input: NewInvoice,
  idempotencyKey: string,
  deps: InvoiceDeps,
): Promise<Invoice> {
  // The body's own money first (UNSUPPORTED_CURRENCY, INVALID_AMOUNT), before any lookup, as every route does.
  if (input.currency !== undefined) deps.currencies.accept(input.currency);
  for (const item of input.items) if (!('price' in item)) parseAmount(item.amount);
  const customer = await deps.customers.find(tenant, input.customerId);
  if (customer === undefined) throw invalid('customer', `No such customer: ${input.customerId.slice(0, 64)}`);
  if (input.items.length === 0) throw invalid('items', 'An invoice has at least one item');
  const invoiceId =
    idempotencyKey === ''
      ? deps.ids.next('in_')
      : deps.ids.derive('in_', tenant.merchantId, tenant.mode, idempotencyKey);
  const existing = await deps.invoices.get(tenant, invoiceId);
  if (existing !== undefined) return existing;
  const { lines, currency } = await linesOf(tenant, invoiceId, input, deps);
  const at = deps.clock.now().toISOString();
  const invoice: Invoice = {
    ...tenant,
    invoiceId,
    customerId: customer.customerId,
    subscriptionId: input.subscriptionId ?? null,
    status: 'draft',
    number: null,
    currency,
    lines,
    ...totalsOf(lines),
    dueDays: input.dueDays ?? DEFAULT_DUE_DAYS,
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
  return deps.invoices.create(invoice, invoiceEvent('invoice.created', invoice, deps.objectView));
}

async function linesOf(
  tenant: Tenant,
  invoiceId: string,
  input: NewInvoice,
  deps: Pick<InvoiceDeps, 'prices' | 'currencies'>,
): Promise<{ lines: InvoiceLine[]; currency: string }> {
  const currencies = new Set<string>();
  if (input.currency !== undefined) currencies.add(deps.currencies.accept(input.currency));
  const lines: InvoiceLine[] = [];
  for (const [index, item] of input.items.entries()) {
    const lineId = `il_${invoiceId.slice(3)}_${index + 1}`;
    const quantity = item.quantity ?? 1;
    const period = input.period === undefined ? {} : { period: input.period };
    if ('price' in item) {
      const price = await deps.prices.get(tenant, item.price);
      if (price === undefined)
        throw invalid(`items.${index}.price`, `No such price: ${item.price.slice(0, 64)}`);
      currencies.add(price.currency);
      lines.push(
        lineOf({
          lineId,
          priceId: price.priceId,
          description: '',
          quantity,
          unitAmount: price.unitAmount,
          ...period,
        }),
      );
    } else {
      const unitAmount = parseAmount(item.amount);
      lines.push(lineOf({ lineId, priceId: null, description: item.description, quantity, unitAmount }));
    }
  }
  const [currency, ...others] = [...currencies];
  if (currency === undefined) throw invalid('currency', 'An invoice of ad hoc items only names its currency');
  if (others.length > 0) throw invalid('items', 'All of an invoice’s items are in one currency');
  return { lines, currency };
}

function invalid(path: string, message: string): ValidationError {
  return new ValidationError(message, { issues: [{ path, message }] });
}

export async function getInvoice(
  caller: MerchantCaller,
  invoiceId: string,
  deps: Pick<InvoiceDeps, 'invoices'>,
): Promise<Invoice> {
  assertScope(caller, 'billing:read');
  return invoiceOf(tenantOf(caller), invoiceId, deps);
}

export async function invoiceOf(
  tenant: Tenant,
  invoiceId: string,
  deps: Pick<InvoiceDeps, 'invoices'>,
): Promise<Invoice> {
  const invoice = await deps.invoices.get(tenant, invoiceId);
  if (invoice === undefined) throw new NotFoundError('Invoice');
  return invoice;
}

/** One page of the tenant's invoices, newest first, by customer, status and/or subscription when asked. */
export async function listInvoices(
  caller: MerchantCaller,
  query: {
    limit: number;
    cursor?: string | undefined;
    customer?: string | undefined;
    status?: InvoiceStatus | undefined;
    subscription?: string | undefined;
  },
  deps: Pick<InvoiceDeps, 'invoices'> & { cursors: CursorCodec },
): Promise<{ invoices: Invoice[]; nextCursor: string | null }> {
  assertScope(caller, 'billing:read');
  const filter = `${query.customer ?? ''}:${query.status ?? ''}:${query.subscription ?? ''}`;
  const list = `invoices:${caller.merchantId}:${caller.mode}:${filter}`;
  const after = query.cursor === undefined ? undefined : deps.cursors.decode(list, query.cursor);
  const page = await deps.invoices.list(tenantOf(caller), {
    limit: query.limit,
    ...(after === undefined ? {} : { after }),
    ...(query.customer === undefined ? {} : { customerId: query.customer }),
    ...(query.status === undefined ? {} : { status: query.status }),
    ...(query.subscription === undefined ? {} : { subscriptionId: query.subscription }),
  });
  return {
    invoices: page.items,
    nextCursor: page.after === undefined ? null : deps.cursors.encode(list, page.after),
  };
}

/**
 * A draft edited (Stripe's update): `items` replace its lines (the create rules, in the invoice's currency)
 * and/or `dueDays`; a conditional write on it still being the draft read, with no event (Stripe sends
 * `invoice.updated`, which is not among ours). Not a draft, or finalized meanwhile → 409, nothing changed.
 */
export async function editInvoice(
  tenant: Tenant,
  invoiceId: string,
  edit: { items?: readonly InvoiceItem[] | undefined; dueDays?: number | undefined },
  deps: Pick<InvoiceDeps, 'invoices' | 'prices' | 'currencies' | 'clock'>,
): Promise<Invoice> {
  if (edit.items !== undefined)
    for (const item of edit.items) if (!('price' in item)) parseAmount(item.amount);
  const invoice = await invoiceOf(tenant, invoiceId, deps);
  assertInvoiceAction(invoice, 'edit');
  const lines =
    edit.items === undefined
      ? undefined
      : (
          await linesOf(
            tenant,
            invoiceId,
            {
              customerId: invoice.customerId,
              items: edit.items,
              currency: invoice.currency,
              ...(invoice.lines[0]?.period === undefined ? {} : { period: invoice.lines[0].period }),
            },
            deps,
          )
        ).lines;
  const after = editedInvoice(invoice, { lines, dueDays: edit.dueDays }, deps.clock.now().toISOString());
  try {
    return await deps.invoices.save(invoice, after);
  } catch (error) {
    // Finalized (or edited) meanwhile: a draft no longer, or not the draft this edit was made from.
    if (!(error instanceof ConcurrentModificationError)) throw error;
    assertInvoiceAction(await invoiceOf(tenant, invoiceId, deps), 'edit');
    throw error;
  }
}

/**
 * draft → open: numbered in the transaction that advances the tenant's counter (the store), due `dueDays`
 * from now, with `invoice.finalized`. An invoice already open is returned as it is (a retried finalize);
 * any other status is 409 INVALID_STATE_TRANSITION.
 */
export async function finalizeInvoice(
  tenant: Tenant,
  invoiceId: string,
  deps: Pick<InvoiceDeps, 'invoices' | 'clock' | 'objectView'>,
): Promise<Invoice> {
  const invoice = await invoiceOf(tenant, invoiceId, deps);
  if (invoice.status === 'open' && invoice.number !== null) return invoice;
  try {
    return await deps.invoices.finalize(invoice, (sequence) => {
      const finalized = finalizedInvoice(
        invoice,
        invoiceNumber(tenant.merchantId, sequence),
        deps.clock.now(),
      );
      return { invoice: finalized, event: invoiceEvent('invoice.finalized', finalized, deps.objectView) };
    });
  } catch (error) {
    // A twin finalized it meanwhile: its number stands.
    if (!(error instanceof ConcurrentModificationError)) throw error;
    const now = await invoiceOf(tenant, invoiceId, deps);
    if (now.number !== null) return now;
    throw error;
  }
}

/** open | uncollectible → void, with `invoice.voided`; 409 from any other status. */
export async function voidInvoice(
  tenant: Tenant,
  invoiceId: string,
  deps: Pick<InvoiceDeps, 'invoices' | 'clock' | 'objectView'>,
): Promise<Invoice> {
  const invoice = await invoiceOf(tenant, invoiceId, deps);
  const after = voidedInvoice(invoice, deps.clock.now().toISOString());
  return deps.invoices.save(invoice, after, invoiceEvent('invoice.voided', after, deps.objectView));
}

/** open → uncollectible (Stripe's mark_uncollectible), with `invoice.marked_uncollectible`; 409 otherwise. */
export async function markInvoiceUncollectible(
  tenant: Tenant,
  invoiceId: string,
  deps: Pick<InvoiceDeps, 'invoices' | 'clock' | 'objectView'>,
): Promise<Invoice> {
  const invoice = await invoiceOf(tenant, invoiceId, deps);
  if (invoice.status === 'uncollectible') return invoice;
  const after = uncollectibleInvoice(invoice, deps.clock.now().toISOString());
  return deps.invoices.save(
    invoice,
    after,
    invoiceEvent('invoice.marked_uncollectible', after, deps.objectView),
  );
}
