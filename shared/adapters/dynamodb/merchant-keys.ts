/**
 * Key builders of the merchant platform's entities in the single table (keys.ts holds the payer side's and
 * re-exports these): the only other place keys are spelled out. Merchant objects live in their tenant
 * partition `MERCHANT#<id>#<mode>`, so no query of one merchant or mode reaches another's.
 */
import type { ItemKey } from './keys.js';

export function merchantKey(merchantId: string): ItemKey {
  return { PK: `MERCHANT#${merchantId}`, SK: 'MERCHANT' };
}

/** Merchants by status, oldest first (the ops review queue): GSI1PK = `MERCHANTS#<status>`. */
export function merchantStatusIndexKey(
  status: string,
  createdAt: string,
  merchantId: string,
): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: merchantStatusPartition(status), GSI1SK: `${createdAt}#${merchantId}` };
}

export function merchantStatusPartition(status: string): string {
  return `MERCHANTS#${status}`;
}

/**
 * The partition of a merchant's objects in one mode: apps, keys, customers, PaymentIntents, refunds ...
 * Tenancy is in the key, so no query of one merchant or mode can reach another's.
 */
export function merchantTenantPartition(merchantId: string, mode: 'test' | 'live'): string {
  return `MERCHANT#${merchantId}#${mode}`;
}

/** An app by its id alone (a mini-app payment names only the app): `APP#<id>` / `APP`. */
export function appKey(appId: string): ItemKey {
  return { PK: `APP#${appId}`, SK: 'APP' };
}

/** An app in its merchant's list: the tenant partition, `APP#<created>#<id>`. */
export function merchantAppKey(
  merchantId: string,
  mode: 'test' | 'live',
  createdAt: string,
  appId: string,
): ItemKey {
  return { PK: merchantTenantPartition(merchantId, mode), SK: `APP#${createdAt}#${appId}` };
}

// --- Merchant customers (the merchant API): all in the tenant partition `MERCHANT#<id>#<mode>` -----------

/** A customer by id: the tenant partition, `CUSTOMER#<id>`. */
export function merchantCustomerKey(merchantId: string, mode: 'test' | 'live', customerId: string): ItemKey {
  return { PK: merchantTenantPartition(merchantId, mode), SK: `CUSTOMER#${customerId}` };
}

/** The tenant's customers newest first (queried backwards): GSI1PK = `<tenant>#CUSTOMERS`, GSI1SK = `<created>#<id>`. */
export function merchantCustomerIndexKey(
  merchantId: string,
  mode: 'test' | 'live',
  createdAt: string,
  customerId: string,
): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: merchantCustomersIndexPartition(merchantId, mode), GSI1SK: `${createdAt}#${customerId}` };
}

export function merchantCustomersIndexPartition(merchantId: string, mode: 'test' | 'live'): string {
  return `${merchantTenantPartition(merchantId, mode)}#CUSTOMERS`;
}

/**
 * A customer's copy under its email, for `GET /v1/customers?email=` as one Query on the tenant partition:
 * `CUSTOMEREMAIL#<email, URI-encoded>#<created>#<id>` (encoded so no email can reach into another's prefix).
 */
export function merchantCustomerEmailKey(
  merchantId: string,
  mode: 'test' | 'live',
  email: string,
  createdAt: string,
  customerId: string,
): ItemKey {
  return {
    PK: merchantTenantPartition(merchantId, mode),
    SK: `${merchantCustomerEmailPrefix(email)}${createdAt}#${customerId}`,
  };
}

export function merchantCustomerEmailPrefix(email: string): string {
  return `CUSTOMEREMAIL#${encodeURIComponent(email)}#`;
}

/** A card attached to a customer: the tenant partition, `CUSTOMER#<customer>#PM#<pm>`. */
export function customerPaymentMethodKey(
  merchantId: string,
  mode: 'test' | 'live',
  customerId: string,
  paymentMethodId: string,
): ItemKey {
  return {
    PK: merchantTenantPartition(merchantId, mode),
    SK: `${customerPaymentMethodPrefix(customerId)}${paymentMethodId}`,
  };
}

