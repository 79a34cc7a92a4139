/**
 * The domain events the service puts on its bus (source `tween.payments`): one detail-type per event, and
 * the detail each one carries. Emitters (state machines, outbox writers) build details to these schemas;
 * consumers (the Matrix room publisher, audit, merchants) read them with the same schemas.
 *
 * Every detail carries
 * - `eventId`: the domain event id, deterministic (`payment.completed:pay_123`, see `domainEventId`): the
 *   same event emitted twice has the same id, so a consumer can deduplicate on it (the Matrix publisher
 *   uses it as the transaction id, so a redelivery never posts twice);
 * - `occurredAt`: when it happened (ISO 8601);
 * - `roomId`: the Matrix room the event belongs to, when it belongs to one. Omit it otherwise (never
 *   `null`): only events with a `roomId` are published to a room.
 *
 * Amounts are integers in the currency's minor unit; user ids are Matrix user ids. Unknown fields are
 * ignored by consumers, so an emitter may send more (a p2p status event may carry the whole transfer).
 */
import * as z from 'zod/mini';
import '../zod-locale.js';
import { billingEventSchemas, billingEventTypes } from './billing-events.js';
import { ValidationError } from './errors.js';

export const domainEventTypes = [
  'payment.completed',
  'payment.failed',
  'p2p.initiated',
  'p2p.completed',
  'p2p.rejected',
  'p2p.cancelled',
  'p2p.expired',
  'gift.created',
  'gift.opened',
  'gift.expired',
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'payment_intent.requires_action',
  'customer.created',
  'refund.created',
  'refund.updated',
  'payout.paid',
  'payout.failed',
  'merchant.updated',
  ...billingEventTypes,
] as const;

export type DomainEventType = (typeof domainEventTypes)[number];

export function isDomainEventType(value: string): value is DomainEventType {
  return (domainEventTypes as readonly string[]).includes(value);
}

/**
 * The deterministic id of a domain event: its type and the ids that make it unique, joined by `:`
 * (`payment.completed:pay_1`, `gift.opened:gift_1:@bob:tween.example`).
 */
export function domainEventId(type: DomainEventType, ...parts: readonly [string, ...string[]]): string {
  return [type, ...parts].join(':');
}

const minorUnits = z.number().check(z.int(), z.nonnegative(), z.maximum(Number.MAX_SAFE_INTEGER));
const positiveMinorUnits = z.number().check(z.int(), z.positive(), z.maximum(Number.MAX_SAFE_INTEGER));
const currency = z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in upper case'));
const timestamp = z.iso.datetime({ offset: true });
const matrixUserId = z.string().check(z.regex(/^@[^:]+:.+$/, 'must be a Matrix user id (@user:server)'));
export const matrixRoomId = z
  .string()
  .check(z.regex(/^![^:]+:.+$/, 'must be a Matrix room id (!room:server)'));

const envelope = {
  eventId: z.string().check(z.minLength(1), z.maxLength(255)),
  occurredAt: timestamp,
  roomId: z.optional(matrixRoomId),
};

const p2pStatusDetail = z.object({ ...envelope, transferId: z.string().check(z.minLength(1)) });

/** A merchant's PaymentIntent changed status (the merchant API), for the merchant's webhooks; never posted to a room. */
const paymentIntentDetail = z.object({
  ...envelope,
  merchantId: z.string().check(z.minLength(1)),
  mode: z.enum(['test', 'live']),
  paymentIntentId: z.string().check(z.minLength(1)),
  status: z.string().check(z.minLength(1)),
  amount: positiveMinorUnits,
  amountReceived: minorUnits,
  currency,
  /** Why the last confirmation failed (payment_failed): the processor's decline code. */
  failureCode: z.optional(z.string()),
  cancellationReason: z.optional(z.string()),
  /** The PaymentIntent as the merchant API shows it at the change, for the merchant's webhooks. */
  object: z.optional(z.record(z.string(), z.unknown())),
});

/**
 * The merchant-facing envelope: whose event it is and, for the merchant's webhooks, the object as the
 * merchant API shows it at the moment of the event (its snake_case view, `object` field included).
 */
const merchantEnvelope = {
  ...envelope,
  merchantId: z.string().check(z.minLength(1)),
  mode: z.enum(['test', 'live']),
  object: z.optional(z.record(z.string(), z.unknown())),
};

/** A merchant's refund was created or changed status (pending → succeeded | failed). */
const refundDetail = z.object({
  ...merchantEnvelope,
  refundId: z.string().check(z.minLength(1)),
  /** The refunded PaymentIntent (`pi_`) or mini-app payment (`pay_`). */
  sourceId: z.string().check(z.minLength(1)),
  status: z.enum(['pending', 'succeeded', 'failed']),
  amount: positiveMinorUnits,
  currency,
  /** The customer's email for a receipt, when the merchant has one on file. */
  customerId: z.optional(z.string()),
});

/** A merchant's payout reached the bank (paid) or came back (failed, its money back in available). */
const payoutDetail = z.object({
  ...merchantEnvelope,
  payoutId: z.string().check(z.minLength(1)),
  status: z.enum(['paid', 'failed']),
  method: z.enum(['standard', 'instant']),
  amount: positiveMinorUnits,
  fee: minorUnits,
  currency,
  failureCode: z.optional(z.string()),
});

