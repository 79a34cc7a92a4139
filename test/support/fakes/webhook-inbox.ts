/**
 * The webhook inbox in memory, keeping its adapter's contract (shared/adapters/dynamodb/webhook-inbox.ts):
 * it stores an event once and counts every delivery, settles only an open event, lists newest first across
 * status partitions by one position.
 */
import type { ProviderEvent } from '../../../shared/app/payments/ports.js';
import {
  WEBHOOK_STATUSES,
  type WebhookInbox,
  type WebhookPage,
  type WebhookRecord,
  type WebhookSettlement,
  type WebhookStatus,
  webhookEventId,
} from '../../../shared/app/webhooks/ports.js';
import { roundTrip } from './round-trip.js';

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
