/**
 * Notifications (API.md "Billing and checkout": Notifications): the merchant's list of what was sent, with
 * a secret key; and the owner's push devices, with a JWT. One catalogue of the route table (../routes.ts).
 */
import type { RouteDefinition } from '../route-definition.js';

/** No user token in front of these (the API-key authorizer is): a limit of their own, below the stage's. */
const throttle = { burstLimit: 100, rateLimit: 50 } as const;

export const notificationsRoutes = [
  {
    method: 'GET',
    path: '/v1/notifications',
    fn: 'notifications',
    auth: 'apiKey',
    scope: 'payments:read',
    idempotency: 'none',
    throttle,
    summary: "The merchant's notifications (email, SMS, push), newest first",
    tags: ['notifications'],
  },
  {
    method: 'GET',
    path: '/v1/notifications/{notificationId}',
    fn: 'notifications',
    auth: 'apiKey',
    scope: 'payments:read',
    idempotency: 'none',
    throttle,
    summary: 'A notification, with its status and attempts',
    tags: ['notifications'],
  },
  {
    method: 'POST',
    path: '/merchant/v1/merchants/{merchantId}/devices',
    fn: 'merchantDevices',
    auth: 'jwt',
    idempotency: 'optional',
    summary: "Register the owner's device for push notifications of payouts",
    tags: ['notifications'],
  },
] as const satisfies readonly RouteDefinition[];
