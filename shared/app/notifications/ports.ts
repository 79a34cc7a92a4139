/**
 * The notifications feature's ports: where notifications are kept (in the merchant's tenant partition),
 * who receives them (customers' and merchants' contacts, owners' devices), and the channels that send them.
 */
import type { Tenant } from '../../domain/customer.js';
import type { Notification, NotificationChannel, NotificationStatus } from '../../domain/notification.js';
import type { Page, PageQuery } from '../merchant-customers/ports.js';

export interface NotificationStore {
  /**
   * Stores `notification` (pending, no attempts) unless one with its id exists, in one conditional put;
   * returns what is stored either way, so a redelivered event finds the first delivery's record.
   */
  claim(notification: Notification): Promise<Notification>;
  /** Marks it sent at `at`, one attempt more, on the condition that it is not sent already. */
  markSent(notification: Notification, at: string): Promise<void>;
  /** One attempt more, `failed` with `lastError`, on the condition that it is not sent already. */
  markFailed(notification: Notification, lastError: string, at: string): Promise<void>;
  get(tenant: Tenant, notificationId: string): Promise<Notification | undefined>;
  /** Newest first; only the given channel and status when asked. */
  list(
    tenant: Tenant,
    query: PageQuery & { channel?: NotificationChannel; status?: NotificationStatus },
  ): Promise<Page<Notification>>;
}

/** An invoice's PDF, attached to its finalization email (the invoice documents feature renders it). */
export interface InvoiceAttachments {
  /** The tenant's finalized invoice's PDF, or undefined when there is no such invoice. */
  pdf(tenant: Tenant, invoiceId: string): Promise<{ fileName: string; content: Uint8Array } | undefined>;
}

/** A merchant as its notifications address it: its name, its owner's email, phone and push endpoints. */
export interface MerchantContact {
  name: string;
  email: string;
  phone?: string;
  /** SNS mobile push endpoints of the owner's registered devices. */
  pushEndpoints: string[];
}

/** A customer's contact details, as far as the merchant has them. */
export interface CustomerContact {
  email?: string;
  phone?: string;
}

export interface NotificationRecipients {
  merchant(merchantId: string): Promise<MerchantContact | undefined>;
  customer(tenant: Tenant, customerId: string): Promise<CustomerContact | undefined>;
  /** The customer a PaymentIntent was made for, when it names one. */
  customerOfPaymentIntent(tenant: Tenant, intentId: string): Promise<string | undefined>;
}

/** Sends an SMS (SNS Publish to a phone number); DEPENDENCY_UNAVAILABLE when the provider does not take it. */
export interface SmsSender {
  send(to: string, text: string): Promise<void>;
}

/** Sends a push message to a device endpoint (SNS Publish to a TargetArn). */
export interface PushSender {
  send(endpoint: string, title: string, body: string): Promise<void>;
}

/** Registers a device token with the push service: its endpoint (SNS CreatePlatformEndpoint). */
export interface PushRegistry {
  register(platform: DevicePlatform, token: string): Promise<string>;
}

export const DEVICE_PLATFORMS = ['apns', 'fcm'] as const;
export type DevicePlatform = (typeof DEVICE_PLATFORMS)[number];

/** A merchant owner's registered device (the token stays inside: only its endpoint is used). */
export interface MerchantDevice {
  merchantId: string;
  deviceId: string;
  platform: DevicePlatform;
  endpoint: string;
  createdAt: string;
}

export interface DeviceStore {
  /** Keeps the device; registering the same token again changes nothing and returns the stored one. */
  add(device: MerchantDevice): Promise<MerchantDevice>;
  list(merchantId: string): Promise<MerchantDevice[]>;
}
