/**
 * A merchant's PaymentIntent (API.md "The merchant API": PaymentIntents), with Stripe's statuses and rules:
 * created, confirmed (the card is charged or authorized at the processor), captured (a manual-capture
 * authorization, wholly or partly: the rest is released), cancelled (by the merchant, or automatically when
 * an authorization is not captured within the capture window). Which move is allowed from which status is
 * decided here; the store writes each move conditionally on the status (and version) it was decided from.
 */
import { DomainError, InvalidStateTransitionError, ValidationError } from './errors.js';
import type { Mode } from './merchant.js';

export const PAYMENT_INTENT_STATUSES = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'processing',
  'requires_capture',
  'succeeded',
  'canceled',
] as const;
export type PaymentIntentStatus = (typeof PAYMENT_INTENT_STATUSES)[number];

export const CAPTURE_METHODS = ['automatic', 'manual'] as const;
export type CaptureMethod = (typeof CAPTURE_METHODS)[number];

/** Stripe's cancellation reasons; `automatic` is the capture window's, never the merchant's. */
export const CANCELLATION_REASONS = [
  'duplicate',
  'fraudulent',
  'requested_by_customer',
  'abandoned',
  'automatic',
] as const;
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];
export type MerchantCancellationReason = Exclude<CancellationReason, 'automatic'>;

/** The capture window's default (CAPTURE_WINDOW_SECONDS): 7 days. */
export const DEFAULT_CAPTURE_WINDOW_SECONDS = 604_800;

/** Another active merchant paid from the same charge. */
export interface Split {
  merchantId: string;
  amount: number;
}

/** Why the last confirmation failed (Stripe's `last_payment_error`). */
export interface PaymentError {
  type: 'card_error';
  code: string;
  declineCode: string | null;
  message: string;
  paymentMethod: string | null;
}

export interface IntentFees {
  platform: number;
  processing: number;
}

export interface PaymentIntent {
  intentId: string;
  merchantId: string;
  mode: Mode;
  amount: number;
  currency: string;
  status: PaymentIntentStatus;
  captureMethod: CaptureMethod;
  /** What a capture may still take (an authorization's amount while `requires_capture`). */
  amountCapturable: number;
  /** What was charged: the amount, or the captured part of it. */
  amountReceived: number;
  customerId: string | null;
  paymentMethodId: string | null;
  description: string | null;
  metadata: Readonly<Record<string, string>>;
  splits: readonly Split[];
  /** Confirmations sent to the processor so far: each one's idempotency key there is `<intent>:attempt:<n>`. */
  attempts: number;
  /** The processor's PaymentIntent of the latest attempt. */
  providerPaymentId: string | null;
  lastPaymentError: PaymentError | null;
  /** Where the payer authenticates (3-D Secure) while `requires_action`. */
  nextActionUrl: string | null;
  cancellationReason: CancellationReason | null;
  /** When an uncaptured authorization is cancelled (manual capture, from `requires_capture` on). */
  captureBefore: string | null;
  /** The platform and processing fees of what was charged, once it succeeded. */
  fees: IntentFees | null;
  canceledAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The answer of the processor to a confirmation, a retrieval, a capture or a cancellation. */
export interface ProcessorOutcome {
  status: PaymentIntentStatus;
  providerPaymentId: string;
  amountReceived: number;
  nextActionUrl?: string | undefined;
}

export const CONFIRMABLE: readonly PaymentIntentStatus[] = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'processing',
];

export const CANCELABLE: readonly PaymentIntentStatus[] = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'requires_capture',
];

/** The status a new intent starts in: without a payment method it needs one, with one it needs confirming. */
export function initialStatus(paymentMethodId: string | null): PaymentIntentStatus {
  return paymentMethodId === null ? 'requires_payment_method' : 'requires_confirmation';
}

/** Splits must name other merchants, each once, and leave the intent's merchant a positive share. */
export function assertSplits(merchantId: string, amount: number, splits: readonly Split[]): void {
  const seen = new Set<string>();
  for (const split of splits) {
    if (split.merchantId === merchantId || seen.has(split.merchantId)) {
      throw new ValidationError('Each split names another merchant, once', {
        issues: [{ path: 'splits', message: 'Each split names another merchant, once' }],
      });
    }
    seen.add(split.merchantId);
  }
  const total = splits.reduce((sum, split) => sum + split.amount, 0);
  if (total >= amount) {
    throw new ValidationError('The splits must add up to less than the amount', {
      issues: [{ path: 'splits', message: 'Must add up to less than the amount' }],
    });
  }
}

