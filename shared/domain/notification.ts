/**
 * Notifications (API.md "Billing and checkout": Notifications): an email, SMS or push message a domain
 * event sends to a customer or a merchant's owner. Each one is a record of its own, keyed by the event,
 * the channel and the recipient, so a redelivered event finds the record of its first delivery and sends
 * nothing twice once it was sent; a provider that failed leaves it `failed`, with its attempts and the
 * last error, until a retry sends it.
 *
 * `to` (an email address, a phone number, a device endpoint) is personal data: it is stored and shown to
 * the merchant it belongs to, never logged.
 */
import type { DomainEventType } from './events.js';
import type { Mode } from './merchant.js';

export const NOTIFICATION_CHANNELS = ['email', 'sms', 'push'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * The domain events the notification rule routes to the notifier (shared/app/notifications/plan.ts says what
 * each sends). `merchant.updated` carries a review decision: the owner's approval or rejection email.
 */
export const NOTIFYING_EVENT_TYPES = [
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'refund.created',
  'refund.updated',
  'payout.paid',
  'payout.failed',
  'merchant.updated',
  'invoice.finalized',
  'invoice.paid',
  'invoice.payment_failed',
] as const satisfies readonly DomainEventType[];

export const NOTIFICATION_TEMPLATES = [
  'payment_receipt',
  'payment_failed',
  'refund_receipt',
  'payout_paid',
  'payout_failed',
  'merchant_approved',
  'merchant_rejected',
  'invoice_finalized',
  'invoice_receipt',
  'invoice_payment_failed',
] as const;
export type NotificationTemplate = (typeof NOTIFICATION_TEMPLATES)[number];

export interface Notification {
  notificationId: string;
  merchantId: string;
  mode: Mode;
  channel: NotificationChannel;
  /** Email address, E.164 phone number, or the device's push endpoint. */
  to: string;
  template: NotificationTemplate;
  /** The domain event type that asked for it (`payment_intent.succeeded`). */
  event: DomainEventType;
  /** The domain event's id (deterministic, see domainEventId). */
  eventId: string;
  status: NotificationStatus;
  attempts: number;
  lastError?: string;
  createdAt: string;
  updatedAt: string;
  sentAt?: string;
}

/** The parts a notification's deterministic id is derived from: one notification per event, channel and recipient. */
export function notificationIdParts(
  eventId: string,
  channel: NotificationChannel,
  to: string,
): readonly [string, string, string] {
  return [eventId, channel, to];
}

/** The rendered message of one notification. */
export type NotificationMessage =
  | {
      channel: 'email';
      to: string;
      subject: string;
      text: string;
      html: string;
      /** An invoice email's PDF. */
      attachments?: readonly { fileName: string; contentType: string; content: Uint8Array }[];
    }
  | { channel: 'sms'; to: string; text: string }
  | { channel: 'push'; to: string; title: string; body: string };

/** What went wrong at the provider, short and free of personal data, for `last_error`. */
export function describeSendFailure(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `${name}: ${code}` : name;
}
