/** The capabilities a function of the catalogue (functions.ts) may hold; each becomes a resource-scoped grant in CDK. */
import type { NotificationCapability } from './notification-functions.js';
import type { SubscriptionCapability } from './subscription-functions.js';
import type { WebhookDeliveryCapability } from './webhook-functions.js';

/** What a function may do. CDK turns each capability into a resource-scoped grant. */
export type Capability =
  | NotificationCapability
  | 'table:describe'
  | 'table:read'
  | 'table:write'
  | 'webhookQueue:describe'
  | 'webhookQueue:send'
  | 'bus:describe'
  | 'bus:put'
  | 'states:list'
  | 'key:describe'
  | 'key:encrypt'
  | 'key:decrypt'
  /** The MFA key (TOTP seeds), only with an encryption context naming the user and the purpose. */
  | 'mfaKey:encrypt'
  | 'mfaKey:decrypt'
  | 'appSecrets:read'
  | 'payments:start'
  | 'payments:callback'
  | 'p2p:start'
  | 'p2p:callback'
  | 'gifts:start'
  | 'paymentIntentCapture:start'
  | 'onboarding:start'
  | 'onboarding:callback'
  | 'payouts:start'
  | 'payouts:callback'
  /** SES SendEmail from the configured sender identity (MAIL_FROM). */
  | 'mail:send'
  /** The Matrix publisher's access token (its own secret) and the homeserver URL. */
  | 'matrixToken:read'
  /** Objects under `kyc/` in the KYC bucket: put (by presigned URL), get and head; the bucket key's use for them. */
  | 'kycBucket:readWrite'
  /** Objects under `kyc/`: get and head only (whether a document's file arrived); the key to decrypt them. */
  | 'kycBucket:read'
  | WebhookDeliveryCapability
  | SubscriptionCapability;
