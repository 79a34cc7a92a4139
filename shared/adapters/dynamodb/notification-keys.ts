/** The keys of notifications and of merchant owners' push devices (re-exported by keys.ts). */
import type { ItemKey } from './keys.js';
import { merchantKey, merchantTenantPartition } from './merchant-keys.js';

/** A notification in its tenant's partition: `<tenant>` / `NOTIFICATION#<id>`. */
export function notificationKey(merchantId: string, mode: 'test' | 'live', notificationId: string): ItemKey {
  return { PK: merchantTenantPartition(merchantId, mode), SK: `NOTIFICATION#${notificationId}` };
}

/** The tenant's notifications newest first: GSI1PK = `<tenant>#NOTIFICATIONS`, GSI1SK = `<created>#<id>`. */
export function notificationIndexKey(
  merchantId: string,
  mode: 'test' | 'live',
  createdAt: string,
  notificationId: string,
): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: notificationsIndexPartition(merchantId, mode), GSI1SK: `${createdAt}#${notificationId}` };
}

export function notificationsIndexPartition(merchantId: string, mode: 'test' | 'live'): string {
  return `${merchantTenantPartition(merchantId, mode)}#NOTIFICATIONS`;
}

/** Notification index sort keys are `<ISO time>#ntf_<id>`; anything else did not come from us. */
export const NOTIFICATION_SORT_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#(ntf_[A-Za-z0-9]{1,64})$/;

/** A merchant owner's push device, in the merchant's partition: `MERCHANT#<id>` / `DEVICE#<id>`. */
export function merchantDeviceKey(merchantId: string, deviceId: string): ItemKey {
  return { PK: merchantKey(merchantId).PK, SK: `${MERCHANT_DEVICE_PREFIX}${deviceId}` };
}

export const MERCHANT_DEVICE_PREFIX = 'DEVICE#';
