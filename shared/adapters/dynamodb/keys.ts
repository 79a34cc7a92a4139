/**
 * Key builders for every entity in the single table. The only place keys are spelled out.
 */
export interface ItemKey {
  PK: string;
  SK: string;
}

export function auditEventKey(eventId: string): ItemKey {
  return { PK: `EVENT#${eventId}`, SK: 'EVENT' };
}

/** Audit entries by day, oldest first: GSI1PK = `EVENTS#<yyyy-mm-dd>`, GSI1SK = `<time>#<id>`. */
export function auditEventIndexKey(time: string, eventId: string): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: `EVENTS#${time.slice(0, 10)}`, GSI1SK: `${time}#${eventId}` };
}

export function walletKey(userId: string): ItemKey {
  return { PK: `WALLET#${userId}`, SK: 'WALLET' };
}

export function accountKey(accountId: string): ItemKey {
  return { PK: `ACCOUNT#${accountId}`, SK: 'ACCOUNT' };
}

/** The account id an account's partition key names. */
export function accountIdOf(partitionKey: string): string {
  return partitionKey.replace(/^ACCOUNT#/, '');
}

/** An owner's accounts (a wallet's, one per currency): GSI1PK = `ACCOUNTS#<owner>`, GSI1SK = `<currency>`. */
export function accountIndexKey(historyOwner: string, currency: string): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: accountsOfOwnerPartition(historyOwner), GSI1SK: currency };
}

export function accountsOfOwnerPartition(historyOwner: string): string {
  return `ACCOUNTS#${historyOwner}`;
}

export function transferKey(transferId: string): ItemKey {
  return { PK: `TRANSFER#${transferId}`, SK: 'TRANSFER' };
}

/** One history entry per account per transfer, newest last in the sort order (queried backwards). */
export function historyKey(
  historyOwner: string,
  createdAt: string,
  transferId: string,
  side: 'debit' | 'credit',
): ItemKey {
  return { PK: historyPartition(historyOwner), SK: `${createdAt}#${transferId}#${side}` };
}

export function historyPartition(historyOwner: string): string {
  return `HISTORY#${historyOwner}`;
}

/** History sort keys are `<ISO time>#<transfer id>#<side>`; anything else did not come from us. */
export const HISTORY_SORT_KEY =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[A-Za-z0-9_:.-]{1,128}#(debit|credit)$/;

/**
 * An idempotency record: one partition per hashed key (`<scope prefix>#<hash>` from Powertools), so retries
 * spread over the table instead of piling onto one hot partition.
 */
export function idempotencyKey(hashedKey: string): ItemKey {
  return { PK: `IDEMPOTENCY#${hashedKey}`, SK: 'IDEMPOTENCY' };
}

export function topupKey(topupId: string): ItemKey {
  return { PK: `TOPUP#${topupId}`, SK: 'TOPUP' };
}

/** A user's saved cards, one item per physical card (by fingerprint when the provider gives one). */
export function savedCardKey(userId: string, cardIdentity: string): ItemKey {
  return { PK: savedCardsPartition(userId), SK: `CARD#${cardIdentity}` };
}

export function savedCardsPartition(userId: string): string {
  return `USER#${userId}`;
}

/** A user's customer at a processor, in the user's partition next to the saved cards (`CARD#`) and factors. */
export function providerCustomerKey(userId: string, provider: string): ItemKey {
  return { PK: `USER#${userId}`, SK: `CUSTOMER#${provider}` };
}

/** A dispute of a top-up, by the provider's dispute id. */
export function disputeKey(disputeId: string): ItemKey {
  return { PK: `DISPUTE#${disputeId}`, SK: 'DISPUTE' };
}

export function paymentKey(paymentId: string): ItemKey {
  return { PK: `PAYMENT#${paymentId}`, SK: 'PAYMENT' };
}

/** A user's payments by creation time (velocity rule, listings): GSI1PK = `PAYMENTS#<user>`. */
export function paymentIndexKey(userId: string, createdAt: string): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: userPaymentsPartition(userId), GSI1SK: createdAt };
}

export function userPaymentsPartition(userId: string): string {
  return `PAYMENTS#${userId}`;
}

export function refundKey(refundId: string): ItemKey {
  return { PK: `REFUND#${refundId}`, SK: 'REFUND' };
}

/**
 * A user's second factors, in the user's partition next to the saved cards (which sort under `CARD#`):
 * `MFA#PIN`, `MFA#TOTP`, `MFA#DEVICE#<deviceId>`. One Query on the prefix reads all of them.
 */
export function mfaFactorsPartition(userId: string): string {
  return `USER#${userId}`;
}

export const MFA_FACTOR_SORT_PREFIX = 'MFA#';

export function mfaPinKey(userId: string): ItemKey {
  return { PK: mfaFactorsPartition(userId), SK: `${MFA_FACTOR_SORT_PREFIX}PIN` };
}

export function mfaTotpKey(userId: string): ItemKey {
  return { PK: mfaFactorsPartition(userId), SK: `${MFA_FACTOR_SORT_PREFIX}TOTP` };
}

export function mfaDeviceKey(userId: string, deviceId: string): ItemKey {
  return { PK: mfaFactorsPartition(userId), SK: `${MFA_FACTOR_SORT_PREFIX}DEVICE#${deviceId}` };
}

export function challengeKey(challengeId: string): ItemKey {
  return { PK: `CHALLENGE#${challengeId}`, SK: 'CHALLENGE' };
}

