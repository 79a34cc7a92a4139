import type { OperationDoc } from '../operations.js';
import { MerchantIdParams } from '../schemas/merchants.js';
import {
  DeviceResponse,
  ListNotificationsQuery,
  NotificationIdParams,
  NotificationList,
  NotificationResponse,
  RegisterDeviceRequest,
} from '../schemas/notifications.js';

/** The merchant's notifications and the owner's push devices. */
export const notificationOperations: Readonly<Record<string, OperationDoc>> = {
  'GET /v1/notifications': {
    operationId: 'listNotifications',
    description:
      "Every email, SMS and push message the merchant's events sent, newest first; `channel=` and `status=` filter. A message the provider did not take stays `failed` with `attempts` and `last_error` until a retry sends it.",
    request: { query: ListNotificationsQuery },
    responses: { 200: { description: 'One page, newest first', schema: NotificationList } },
  },
  'GET /v1/notifications/{notificationId}': {
    operationId: 'getNotification',
    request: { params: NotificationIdParams },
    responses: {
      200: { description: 'The notification', schema: NotificationResponse },
      404: {
        description:
          "NOT_FOUND: no such notification of this merchant and mode (another's id answers the same)",
      },
    },
  },
  'POST /merchant/v1/merchants/{merchantId}/devices': {
    operationId: 'registerMerchantDevice',
    request: { params: MerchantIdParams, body: RegisterDeviceRequest },
    responses: {
      201: {
        description: 'The device (registering the same token again answers the same device)',
        schema: DeviceResponse,
      },
      404: { description: 'NOT_FOUND: no such merchant of the caller' },
    },
    errors: { DEPENDENCY_UNAVAILABLE: 'the push service did not register the token; retry' },
  },
};