export const domainEventSchemas = {
  'payment.completed': z.object({
    ...envelope,
    paymentId: z.string().check(z.minLength(1)),
    userId: matrixUserId,
    appId: z.string().check(z.minLength(1)),
    amount: z.object({ value: positiveMinorUnits, currency }),
    description: z.string(),
    completedAt: timestamp,
  }),
  /** Emitted by the payment lifecycle (PublishFailed) for audit and merchants; never posted to a room. */
  'payment.failed': z.object({
    ...envelope,
    paymentId: z.string().check(z.minLength(1)),
    userId: matrixUserId,
    appId: z.string().check(z.minLength(1)),
    amount: z.object({ value: positiveMinorUnits, currency }),
    /** The provider's decline code, `mfa_failed`, `mfa_timeout`, `processor_error`, `provider_timeout`... */
    failureCode: z.string().check(z.minLength(1)),
  }),
  'p2p.initiated': z.object({
    ...envelope,
    transferId: z.string().check(z.minLength(1)),
    amount: positiveMinorUnits,
    currency,
    sender: matrixUserId,
    recipient: matrixUserId,
    note: z.optional(z.nullable(z.string())),
    expiresAt: timestamp,
  }),
  'p2p.completed': p2pStatusDetail,
  'p2p.rejected': p2pStatusDetail,
  'p2p.cancelled': p2pStatusDetail,
  'p2p.expired': p2pStatusDetail,
  'gift.created': z.object({
    ...envelope,
    giftId: z.string().check(z.minLength(1)),
    creator: matrixUserId,
    totalAmount: positiveMinorUnits,
    currency,
    count: z.number().check(z.int(), z.positive()),
    distribution: z.enum(['random', 'equal']),
    message: z.optional(z.nullable(z.string())),
    expiresAt: timestamp,
  }),
  'gift.opened': z.object({
    ...envelope,
    giftId: z.string().check(z.minLength(1)),
    userId: matrixUserId,
    amount: positiveMinorUnits,
    currency,
    /** Shares still unopened after this one. */
    remaining: z.number().check(z.int(), z.nonnegative()),
  }),
  'gift.expired': z.object({
    ...envelope,
    giftId: z.string().check(z.minLength(1)),
    /** Shares nobody opened. */
    remaining: z.number().check(z.int(), z.nonnegative()),
    /** What went back to the creator. */
    refundedAmount: minorUnits,
    currency,
  }),
  'payment_intent.succeeded': paymentIntentDetail,
  'payment_intent.payment_failed': paymentIntentDetail,
  'payment_intent.canceled': paymentIntentDetail,
  'payment_intent.requires_action': paymentIntentDetail,
  /** A merchant's new customer (the merchant API), for the merchant's webhooks; never posted to a room. */
  'customer.created': z.object({
    ...envelope,
    merchantId: z.string().check(z.minLength(1)),
    mode: z.enum(['test', 'live']),
    customerId: z.string().check(z.minLength(1)),
    email: z.nullable(z.string()),
    name: z.nullable(z.string()),
    metadata: z.record(z.string(), z.string()),
    createdAt: timestamp,
    /** The customer as the merchant API shows it, for the merchant's webhooks. */
    object: z.optional(z.record(z.string(), z.unknown())),
  }),
  'refund.created': refundDetail,
  'refund.updated': refundDetail,
  'payout.paid': payoutDetail,
  'payout.failed': payoutDetail,
  /** A merchant's status changed (review decision, reserve change): to its owner and its webhooks. */
  'merchant.updated': z.object({
    ...merchantEnvelope,
    status: z.string().check(z.minLength(1)),
    previousStatus: z.optional(z.string()),
    reason: z.optional(z.string()),
  }),
  ...billingEventSchemas(merchantEnvelope),
} as const satisfies Record<DomainEventType, z.ZodMiniType>;

export type DomainEventDetail<T extends DomainEventType> = z.infer<(typeof domainEventSchemas)[T]>;

/** A domain event as its consumers see it: the detail-type and the parsed detail. */
export type DomainEvent = {
  [T in DomainEventType]: { type: T; detail: DomainEventDetail<T> };
}[DomainEventType];

/** A detail-type this service does not define: a consumer must not drop such an event silently. */
export class UnknownDomainEventError extends Error {
  override readonly name = 'UnknownDomainEventError';

  constructor(readonly detailType: string) {
    super(`Unknown domain event type "${detailType}"`);
  }
}

/**
 * Checks a detail against the schema of its detail-type. Throws UnknownDomainEventError for a detail-type
 * the service does not define and ValidationError (naming the fields, never their values) for a detail
 * that breaks its schema.
 */
export function parseDomainEvent(detailType: string, detail: unknown): DomainEvent {
  if (!isDomainEventType(detailType)) throw new UnknownDomainEventError(detailType);
  const parsed = domainEventSchemas[detailType].safeParse(detail);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    }));
    throw new ValidationError(`The ${detailType} event detail is invalid`, { detailType, issues });
  }
  return { type: detailType, detail: parsed.data } as DomainEvent;
}