/**
 * A user's MFA attempt slots (MFA_LOCKOUT.failures of them): `MFAATTEMPTS#<userId>` / `SLOT#<n>`. A guess
 * holds a slot while its factor is checked, a failure keeps it for the lockout window; one Query reads all.
 */
export function mfaAttemptSlotKey(userId: string, slot: number): ItemKey {
  return { PK: mfaAttemptsPartition(userId), SK: `SLOT#${slot}` };
}

export function mfaAttemptsPartition(userId: string): string {
  return `MFAATTEMPTS#${userId}`;
}

/** A step-up token's grant, found by the SHA-256 of the token (the token itself is never stored). */
export function stepUpTokenKey(tokenHash: string): ItemKey {
  return { PK: `STEPUP#${tokenHash}`, SK: 'STEPUP' };
}

/** The user's one pending biometric step-up nonce, next to the factors (outside the `MFA#` prefix). */
export function stepUpNonceKey(userId: string): ItemKey {
  return { PK: mfaFactorsPartition(userId), SK: 'STEPUP#NONCE' };
}

export function p2pTransferKey(transferId: string): ItemKey {
  return { PK: `P2P#${transferId}`, SK: 'P2P' };
}

/** A domain event waiting in the outbox; the table stream carries it to the event bus. */
export function outboxKey(eventId: string): ItemKey {
  return { PK: `OUTBOX#${eventId}`, SK: 'OUTBOX' };
}

export function giftKey(giftId: string): ItemKey {
  return { PK: giftPartition(giftId), SK: 'GIFT' };
}

/** One item per opener in the gift's partition: its existence is the "opened once" rule. */
export function giftOpeningKey(giftId: string, userId: string): ItemKey {
  return { PK: giftPartition(giftId), SK: `OPENING#${userId}` };
}

export function giftPartition(giftId: string): string {
  return `GIFT#${giftId}`;
}

/** A provider webhook event in the inbox, by its inbox id (`stripe:evt_…`). */
export function webhookKey(eventId: string): ItemKey {
  return { PK: `WEBHOOK#${eventId}`, SK: 'WEBHOOK' };
}

/**
 * The inbox by status, newest first: GSI1PK = `WEBHOOKS#<status>`, GSI1SK = `<receivedAt>#<eventId>`. A
 * settlement moves the item to its status's partition; the sort key never changes, so it is a position
 * that holds across every status partition (a listing of all statuses merges them on it).
 */
export function webhookIndexKey(
  status: string,
  receivedAt: string,
  eventId: string,
): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: webhookStatusPartition(status), GSI1SK: `${receivedAt}#${eventId}` };
}

export function webhookStatusPartition(status: string): string {
  return `WEBHOOKS#${status}`;
}

/** Webhook index sort keys are `<ISO time>#<provider>:<event id>`; anything else did not come from us. */
export const WEBHOOK_SORT_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[a-z]+:[A-Za-z0-9_-]{1,255}$/;

/**
 * What waits on a payment provider: a top-up (from its creation), a card payment in Processing, or a refund
 * while pending (from its creation: one left pending by a crash is finished by reconciliation).
 */
export type ProviderWaitEntity = 'topup' | 'payment' | 'refund' | 'intent_refund';

/**
 * The sparse index of records waiting on a payment provider, oldest first: GSI2PK = `PROVIDERWAIT#<entity>`,
 * GSI2SK = `<waiting since>#<id>`. Set when a record starts waiting, removed when it settles, so the
 * reconciliation job reads "waiting since before t" with one Query per entity and never a Scan. (Every
 * waiting record's write touches one index partition per entity: fine up to ~1000 starts a second; past
 * that, shard the partition key.)
 */
export function providerWaitIndexKey(
  entity: ProviderWaitEntity,
  waitingSince: string,
  id: string,
): { GSI2PK: string; GSI2SK: string } {
  return { GSI2PK: providerWaitPartition(entity), GSI2SK: `${waitingSince}#${id}` };
}

export function providerWaitPartition(entity: ProviderWaitEntity): string {
  return `PROVIDERWAIT#${entity}`;
}

/**
 * Provider-wait sort keys are `<ISO time>#<id>` (a PaymentIntent refund's id is `<mode>.<merchant>.<refund>`,
 * its tenant being part of its key); anything else did not come from us.
 */
export const PROVIDER_WAIT_SORT_KEY =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)#([A-Za-z0-9_-]{1,128}|(?:test|live)\.[A-Za-z0-9_-]{1,128}\.[A-Za-z0-9_-]{1,128})$/;

/** A provider's circuit breaker, shared by every invocation: `BREAKER#<provider>`. */
export function breakerKey(breaker: string): ItemKey {
  return { PK: `BREAKER#${breaker}`, SK: 'BREAKER' };
}

/**
 * A caller's request counter for one limited route and one fixed window: PK = `RATELIMIT#<user>`, SK =
 * `<route key>#<window start, epoch ms>`. One item per window, so counting is one conditional ADD and the
 * TTL removes spent windows; the caller's partition keeps one user's bursts off everyone else's.
 */
export function rateLimitKey(subject: string, operation: string, windowStart: number): ItemKey {
  return { PK: `RATELIMIT#${subject}`, SK: `${operation}#${windowStart}` };
}

export * from './billing-keys.js';
export * from './checkout-keys.js';
// The merchant platform's keys (merchants, apps, customers, balances ...) are spelled out beside these.
export * from './merchant-keys.js';
export * from './notification-keys.js';
export * from './payout-keys.js';
