import * as z from 'zod/mini';
import { DEVICE_PLATFORMS, type MerchantDevice } from '../../../app/notifications/ports.js';
import { domainEventTypes } from '../../../domain/events.js';
import { MODES } from '../../../domain/merchant.js';
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_STATUSES,
  NOTIFICATION_TEMPLATES,
  type Notification,
} from '../../../domain/notification.js';
import { defineEntity } from '../entity.js';
import { merchantDeviceKey, notificationIndexKey, notificationKey } from '../keys.js';
import type { SameType } from './exact.js';

const notificationSchema = z.object({
  notificationId: z.string(),
  merchantId: z.string(),
  mode: z.enum(MODES),
  channel: z.enum(NOTIFICATION_CHANNELS),
  to: z.string(),
  template: z.enum(NOTIFICATION_TEMPLATES),
  event: z.enum(domainEventTypes),
  eventId: z.string(),
  status: z.enum(NOTIFICATION_STATUSES),
  attempts: z.number(),
  lastError: z.exactOptional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  sentAt: z.exactOptional(z.string()),
});

true satisfies SameType<z.output<typeof notificationSchema>, Notification>;

/** A notification: `<tenant>` / `NOTIFICATION#<id>`, listed newest first on GSI1. */
export const NotificationEntity = defineEntity<Notification>({
  type: 'Notification',
  schema: notificationSchema satisfies z.ZodMiniType<Notification>,
  key: (n) => notificationKey(n.merchantId, n.mode, n.notificationId),
  indexes: (n) => notificationIndexKey(n.merchantId, n.mode, n.createdAt, n.notificationId),
});

const deviceSchema = z.object({
  merchantId: z.string(),
  deviceId: z.string(),
  platform: z.enum(DEVICE_PLATFORMS),
  endpoint: z.string(),
  createdAt: z.string(),
});

true satisfies SameType<z.output<typeof deviceSchema>, MerchantDevice>;

/** A merchant owner's push device: `MERCHANT#<id>` / `DEVICE#<id>` (the token itself is not kept). */
export const MerchantDeviceEntity = defineEntity<MerchantDevice>({
  type: 'MerchantDevice',
  schema: deviceSchema satisfies z.ZodMiniType<MerchantDevice>,
  key: (d) => merchantDeviceKey(d.merchantId, d.deviceId),
});
