/**
 * Invoices on the single table (entities/invoice.ts), in the merchant's tenant partition. Every change is a
 * conditional replacement of the invoice as it was read (its status and last change) with its event in the
 * outbox, in one transaction. Finalizing advances the tenant's counter in that same transaction, on the
 * condition that it still holds the value read: numbers have no gaps and no duplicates, and a lost race reads
 * again. `paidWith` is the PaymentIntent store's companion: the invoice's move to `paid` and `invoice.paid`,
 * written in the transaction its PaymentIntent succeeds in.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { InvoiceEvent, InvoiceListQuery, InvoiceStore } from '../../app/invoices/ports.js';
import type { Page } from '../../app/merchant-customers/ports.js';
import type { Tenant } from '../../domain/customer.js';
import { ConcurrentModificationError } from '../../domain/errors.js';
import { canInvoice, type Invoice, paidInvoice } from '../../domain/invoice.js';
import type { PaymentIntent } from '../../domain/payment-intent.js';
import { indexPage } from './catalogue.js';
import { retryOnConflict } from './conflicts.js';
import { InvoiceEntity } from './entities/invoice.js';
import { ABSENT } from './entity.js';
import { invoiceCounterKey, invoiceKey } from './keys.js';
import type { TransactItem } from './ledger.js';
import { outboxPut } from './outbox.js';

/** Lost races on the counter before giving up (concurrent finalizations of one tenant wait their turn). */
const COUNTER_ATTEMPTS = 50;

export class DynamoDbInvoices implements InvoiceStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(invoice: Invoice, event: InvoiceEvent): Promise<Invoice> {
    try {
      await this.#transact([
        {
          Put: {
            TableName: this.tableName,
            Item: InvoiceEntity.toItem(invoice),
            ConditionExpression: ABSENT,
          },
        },
        this.#outbox(event),
      ]);
      return invoice;
    } catch (error) {
      if (!failedAt(error, 0)) throw error;
      const stored = await this.get(invoice, invoice.invoiceId);
      if (stored === undefined) throw error;
      return stored;
    }
  }

  async get(tenant: Tenant, invoiceId: string): Promise<Invoice | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: invoiceKey(tenant.merchantId, tenant.mode, invoiceId),
        ConsistentRead: true,
      }),
    );
    return item === undefined ? undefined : InvoiceEntity.fromItem(item);
  }

  list(tenant: Tenant, query: InvoiceListQuery): Promise<Page<Invoice>> {
    return indexPage(
      this.client,
      this.tableName,
      'INVOICES',
      tenant,
      query,
      InvoiceEntity,
      (id) => invoiceKey(tenant.merchantId, tenant.mode, id),
      { customerId: query.customerId, status: query.status, subscriptionId: query.subscriptionId },
    );
  }

  async finalize(
    invoice: Invoice,
    finalize: (sequence: number) => { invoice: Invoice; event: InvoiceEvent },
  ): Promise<Invoice> {
    const counterKey = invoiceCounterKey(invoice.merchantId, invoice.mode);
    for (let attempt = 1; ; attempt += 1) {
      const { Item: counter } = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: counterKey, ConsistentRead: true }),
      );
      const last = typeof counter?.last === 'number' ? counter.last : 0;
      const next = finalize(last + 1);
      const items: TransactItem[] = [
        this.#replace(invoice, next.invoice),
        {
          Put: {
            TableName: this.tableName,
            Item: { ...counterKey, type: 'InvoiceCounter', last: last + 1 },
            ...(counter === undefined
              ? { ConditionExpression: ABSENT }
              : {
                  ConditionExpression: '#last = :last',
                  ExpressionAttributeNames: { '#last': 'last' },
                  ExpressionAttributeValues: { ':last': last },
                }),
          },
        },
        this.#outbox(next.event),
      ];
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: items }));
        return next.invoice;
      } catch (error) {
        if (failedAt(error, 0)) throw new ConcurrentModificationError('Invoice');
        const lostRace = failedAt(error, 1) || isConflict(error);
        if (!lostRace || attempt >= COUNTER_ATTEMPTS) throw error;
        await sleep(Math.floor(Math.random() * 20 * Math.min(attempt, 5)));
      }
    }
  }

  async save(before: Invoice, after: Invoice, event?: InvoiceEvent): Promise<Invoice> {
    const items = [this.#replace(before, after), ...(event === undefined ? [] : [this.#outbox(event)])];
    try {
      await this.#transact(items);
      return after;
    } catch (error) {
      if (failedAt(error, 0)) throw new ConcurrentModificationError('Invoice');
      throw error;
    }
  }

  /**
   * The PaymentIntent store's companion items for an intent that succeeds: when it is the current charge of
   * a payable invoice of its tenant (`metadata.invoice`, and the invoice names this intent), the invoice's
   * move to `paid` (conditional on it being as read) and `invoice.paid`. Nothing for any other intent.
   */
  async paidWith(
    intent: PaymentIntent,
    eventOf: (invoice: Invoice) => InvoiceEvent,
  ): Promise<TransactItem[]> {
    const invoiceId = intent.metadata.invoice;
    if (invoiceId === undefined) return [];
    const invoice = await this.get(intent, invoiceId);
    if (invoice === undefined || invoice.paymentIntentId !== intent.intentId || !canInvoice(invoice, 'pay'))
      return [];
    const paid = paidInvoice(invoice, intent.intentId, intent.updatedAt);
    return [this.#replace(invoice, paid), this.#outbox(eventOf(paid))];
  }

  #replace(before: Invoice, after: Invoice): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: InvoiceEntity.toItem(after),
        ConditionExpression: '#status = :status AND #attempts = :attempts AND #updatedAt = :updatedAt',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#attempts': 'attemptCount',
          '#updatedAt': 'updatedAt',
        },
        ExpressionAttributeValues: {
          ':status': before.status,
          ':attempts': before.attemptCount,
          ':updatedAt': before.updatedAt,
        },
      },
    };
  }

  #outbox(event: InvoiceEvent): TransactItem {
    return outboxPut(this.tableName, event.type, event.detail, new Date(event.detail.occurredAt));
  }

  async #transact(items: TransactItem[]): Promise<void> {
    await retryOnConflict(() => this.client.send(new TransactWriteCommand({ TransactItems: items })));
  }
}

function failedAt(error: unknown, index: number): boolean {
  return (
    error instanceof TransactionCanceledException &&
    error.CancellationReasons?.[index]?.Code === 'ConditionalCheckFailed'
  );
}

function isConflict(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict')
  );
}
