import type { MerchantDevice } from '../../app/notifications/ports.js';
import type { Notification } from '../../domain/notification.js';
import { listView } from './list.js';

function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/** A notification as API.md shapes it: `last_error` while it failed, `sent_at` once sent. */
export function notificationView(notification: Notification) {
  return {
    id: notification.notificationId,
    object: 'notification' as const,
    channel: notification.channel,
    to: notification.to,
    template: notification.template,
    event: notification.event,
    status: notification.status,
    attempts: notification.attempts,
    ...(notification.status !== 'sent' && notification.lastError !== undefined
      ? { last_error: notification.lastError }
      : {}),
    created: epochSeconds(notification.createdAt),
    ...(notification.sentAt === undefined ? {} : { sent_at: epochSeconds(notification.sentAt) }),
    livemode: notification.mode === 'live',
  };
}

export function notificationListView(notifications: readonly Notification[], nextCursor: string | null) {
  return listView(notifications.map(notificationView), nextCursor);
}

/** A registered device: its endpoint and token stay inside. */
export function deviceView(device: MerchantDevice) {
  return {
    id: device.deviceId,
    object: 'device' as const,
    platform: device.platform,
    created: epochSeconds(device.createdAt),
  };
}
