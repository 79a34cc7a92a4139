/**
 * The invoices feature's ports: where invoices are kept (the merchant's tenant partition; every change a
 * conditional write with its event in the outbox), and the tenant's invoice-number counter advanced in the
 * same transaction that numbers an invoice.
 */
import type { Tenant } from '../../domain/customer.js';
import type { DomainEventDetail } from '../../domain/events.js';
import type { Invoice, InvoiceStatus } from '../../domain/invoice.js';
import type { Page, PageQuery } from '../merchant-customers/ports.js';

export type InvoiceEventType =
  | 'invoice.created'
  | 'invoice.finalized'
  | 'invoice.paid'
  | 'invoice.payment_failed'
  | 'invoice.voided'
  | 'invoice.marked_uncollectible';

export interface InvoiceEvent {
  type: InvoiceEventType;
  detail: DomainEventDetail<InvoiceEventType>;
}

export interface InvoiceListQuery extends PageQuery {
  customerId?: string;
  status?: InvoiceStatus;
  subscriptionId?: string;
}

export interface InvoiceStore {
  /** Stores a new invoice with its `invoice.created`; one stored under its id already is returned as it is. */
  create(invoice: Invoice, event: InvoiceEvent): Promise<Invoice>;
  get(tenant: Tenant, invoiceId: string): Promise<Invoice | undefined>;
  /** Newest first, with the filters given. */
  list(tenant: Tenant, query: InvoiceListQuery): Promise<Page<Invoice>>;
  /**
   * Numbers the draft `invoice`: the tenant's counter advances from the value read to the next in ONE
   * transaction with the invoice's change (conditional on it still being the draft read) and its event, so
   * numbers have no gaps and no duplicates; a lost race on the counter reads again. `finalize` builds the
   * finalized invoice and its event from the sequence number. ConcurrentModificationError when the invoice
   * itself moved on.
   */
  finalize(
    invoice: Invoice,
    finalize: (sequence: number) => { invoice: Invoice; event: InvoiceEvent },
  ): Promise<Invoice>;
  /**
   * Replaces `before` by `after` on the condition that the stored invoice is still `before` (its status and
   * last change), with `event`, when given, in the same transaction. ConcurrentModificationError otherwise.
   */
  save(before: Invoice, after: Invoice, event?: InvoiceEvent): Promise<Invoice>;
}
