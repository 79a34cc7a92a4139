/**
 * In-memory fakes of the webhook ports, keeping their adapters' contracts (shared/adapters/dynamodb/
 * webhook-inbox.ts, shared/adapters/aws/webhook-queue.ts): the inbox stores an event once and counts every
 * delivery, settles only an open event, lists newest first across status partitions by one position; the
 * queue records what was sent and drops a deduplication id it has seen.
 */
import type {
  PaymentProvider,
  ProviderEvent,
  ProviderPayment,
  ProviderRefund,
} from '../../shared/app/ports.js';
import {
  WEBHOOK_STATUSES,
  type WebhookInbox,
  type WebhookPage,
  type WebhookQueue,
  type WebhookRecord,
  type WebhookSettlement,
  type WebhookStatus,
  webhookEventId,
} from '../../shared/app/webhooks/ports.js';
import { PaymentDeclinedError } from '../../shared/domain/provider-errors.js';

function roundTrip(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const OPEN: readonly WebhookStatus[] = ['received', 'failed'];

export class InMemoryWebhookInbox implements WebhookInbox {
  readonly #byId = new Map<string, WebhookRecord & { expiresAt?: number }>();

  async receive(event: ProviderEvent, at: string): Promise<{ record: WebhookRecord; isNew: boolean }> {
    await roundTrip();
    const eventId = webhookEventId(event);
    const stored = this.#byId.get(eventId);
    if (stored !== undefined) {
      stored.deliveries += 1;
      return { record: structuredClone(stored), isNew: false };
    }
    const record: WebhookRecord = {
      eventId,
      provider: event.provider,
      providerEventId: event.id,
      type: event.type,
      objectId: event.objectId,
      ...(event.paymentId === undefined ? {} : { paymentId: event.paymentId }),
      status: 'received',
      deliveries: 1,
      failures: 0,
      ...(event.details === undefined ? {} : { details: event.details }),
      providerCreatedAt: event.createdAt,
      receivedAt: at,
      updatedAt: at,
      event: structuredClone(event),
    };
    this.#byId.set(eventId, structuredClone(record));
    return { record, isNew: true };
  }

  async get(eventId: string): Promise<WebhookRecord | undefined> {
    await roundTrip();
    return this.peek(eventId);
  }

  async settle(eventId: string, settlement: WebhookSettlement, at: string): Promise<WebhookRecord> {
    await roundTrip();
    const current = this.#byId.get(eventId);
    if (current === undefined) throw new Error(`No webhook event ${eventId}`);
    if (!OPEN.includes(current.status)) return structuredClone(current);
    const next = { ...current, ...structuredClone(settlement), settledAt: at, updatedAt: at };
    this.#byId.set(eventId, next);
    return structuredClone(next);
  }

  async fail(eventId: string, error: string, at: string): Promise<void> {
    await roundTrip();
    const current = this.#byId.get(eventId);
    if (current === undefined || !OPEN.includes(current.status)) return;
    this.#byId.set(eventId, {
      ...current,
      status: 'failed',
      failures: current.failures + 1,
      lastError: error,
      updatedAt: at,
    });
  }

  async list(query: { status?: WebhookStatus; limit: number; after?: string }): Promise<WebhookPage> {
    await roundTrip();
    const statuses = query.status === undefined ? WEBHOOK_STATUSES : [query.status];
    const after = query.after;
    const matching = [...this.#byId.values()]
      .filter((record) => statuses.includes(record.status))
      .filter((record) => after === undefined || position(record) < after)
      .sort((a, b) => (position(a) < position(b) ? 1 : -1));
    const records = matching.slice(0, query.limit);
    const last = records.at(-1);
    return {
      records: records.map((record) => structuredClone(record)),
      ...(matching.length > query.limit && last !== undefined ? { after: position(last) } : {}),
    };
  }

  /** The stored record (with the expiry the adapter would store), without a round trip. */
  peek(eventId: string): (WebhookRecord & { expiresAt?: number }) | undefined {
    const record = this.#byId.get(eventId);
    return record === undefined ? undefined : structuredClone(record);
  }

  all(): WebhookRecord[] {
    return [...this.#byId.values()].map((record) => structuredClone(record));
  }
}

function position(record: WebhookRecord): string {
  return `${record.receivedAt}#${record.eventId}`;
}

export interface QueuedEvent {
  event: ProviderEvent;
  groupId: string;
  deduplicationId: string;
}

/** Records what is sent; a deduplication id seen before is dropped, as SQS FIFO does within its window. */
export class RecordingWebhookQueue implements WebhookQueue {
  readonly sent: QueuedEvent[] = [];
  readonly #seen = new Set<string>();

  async enqueue(event: ProviderEvent, deduplicationId: string): Promise<void> {
    await roundTrip();
    if (this.#seen.has(deduplicationId)) return;
    this.#seen.add(deduplicationId);
    this.sent.push({ event: structuredClone(event), groupId: event.objectId, deduplicationId });
  }
}

/** The provider's payments as a test sets them: what `retrievePayment` answers now. */
export class ScriptedProviderPayments
  implements Pick<PaymentProvider, 'retrievePayment' | 'confirmPayment' | 'retrieveRefund'>
{
  readonly retrieved: string[] = [];
  readonly #refunds = new Map<string, ProviderRefund>();

  /** A refund as the provider holds it now. */
  setRefund(refund: ProviderRefund): this {
    this.#refunds.set(refund.id, { ...refund });
    return this;
  }

  async retrieveRefund(_paymentId: string, refundId: string): Promise<ProviderRefund> {
    await roundTrip();
    const refund = this.#refunds.get(refundId);
    if (refund === undefined) throw new Error(`No such refund: ${refundId}`);
    return { ...refund };
  }

  /** `<payment id> <idempotency key>` of each confirmation asked for. */
  readonly confirmed: string[] = [];
  readonly #payments = new Map<string, ProviderPayment>();
  /** Payments whose confirmation the payer's funding refuses (as PayPal declines a capture). */
  readonly #declined = new Set<string>();

  set(payment: ProviderPayment): this {
    this.#payments.set(payment.id, { ...payment });
    return this;
  }

  declineConfirmationOf(paymentId: string): this {
    this.#declined.add(paymentId);
    return this;
  }

  async retrievePayment(paymentId: string): Promise<ProviderPayment> {
    this.retrieved.push(paymentId);
    await roundTrip();
    const payment = this.#payments.get(paymentId);
    if (payment === undefined) throw new Error(`No such payment: ${paymentId}`);
    return { ...payment };
  }

  /** Confirms a payment waiting for it (as PayPal captures an approved order): it succeeds in full. */
  async confirmPayment(paymentId: string, idempotencyKey: string): Promise<ProviderPayment> {
    this.confirmed.push(`${paymentId} ${idempotencyKey}`);
    await roundTrip();
    const payment = this.#payments.get(paymentId);
    if (payment === undefined) throw new Error(`No such payment: ${paymentId}`);
    if (payment.status === 'requires_confirmation' && this.#declined.has(paymentId)) {
      this.#payments.set(paymentId, {
        ...payment,
        status: 'requires_payment_method',
        failureCode: 'generic_decline',
      });
      throw new PaymentDeclinedError('generic_decline');
    }
    if (payment.status === 'requires_confirmation') {
      this.#payments.set(paymentId, { ...payment, status: 'succeeded', amountReceived: payment.amount });
    }
    return { ...(this.#payments.get(paymentId) ?? payment) };
  }
}