/** A confirmation is allowed from these statuses; anything else is INVALID_STATE_TRANSITION. */
export function assertConfirmable(intent: PaymentIntent): void {
  if (!CONFIRMABLE.includes(intent.status)) throw new InvalidStateTransitionError(intent.status, 'confirm');
  if (intent.paymentMethodId === null) {
    throw new ValidationError('A payment method is needed to confirm', {
      issues: [{ path: 'payment_method', message: 'Required to confirm' }],
    });
  }
}

export function assertCancelable(intent: PaymentIntent): void {
  if (!CANCELABLE.includes(intent.status)) throw new InvalidStateTransitionError(intent.status, 'cancel');
}

/** The amount a capture takes: all that is capturable, or `amountToCapture` (positive, at most that). */
export function amountToCapture(intent: PaymentIntent, requested: number | undefined): number {
  if (intent.status !== 'requires_capture') throw new InvalidStateTransitionError(intent.status, 'capture');
  if (requested === undefined) return intent.amountCapturable;
  if (requested <= 0 || requested > intent.amountCapturable) {
    throw new DomainError(
      'INVALID_AMOUNT',
      'amount_to_capture must be positive and at most amount_capturable',
      {
        amountCapturable: intent.amountCapturable,
      },
    );
  }
  return requested;
}

/**
 * The intent after the processor answered a confirmation (or a retrieval of it): its status and money.
 * `requires_capture` opens the capture window; `succeeded` takes what was received.
 */
export function afterOutcome(
  intent: PaymentIntent,
  outcome: ProcessorOutcome,
  at: Date,
  captureWindowSeconds: number,
): PaymentIntent {
  const base: PaymentIntent = {
    ...intent,
    status: outcome.status,
    providerPaymentId: outcome.providerPaymentId,
    nextActionUrl: outcome.status === 'requires_action' ? (outcome.nextActionUrl ?? null) : null,
    updatedAt: at.toISOString(),
  };
  switch (outcome.status) {
    case 'requires_capture':
      return {
        ...base,
        amountCapturable: intent.amount,
        lastPaymentError: null,
        captureBefore: new Date(at.getTime() + captureWindowSeconds * 1000).toISOString(),
      };
    case 'succeeded':
      return {
        ...base,
        amountCapturable: 0,
        amountReceived: outcome.amountReceived || intent.amount,
        lastPaymentError: null,
      };
    default:
      return base;
  }
}

/** The intent after a declined confirmation: it needs another payment method. */
export function afterDecline(intent: PaymentIntent, error: PaymentError, at: Date): PaymentIntent {
  return {
    ...intent,
    status: 'requires_payment_method',
    lastPaymentError: error,
    nextActionUrl: null,
    updatedAt: at.toISOString(),
  };
}

/** The intent after a capture of `amount`: the rest of the authorization is released. */
export function afterCapture(intent: PaymentIntent, amount: number, at: Date): PaymentIntent {
  return {
    ...intent,
    status: 'succeeded',
    amountCapturable: 0,
    amountReceived: amount,
    captureBefore: null,
    updatedAt: at.toISOString(),
  };
}

export function afterCancel(
  intent: PaymentIntent,
  reason: CancellationReason | null,
  at: Date,
): PaymentIntent {
  return {
    ...intent,
    status: 'canceled',
    amountCapturable: 0,
    cancellationReason: reason,
    captureBefore: null,
    nextActionUrl: null,
    canceledAt: at.toISOString(),
    updatedAt: at.toISOString(),
  };
}

/** The event a status change announces (API.md webhooks), if it announces one. */
export type PaymentIntentEventType =
  | 'payment_intent.succeeded'
  | 'payment_intent.payment_failed'
  | 'payment_intent.canceled'
  | 'payment_intent.requires_action';

export function eventOfChange(
  before: PaymentIntent,
  after: PaymentIntent,
): PaymentIntentEventType | undefined {
  if (
    after.status === 'requires_payment_method' &&
    after.lastPaymentError !== null &&
    before.status !== after.status
  )
    return 'payment_intent.payment_failed';
  if (before.status === after.status) return undefined;
  switch (after.status) {
    case 'succeeded':
      return 'payment_intent.succeeded';
    case 'canceled':
      return 'payment_intent.canceled';
    case 'requires_action':
      return 'payment_intent.requires_action';
    default:
      return undefined;
  }
}
