/** The notifications' functions and capabilities, spread into the catalogue in functions.ts. */
import type { FunctionDefinition } from './functions.js';

/** What only the notifications need: SNS, as tightly as SNS allows (the CDK grants say how). */
export type NotificationCapability =
  /** SNS Publish to a phone number (SMS): SNS has no resource for a phone number, so `*`. */
  | 'sms:publish'
  /** SNS Publish to the endpoints of the push platform applications. */
  | 'push:publish'
  /** SNS CreatePlatformEndpoint on the push platform applications. */
  | 'push:register';

export const notificationFunctions = {
  notifier: {
    entry: 'functions/notifications/notifier.ts',
    traced: true,
    handler: 'handler',
    description:
      'Sends the notifications of domain events (email, SMS, push) from the notification queue, once each, recording each',
    capabilities: ['table:write', 'mail:send', 'sms:publish', 'push:publish', 'invoiceBucket:readWrite'],
    // Below the queue's visibility timeout, so a batch is never handed to a second invocation meanwhile.
    timeoutSeconds: 50,
    memoryMb: 256,
  },
  notifications: {
    entry: 'functions/notifications/notifications.ts',
    handler: 'handler',
    description: "A merchant's notifications: list and read (/v1/notifications)",
    capabilities: ['table:read', 'appSecrets:read'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  merchantDevices: {
    entry: 'functions/notifications/devices.ts',
    handler: 'handler',
    description: "Registers a merchant owner's device for push notifications (SNS platform endpoint)",
    capabilities: ['table:write', 'push:register'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
} as const satisfies Record<string, FunctionDefinition>;
