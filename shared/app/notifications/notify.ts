/**
 * Sending the notifications of a domain event, at most once each once sent, and never lost: every message
 * is first a Notification record (deterministic id, conditional put), then sent, then marked. A provider
 * that fails leaves the record `failed` with its attempts and error, and the whole event is retried (the
 * queue redelivers it): the messages already sent are skipped, the failed ones tried again.
 */
import type { DomainEvent } from '../../domain/events.js';
import {
  describeSendFailure,
  type Notification,
  type NotificationMessage,
  notificationIdParts,
} from '../../domain/notification.js';
import type { Mailer } from '../merchants/ports.js';
import type { Clock, Ids } from '../ports.js';
import { planNotifications } from './plan.js';
import type {
  InvoiceAttachments,
  NotificationRecipients,
  NotificationStore,
  PushSender,
  SmsSender,
} from './ports.js';

export interface NotifyDeps {
  notifications: NotificationStore;
  recipients: NotificationRecipients;
  mailer: Mailer;
  sms: SmsSender;
  push: PushSender;
  /** The invoices' PDFs, attached to their finalization emails (the notifier always has it). */
  invoiceAttachments?: InvoiceAttachments;
  ids: Ids;
  clock: Clock;
}

/** Some of an event's notifications were not sent; their records say `failed`, and a retry will send them. */
export class NotificationsNotSentError extends Error {
  override readonly name = 'NotificationsNotSentError';

  constructor(
    readonly eventId: string,
    readonly failed: number,
    options?: ErrorOptions,
  ) {
    super(`${failed} notification(s) of event ${eventId} were not sent`, options);
  }
}

/**
 * 1. Plan the event's messages (templates, recipients); an event nobody is notified of sends nothing.
 * 2. For each: claim its record (pending, or the one a first delivery left); a sent one is skipped.
 * 3. Send it on its channel; mark it sent, or failed with the error (nothing personal in it).
 * 4. If any failed, throw NotificationsNotSentError so the event comes back; the sent ones stay sent.
 */
export async function notify(
  event: DomainEvent,
  deps: NotifyDeps,
): Promise<{ sent: number; skipped: number }> {
  const plan = await planNotifications(event, deps.recipients, deps.invoiceAttachments);
  if (plan === undefined) return { sent: 0, skipped: 0 };
  let sent = 0;
  let skipped = 0;
  const failures: unknown[] = [];
  for (const { template, message } of plan.planned) {
    const at = deps.clock.now().toISOString();
    const fresh: Notification = {
      notificationId: deps.ids.derive(
        'ntf_',
        ...notificationIdParts(event.detail.eventId, message.channel, message.to),
      ),
      ...plan.tenant,
      channel: message.channel,
      to: message.to,
      template,
      event: event.type,
      eventId: event.detail.eventId,
      status: 'pending',
      attempts: 0,
      createdAt: at,
      updatedAt: at,
    };
    const notification = await deps.notifications.claim(fresh);
    if (notification.status === 'sent') {
      skipped += 1;
      continue;
    }
    try {
      await send(message, deps);
    } catch (error) {
      failures.push(error);
      await deps.notifications.markFailed(
        notification,
        describeSendFailure(error),
        deps.clock.now().toISOString(),
      );
      continue;
    }
    await deps.notifications.markSent(notification, deps.clock.now().toISOString());
    sent += 1;
  }
  if (failures.length > 0) {
    throw new NotificationsNotSentError(event.detail.eventId, failures.length, { cause: failures[0] });
  }
  return { sent, skipped };
}

function send(
  message: NotificationMessage,
  deps: Pick<NotifyDeps, 'mailer' | 'sms' | 'push'>,
): Promise<void> {
  switch (message.channel) {
    case 'email':
      return deps.mailer.send(message);
    case 'sms':
      return deps.sms.send(message.to, message.text);
    case 'push':
      return deps.push.send(message.to, message.title, message.body);
  }
}
