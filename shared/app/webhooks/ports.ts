/**
 * What the webhook use cases need from the outside world: a queue that keeps each provider object's events in
 * order, and an inbox that remembers every event we were sent and what became of it.
 */
import type { ProviderEvent, ProviderName } from '../payments/ports.js';

/**
 * `received`: stored, not yet applied (or being applied); `processed`: applied, or noted; `ignored`: nothing
 * of ours to apply it to (the reason says why); `failed`: the last attempt failed (retried, then kept in the
 * dead-letter queue; a replay tries again).
 */
export type WebhookStatus = 'received' | 'processed' | 'ignored' | 'failed';
export const WEBHOOK_STATUSES: readonly WebhookStatus[] = ['received', 'processed', 'ignored', 'failed'];

/** Our record an event is about, found from the provider payment's metadata. */
export interface WebhookSubject {
  type: 'topup' | 'payment' | 'payment_intent' | 'payout';
  id: string;
}

export interface WebhookRecord {
  /** `<provider>:<provider event id>`: the inbox key and the queue's deduplication id. */
  eventId: string;
  provider: ProviderName;
  providerEventId: string;
  type: string;
  objectId: string;
  paymentId?: string;
  status: WebhookStatus;
  /** How often the queue handed it to the consumer: redeliveries and replays included. */
  deliveries: number;
  /** How many attempts to apply it failed. */
  failures: number;
  /** What applying it did: `topup_completed`, `payment_failed`, `dispute_noted`, `topup_unchanged`, ... */
  outcome?: string;
  /** Why it was ignored. */
  reason?: string;
  subject?: WebhookSubject;
  details?: Readonly<Record<string, string | number>>;
  /** The last failure's error name and message (our own words; never a provider's text). */
  lastError?: string;
  providerCreatedAt: string;
  receivedAt: string;
  updatedAt: string;
  settledAt?: string;
  /** The verified event as it came; a replay sends it again. */
  event: ProviderEvent;
}

export interface WebhookSettlement {
  status: 'processed' | 'ignored';
  outcome: string;
  reason?: string;
  subject?: WebhookSubject;
  details?: Readonly<Record<string, string | number>>;
  /** When the inbox may forget it (epoch seconds); kept for good without. */
  expiresAt?: number;
}

export interface WebhookPage {
  records: WebhookRecord[];
  /** Where the next page starts (an adapter position, not yet a client cursor). */
  after?: string;
}

export interface WebhookInbox {
  /**
   * Stores a new event as `received`, once (a conditional put). An event stored before is answered as it is
   * stored, with this delivery counted.
   */
  receive(event: ProviderEvent, at: string): Promise<{ record: WebhookRecord; isNew: boolean }>;
  get(eventId: string): Promise<WebhookRecord | undefined>;
  /**
   * Settles the event, only while it is received or failed (the first settlement wins); returns the record
   * as stored afterwards.
   */
  settle(eventId: string, settlement: WebhookSettlement, at: string): Promise<WebhookRecord>;
  /** Records a failed attempt, only while the event is received or failed. */
  fail(eventId: string, error: string, at: string): Promise<void>;
  /** Newest first (by the time we received them), of one status or of all. */
  list(query: { status?: WebhookStatus; limit: number; after?: string }): Promise<WebhookPage>;
}

export interface WebhookQueue {
  /**
   * Sends the event to the consumer, in order among the events of its provider object (`objectId`). The
   * same deduplication id again within the queue's window (five minutes) is dropped by the queue.
   */
  enqueue(event: ProviderEvent, deduplicationId: string): Promise<void>;
}

/** The inbox id of a provider event, unique across providers. */
export function webhookEventId(event: Pick<ProviderEvent, 'provider' | 'id'>): string {
  return `${event.provider}:${event.id}`;
}
