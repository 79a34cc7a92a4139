/** What the PaymentIntent use cases share: their dependencies, the events of a change, and a saved change. */
import { NotFoundError } from '../../domain/errors.js';
import { domainEventId } from '../../domain/events.js';
import type { Merchant } from '../../domain/merchant.js';
import type { CurrencyPolicy } from '../../domain/money.js';
import {
  eventOfChange,
  type PaymentIntent,
  type PaymentIntentStatus,
  type ProcessorOutcome,
} from '../../domain/payment-intent.js';
import { intentChargeFor, type MerchantLedgerDeps } from '../balance/charge.js';
import type { PaymentProvider, ProviderPayment } from '../payments/ports.js';
import type { Clock, Ids } from '../ports.js';
import type {
  CaptureWindow,
  IntentCustomers,
  PaymentIntentEvent,
  PaymentIntentStore,
  Tenant,
} from './ports.js';

export interface PaymentIntentDeps {
  intents: PaymentIntentStore;
  provider: PaymentProvider;
  customers: IntentCustomers;
  /** The merchants splits name (each must be active). */
  merchants: { get(merchantId: string): Promise<Merchant | undefined> };
  captureWindow: CaptureWindow;
  /** The merchant side of an intent that succeeds: fees at the merchant's tier, its pending balance. */
  ledger: MerchantLedgerDeps;
  currencies: CurrencyPolicy;
  ids: Ids;
  clock: Clock;
  /** CAPTURE_WINDOW_SECONDS: how long an authorization waits for its capture. */
  captureWindowSeconds: number;
  /** The intent as the merchant API shows it: each event carries it (`object`) for the merchant's webhooks. */
  objectView?: (intent: PaymentIntent) => Record<string, unknown>;
}

export async function intentOf(
  tenant: Tenant,
  intentId: string,
  intents: PaymentIntentStore,
): Promise<PaymentIntent> {
  const intent = await intents.get(tenant, intentId);
  if (intent === undefined) throw new NotFoundError('PaymentIntent');
  return intent;
}

/** The processor's payment as the intent reads it. */
export function outcomeOf(payment: ProviderPayment): ProcessorOutcome {
  return {
    status: payment.status as PaymentIntentStatus,
    providerPaymentId: payment.id,
    amountReceived: payment.amountReceived,
    nextActionUrl: payment.nextActionUrl,
  };
}

/** The event announcing the change from `before` to `after`, if it announces one (ids unique per change). */
export function eventFor(
  before: PaymentIntent,
  after: PaymentIntent,
  objectView?: (intent: PaymentIntent) => Record<string, unknown>,
): PaymentIntentEvent | undefined {
  const type = eventOfChange(before, after);
  if (type === undefined) return undefined;
  const perAttempt = type === 'payment_intent.payment_failed' || type === 'payment_intent.requires_action';
  const eventId = perAttempt
    ? domainEventId(type, after.intentId, String(after.attempts))
    : domainEventId(type, after.intentId);
  return {
    type,
    detail: {
      eventId,
      occurredAt: after.updatedAt,
      merchantId: after.merchantId,
      mode: after.mode,
      paymentIntentId: after.intentId,
      status: after.status,
      amount: after.amount,
      amountReceived: after.amountReceived,
      currency: after.currency,
      ...(after.lastPaymentError !== null && type === 'payment_intent.payment_failed'
        ? { failureCode: after.lastPaymentError.declineCode ?? after.lastPaymentError.code }
        : {}),
      ...(after.cancellationReason === null ? {} : { cancellationReason: after.cancellationReason }),
      ...(objectView === undefined ? {} : { object: objectView(after) }),
    },
  };
}

/**
 * Writes the change from `before` to `after` with its event, conditional on `before`. A change into
 * `succeeded` carries the money: what was captured comes into the merchant's pending balance net of the
 * fees, in the same transaction, and the intent records those fees.
 */
export async function saveChange(
  deps: Pick<PaymentIntentDeps, 'intents' | 'ledger' | 'objectView'>,
  before: PaymentIntent,
  after: PaymentIntent,
): Promise<PaymentIntent> {
  if (after.status !== 'succeeded' || before.status === 'succeeded')
    return deps.intents.save(before, after, eventFor(before, after, deps.objectView));
  const charge = await intentChargeFor(after, new Date(after.updatedAt), deps.ledger);
  const charged = { ...after, fees: { platform: charge.fees.platform, processing: charge.fees.processing } };
  return deps.intents.save(before, charged, eventFor(before, charged, deps.objectView), charge);
}

/** The processor's idempotency key of one of the intent's calls: derived from its id. */
export const providerKeys = {
  attempt: (intent: PaymentIntent) => `${intent.intentId}:attempt:${intent.attempts}`,
  capture: (intent: PaymentIntent, amount: number) => `${intent.intentId}:capture:${amount}`,
  cancel: (intent: PaymentIntent) => `${intent.intentId}:cancel`,
};