export function customerPaymentMethodPrefix(customerId: string): string {
  return `CUSTOMER#${customerId}#PM#`;
}

/** A customer's cards newest first: GSI1PK = `<tenant>#CUSTOMER#<id>#PMS`, GSI1SK = `<attached>#<pm>`. */
export function customerPaymentMethodIndexKey(
  merchantId: string,
  mode: 'test' | 'live',
  customerId: string,
  attachedAt: string,
  paymentMethodId: string,
): { GSI1PK: string; GSI1SK: string } {
  return {
    GSI1PK: customerPaymentMethodsIndexPartition(merchantId, mode, customerId),
    GSI1SK: `${attachedAt}#${paymentMethodId}`,
  };
}

export function customerPaymentMethodsIndexPartition(
  merchantId: string,
  mode: 'test' | 'live',
  customerId: string,
): string {
  return `${merchantTenantPartition(merchantId, mode)}#CUSTOMER#${customerId}#PMS`;
}

/** A merchant's KYC document, in the merchant's own partition next to it: `MERCHANT#<id>` / `DOC#<docId>`. */
export function kycDocumentKey(merchantId: string, documentId: string): ItemKey {
  return { PK: merchantKey(merchantId).PK, SK: `${KYC_DOCUMENT_SORT_PREFIX}${documentId}` };
}

export const KYC_DOCUMENT_SORT_PREFIX = 'DOC#';

/** KYC document sort keys are `DOC#doc_<id>`; anything else did not come from us. */
export const KYC_DOCUMENT_SORT_KEY = /^DOC#doc_[A-Za-z0-9]{1,64}$/;
/** A balance transaction in its merchant's tenant, newest first by `created`: `BTXN#<created>#<id>`. */
export function balanceTransactionKey(
  merchantId: string,
  mode: 'test' | 'live',
  created: number,
  transactionId: string,
): ItemKey {
  return {
    PK: merchantTenantPartition(merchantId, mode),
    SK: `${BALANCE_TRANSACTION_PREFIX}${String(created).padStart(12, '0')}#${transactionId}`,
  };
}

export const BALANCE_TRANSACTION_PREFIX = 'BTXN#';

/**
 * A balance transaction found by its id (`GET /v1/balance_transactions/{id}`): GSI1PK = `BTXN#<id>`,
 * GSI1SK = `BTXN`. The caller's merchant and mode are checked on what it finds.
 */
export function balanceTransactionIdIndexKey(transactionId: string): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: `${BALANCE_TRANSACTION_PREFIX}${transactionId}`, GSI1SK: 'BTXN' };
}

/**
 * The sparse settlement worklist, soonest due first: GSI2PK = `SETTLEMENT#due`, GSI2SK =
 * `<available_on, 12 digits>#<id>`. Set on a pending balance transaction, removed when it is settled.
 */
export function settlementDueIndexKey(
  availableOn: number,
  transactionId: string,
): { GSI2PK: string; GSI2SK: string } {
  return {
    GSI2PK: SETTLEMENT_DUE_PARTITION,
    GSI2SK: `${String(availableOn).padStart(12, '0')}#${transactionId}`,
  };
}

export const SETTLEMENT_DUE_PARTITION = 'SETTLEMENT#due';

/** A merchant's settled volume in one mode and month (the fee tier): `MERCHANT#<id>` / `VOLUME#<mode>#<yyyy-mm>`. */
export function merchantVolumeKey(merchantId: string, mode: 'test' | 'live', month: string): ItemKey {
  return { PK: `MERCHANT#${merchantId}`, SK: `VOLUME#${mode}#${month}` };
}

/** A merchant's pending email verification: `MERCHANT#<id>` / `EMAIL_VERIFICATION`. */
export function merchantEmailVerificationKey(merchantId: string): ItemKey {
  return { PK: `MERCHANT#${merchantId}`, SK: 'EMAIL_VERIFICATION' };
}

