/**
 * The merchant's notifications (`GET /v1/notifications`, `GET /v1/notifications/{id}`) and the owner's
 * push devices (`POST /merchant/v1/merchants/{id}/devices`).
 */
import { NotFoundError } from '../../domain/errors.js';
import { assertOwner, assertScope, type MerchantCaller } from '../../domain/merchant.js';
import type { Notification, NotificationChannel, NotificationStatus } from '../../domain/notification.js';
import type { CursorCodec } from '../cursor.js';
import type { Merchants } from '../merchants/ports.js';
import type { Clock, Ids } from '../ports.js';
import type {
  DevicePlatform,
  DeviceStore,
  MerchantDevice,
  NotificationStore,
  PushRegistry,
} from './ports.js';

export interface NotificationPage {
  notifications: Notification[];
  nextCursor: string | null;
}

/**
 * 1. The key needs `payments:read`.
 * 2. One page of the tenant's notifications, newest first, filtered by channel and status when asked; the
 *    cursor is signed and bound to this tenant and these filters.
 */
export async function listNotifications(
  caller: MerchantCaller,
  query: {
    limit: number;
    cursor?: string | undefined;
    channel?: NotificationChannel | undefined;
    status?: NotificationStatus | undefined;
  },
  deps: { notifications: NotificationStore; cursors: CursorCodec },
): Promise<NotificationPage> {
  assertScope(caller, 'payments:read');
  const list = `notifications:${caller.merchantId}:${caller.mode}:${query.channel ?? ''}:${query.status ?? ''}`;
  const after = query.cursor === undefined ? undefined : deps.cursors.decode(list, query.cursor);
  const page = await deps.notifications.list(
    { merchantId: caller.merchantId, mode: caller.mode },
    {
      limit: query.limit,
      ...(after === undefined ? {} : { after }),
      ...(query.channel === undefined ? {} : { channel: query.channel }),
      ...(query.status === undefined ? {} : { status: query.status }),
    },
  );
  return {
    notifications: page.items,
    nextCursor: page.after === undefined ? null : deps.cursors.encode(list, page.after),
  };
}

/** The notification, with `payments:read`; NOT_FOUND outside the caller's tenant. */
export async function getNotification(
  caller: MerchantCaller,
  notificationId: string,
  deps: { notifications: NotificationStore },
): Promise<Notification> {
  assertScope(caller, 'payments:read');
  const notification = await deps.notifications.get(
    { merchantId: caller.merchantId, mode: caller.mode },
    notificationId,
  );
  if (notification === undefined) throw new NotFoundError('Notification');
  return notification;
}

/**
 * 1. The owner's merchant (anyone else: NOT_FOUND).
 * 2. The token becomes a push endpoint (SNS CreatePlatformEndpoint gives the same endpoint for the same
 *    token), kept under an id derived from the platform and token: registering again is one device.
 */
export async function registerDevice(
  caller: { userId: string },
  merchantId: string,
  input: { token: string; platform: DevicePlatform },
  deps: { merchants: Merchants; devices: DeviceStore; push: PushRegistry; ids: Ids; clock: Clock },
): Promise<MerchantDevice> {
  const merchant = await deps.merchants.get(merchantId);
  if (merchant === undefined) throw new NotFoundError('Merchant');
  assertOwner(merchant, caller);
  const endpoint = await deps.push.register(input.platform, input.token);
  return deps.devices.add({
    merchantId,
    deviceId: deps.ids.derive('dev_', merchantId, input.platform, input.token),
    platform: input.platform,
    endpoint,
    createdAt: deps.clock.now().toISOString(),
  });
}
