import * as z from 'zod/mini';
import { DEVICE_PLATFORMS } from '../../app/notifications/ports.js';
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_STATUSES,
  NOTIFICATION_TEMPLATES,
} from '../../domain/notification.js';
import { listOf } from './list.js';

const int = () => z.number().check(z.int());

export const NotificationIdParams = z.object({
  notificationId: z.string().check(z.regex(/^ntf_[A-Za-z0-9]{1,64}$/, 'unknown notification id')),
});

export const ListNotificationsQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 10),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
  channel: z.optional(z.enum(NOTIFICATION_CHANNELS)),
  status: z.optional(z.enum(NOTIFICATION_STATUSES)),
});

export const RegisterDeviceRequest = z
  .strictObject({
    token: z.string().check(z.minLength(1), z.maxLength(4096)).register(z.globalRegistry, {
      description: "The device's APNs or FCM token",
    }),
    platform: z.enum(DEVICE_PLATFORMS),
  })
  .register(z.globalRegistry, { id: 'RegisterDeviceRequest' });

export const NotificationResponse = z
  .object({
    id: z.string(),
    object: z.literal('notification'),
    channel: z.enum(NOTIFICATION_CHANNELS),
    to: z.string().register(z.globalRegistry, {
      description: 'The email address, E.164 phone number or push endpoint it went to',
    }),
    template: z.enum(NOTIFICATION_TEMPLATES),
    event: z.string().register(z.globalRegistry, { description: 'The event type that sent it' }),
    status: z.enum(NOTIFICATION_STATUSES),
    attempts: int(),
    last_error: z.optional(z.string()).register(z.globalRegistry, {
      description: "The last failed attempt's error, while it is failed",
    }),
    created: int().register(z.globalRegistry, { description: 'Epoch seconds' }),
    sent_at: z.optional(int()).register(z.globalRegistry, { description: 'Epoch seconds, once sent' }),
    livemode: z.boolean(),
  })
  .register(z.globalRegistry, { id: 'Notification' });

export const NotificationList = listOf(NotificationResponse, 'NotificationList');

export const DeviceResponse = z
  .object({
    id: z.string(),
    object: z.literal('device'),
    platform: z.enum(DEVICE_PLATFORMS),
    created: int().register(z.globalRegistry, { description: 'Epoch seconds' }),
  })
  .register(z.globalRegistry, { id: 'Device' });