/** The review of a merchant's latest KYC submission: `MERCHANT#<id>` / `ONBOARDING_REVIEW`. */
export function merchantReviewKey(merchantId: string): ItemKey {
  return { PK: `MERCHANT#${merchantId}`, SK: 'ONBOARDING_REVIEW' };
}

/** An API key's lookup by its secret's keyed hash (the authorizer's one read): `APIKEY#<hash>` / `APIKEY`. */
export function apiKeyLookupKey(secretHash: string): ItemKey {
  return { PK: `APIKEY#${secretHash}`, SK: 'APIKEY' };
}

/** An API key in its merchant's partition (the owner's listing; both modes): `MERCHANT#<id>` / `KEY#<keyId>`. */
export function merchantApiKeyKey(merchantId: string, keyId: string): ItemKey {
  return { PK: merchantKey(merchantId).PK, SK: `${API_KEY_SORT_PREFIX}${keyId}` };
}

export const API_KEY_SORT_PREFIX = 'KEY#';

// --- Merchant PaymentIntents (the merchant API): in the tenant partition `MERCHANT#<id>#<mode>` ----------

/** A PaymentIntent by id: the tenant partition, `PI#<id>`. */
export function paymentIntentKey(merchantId: string, mode: 'test' | 'live', intentId: string): ItemKey {
  return { PK: merchantTenantPartition(merchantId, mode), SK: `PI#${intentId}` };
}

/** The tenant's PaymentIntents newest first (queried backwards): GSI1PK = `<tenant>#PAYMENT_INTENTS`, GSI1SK = `<created>#<id>`. */
export function paymentIntentIndexKey(
  merchantId: string,
  mode: 'test' | 'live',
  createdAt: string,
  intentId: string,
): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: paymentIntentsIndexPartition(merchantId, mode), GSI1SK: `${createdAt}#${intentId}` };
}

export function paymentIntentsIndexPartition(merchantId: string, mode: 'test' | 'live'): string {
  return `${merchantTenantPartition(merchantId, mode)}#PAYMENT_INTENTS`;
}

/** A merchant's API keys newest first (queried backwards): GSI1PK = `MERCHANT#<id>#APIKEYS`, GSI1SK = `<created>#<keyId>`. */
export function merchantApiKeyIndexKey(
  merchantId: string,
  createdAt: string,
  keyId: string,
): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: merchantApiKeysIndexPartition(merchantId), GSI1SK: `${createdAt}#${keyId}` };
}

export function merchantApiKeysIndexPartition(merchantId: string): string {
  return `${merchantKey(merchantId).PK}#APIKEYS`;
}

// --- Merchant refunds (`POST /v1/refunds`): listed on GSI1 in the tenant's own index partition ----------

/** A PaymentIntent's refund by id: the tenant partition, `REFUND#<id>` (a mini-app payment's is `refundKey`). */
export function intentRefundKey(merchantId: string, mode: 'test' | 'live', refundId: string): ItemKey {
  return { PK: merchantTenantPartition(merchantId, mode), SK: `REFUND#${refundId}` };
}

/** The tenant's refunds (of PaymentIntents and of mini-app payments) newest first: GSI1PK = `<tenant>#REFUNDS`. */
export function merchantRefundIndexKey(
  merchantId: string,
  mode: 'test' | 'live',
  createdAt: string,
  refundId: string,
): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: merchantRefundsIndexPartition(merchantId, mode), GSI1SK: `${createdAt}#${refundId}` };
}

export function merchantRefundsIndexPartition(merchantId: string, mode: 'test' | 'live'): string {
  return `${merchantTenantPartition(merchantId, mode)}#REFUNDS`;
}

/** What a PaymentIntent's refunds add up to (reserved, and succeeded): the tenant partition, `PI#<id>#REFUNDS`. */
export function intentRefundTotalsKey(merchantId: string, mode: 'test' | 'live', intentId: string): ItemKey {
  return { PK: merchantTenantPartition(merchantId, mode), SK: `PI#${intentId}#REFUNDS` };
}

// --- Outbound webhooks: endpoints, events, deliveries and attempts, all in the tenant partition -----------

/** Epoch-free positions: ISO times sort as strings; sequences and attempts are zero-padded to sort too. */
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** An endpoint by id: the tenant partition, `WEBHOOKENDPOINT#<id>` (a Query of the prefix reads them all). */
export function webhookEndpointKey(merchantId: string, mode: 'test' | 'live', endpointId: string): ItemKey {
  return { PK: merchantTenantPartition(merchantId, mode), SK: `${WEBHOOK_ENDPOINT_PREFIX}${endpointId}` };
}

export const WEBHOOK_ENDPOINT_PREFIX = 'WEBHOOKENDPOINT#';

/** The tenant's endpoints newest first: GSI1PK = `<tenant>#WEBHOOKENDPOINTS`, GSI1SK = `<created>#<id>`. */
export function webhookEndpointIndexKey(
  merchantId: string,
  mode: 'test' | 'live',
  createdAt: string,
  endpointId: string,
): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: webhookEndpointsIndexPartition(merchantId, mode), GSI1SK: `${createdAt}#${endpointId}` };
}

export function webhookEndpointsIndexPartition(merchantId: string, mode: 'test' | 'live'): string {
  return `${merchantTenantPartition(merchantId, mode)}#WEBHOOKENDPOINTS`;
}

/** An event by id: the tenant partition, `EVENT#<id>`. */
export function merchantEventKey(merchantId: string, mode: 'test' | 'live', eventId: string): ItemKey {
  return { PK: merchantTenantPartition(merchantId, mode), SK: `EVENT#${eventId}` };
}

/** The tenant's events newest first: GSI1PK = `<tenant>#EVENTS`, GSI1SK = `<recorded>#<id>`. */
export function merchantEventIndexKey(
  merchantId: string,
  mode: 'test' | 'live',
  recordedAt: string,
  eventId: string,
): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: merchantEventsIndexPartition(merchantId, mode), GSI1SK: `${recordedAt}#${eventId}` };
}

export function merchantEventsIndexPartition(merchantId: string, mode: 'test' | 'live'): string {
  return `${merchantTenantPartition(merchantId, mode)}#EVENTS`;
}

/** The counter of an object's events (their `sequence`): the tenant partition, `EVENTSEQ#<object id>`. */
export function eventSequenceKey(merchantId: string, mode: 'test' | 'live', objectId: string): ItemKey {
  return { PK: merchantTenantPartition(merchantId, mode), SK: `EVENTSEQ#${objectId}` };
}

/**
 * One event at one endpoint: `WHDELIVERY#<endpoint>#<object>#<sequence>`, so the deliveries of one object
 * at one endpoint are a range of the partition in creation order (what a delivery waits for).
 */
export function webhookDeliveryKey(
  merchantId: string,
  mode: 'test' | 'live',
  endpointId: string,
  objectId: string,
  sequence: number,
): ItemKey {
  return {
    PK: merchantTenantPartition(merchantId, mode),
    SK: `${webhookDeliveryObjectPrefix(endpointId, objectId)}${pad(sequence, 10)}`,
  };
}

export function webhookDeliveryObjectPrefix(endpointId: string, objectId: string): string {
  return `WHDELIVERY#${endpointId}#${objectId}#`;
}

/** One attempt in an endpoint's log: `WHATTEMPT#<endpoint>#<attempted at>#<event>#<attempt>`, newest last. */
export function webhookAttemptKey(
  merchantId: string,
  mode: 'test' | 'live',
  endpointId: string,
  attemptedAt: string,
  eventId: string,
  attempt: number,
): ItemKey {
  return {
    PK: merchantTenantPartition(merchantId, mode),
    SK: `${webhookAttemptPrefix(endpointId)}${attemptedAt}#${eventId}#${pad(attempt, 4)}`,
  };
}

export function webhookAttemptPrefix(endpointId: string): string {
  return `WHATTEMPT#${endpointId}#`;
}
