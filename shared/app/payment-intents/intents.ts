/**
 * PaymentIntents: create (optionally confirming at once), confirm, read and list (API.md "The merchant API").
 * Capture and cancellation are in settle.ts.
 */
import { ValidationError } from '../../domain/errors.js';
import { parseAmount } from '../../domain/money.js';
import {
  afterDecline,
  afterOutcome,
  assertConfirmable,
  assertSplits,
  type CaptureMethod,
  initialStatus,
  type PaymentIntent,
  type PaymentIntentStatus,
  type Split,
} from '../../domain/payment-intent.js';
import {
  ExpiredCardError,
  PaymentDeclinedError,
  UnknownPaymentMethodError,
} from '../../domain/provider-errors.js';
import type { CursorCodec } from '../cursor.js';
import { intentOf, outcomeOf, type PaymentIntentDeps, providerKeys, saveChange } from './common.js';
import type { IntentCustomer, PaymentIntentStore, Tenant } from './ports.js';

export interface CreatePaymentIntentCommand {
  tenant: Tenant;
  idempotencyKey: string;
  amount: unknown;
  currency: unknown;
  captureMethod: CaptureMethod;
  customerId?: string | undefined;
  paymentMethodId?: string | undefined;
  confirm?: boolean | undefined;
  description?: string | undefined;
  metadata?: Readonly<Record<string, string>> | undefined;
  splits?: readonly { merchantId: string; amount: unknown }[] | undefined;
}

/**
 * 1. Accept the amount and currency (400 as the payer side does), the splits (other active merchants,
 *    adding up to less than the amount) and the customer (the tenant's own, else 400).
 * 2. The intent id derives from the tenant and the Idempotency-Key: a retry finds the first intent.
 * 3. Store it in `requires_payment_method` or `requires_confirmation`; with `confirm`, confirm it now.
 */
export async function createPaymentIntent(
  command: CreatePaymentIntentCommand,
  deps: PaymentIntentDeps,
): Promise<PaymentIntent> {
  const { tenant } = command;
  const money = deps.currencies.money(command.amount, command.currency);
  const splits: Split[] = (command.splits ?? []).map((split) => ({
    merchantId: split.merchantId,
    amount: parseAmount(split.amount),
  }));
  assertSplits(tenant.merchantId, money.amount, splits);
  const customer = await customerOf(tenant, command.customerId, deps);
  const paymentMethodId = command.paymentMethodId ?? customer?.defaultPaymentMethod ?? null;
  for (const split of splits) {
    const merchant = await deps.merchants.get(split.merchantId);
    if (merchant?.status !== 'active') {
      throw new ValidationError('Splits pay active merchants only', {
        issues: [{ path: 'splits', message: `${split.merchantId} is not an active merchant` }],
      });
    }
  }
  const intentId = deps.ids.derive('pi_', tenant.merchantId, tenant.mode, command.idempotencyKey);
  const now = deps.clock.now().toISOString();
  const intent = await deps.intents.create({
    intentId,
    merchantId: tenant.merchantId,
    mode: tenant.mode,
    amount: money.amount,
    currency: money.currency,
    status: initialStatus(paymentMethodId),
    captureMethod: command.captureMethod,
    amountCapturable: 0,
    amountReceived: 0,
    customerId: customer?.customerId ?? null,
    paymentMethodId,
    description: command.description ?? null,
    metadata: command.metadata ?? {},
    splits,
    attempts: 0,
    providerPaymentId: null,
    lastPaymentError: null,
    nextActionUrl: null,
    cancellationReason: null,
    captureBefore: null,
    fees: null,
    canceledAt: null,
    createdAt: now,
    updatedAt: now,
  });
  if (command.confirm !== true || intent.attempts > 0) return intent;
  return confirmPaymentIntent({ tenant, intentId }, deps);
}

async function customerOf(
  tenant: Tenant,
  customerId: string | undefined,
  deps: Pick<PaymentIntentDeps, 'customers'>,
): Promise<IntentCustomer | undefined> {
  if (customerId === undefined) return undefined;
  const customer = await deps.customers.find(tenant, customerId);
  if (customer === undefined) {
    throw new ValidationError('No such customer', {
      issues: [{ path: 'customer', message: `No such customer: ${customerId.slice(0, 64)}` }],
    });
  }
  return customer;
}

export interface ConfirmPaymentIntentCommand {
  tenant: Tenant;
  intentId: string;
  paymentMethodId?: string | undefined;
  /** Where 3-D Secure sends the payer back to, when not the provider's default (a hosted checkout page). */
  returnUrl?: string | undefined;
}

/**
 * 1. Only from requires_payment_method (with a payment method), requires_confirmation, requires_action or
 *    processing; anything else is 409 INVALID_STATE_TRANSITION.
 * 2. A new attempt is claimed by a conditional write to `processing` (of two concurrent confirmations one
 *    wins); an intent left in `processing` (the processor did not answer) resumes its attempt, whose
 *    idempotency key at the processor is the same, so nothing is charged twice. `requires_action` asks the
 *    processor where its attempt stands (the payer may have authenticated).
 * 3. The processor's answer is written with its event: succeeded, requires_capture (the capture window
 *    starts), requires_action; a decline goes back to requires_payment_method with last_payment_error
 *    and answers 402 PAYMENT_DECLINED.
 */
export async function confirmPaymentIntent(
  command: ConfirmPaymentIntentCommand,
  deps: PaymentIntentDeps,
): Promise<PaymentIntent> {
  const stored = await intentOf(command.tenant, command.intentId, deps.intents);
  const intent =
    command.paymentMethodId === undefined || stored.status === 'processing'
      ? stored
      : { ...stored, paymentMethodId: command.paymentMethodId };
  assertConfirmable(intent);
  if (intent.status === 'requires_action' && intent.providerPaymentId !== null) {
    const payment = await deps.provider.retrievePayment(intent.providerPaymentId);
    return applyOutcome(stored, outcomeOf(payment), deps);
  }
  const attempt =
    intent.status === 'processing'
      ? intent
      : await deps.intents.save(stored, {
          ...intent,
          status: 'processing',
          attempts: intent.attempts + 1,
          lastPaymentError: null,
          updatedAt: deps.clock.now().toISOString(),
        });
  try {
    const customer = await customerOf(attempt, attempt.customerId ?? undefined, deps);
    const payment = await deps.provider.createPayment({
      idempotencyKey: providerKeys.attempt(attempt),
      amount: attempt.amount,
      currency: attempt.currency,
      paymentMethodId: attempt.paymentMethodId ?? '',
      ...(customer === undefined ? {} : { customerId: customer.providerCustomerId }),
      ...(attempt.description === null ? {} : { description: attempt.description }),
      metadata: { paymentIntentId: attempt.intentId, merchantId: attempt.merchantId },
      capture: attempt.captureMethod,
      ...(command.returnUrl === undefined ? {} : { returnUrl: command.returnUrl }),
    });
    return await applyOutcome(attempt, outcomeOf(payment), deps);
  } catch (error) {
    const decline = declineOf(error, attempt.paymentMethodId);
    if (decline === undefined) throw error;
    await saveChange(deps, attempt, afterDecline(attempt, decline, deps.clock.now()));
    throw error;
  }
}

function declineOf(error: unknown, paymentMethod: string | null) {
  const base = { type: 'card_error' as const, paymentMethod };
  if (error instanceof PaymentDeclinedError)
    return { ...base, code: 'card_declined', declineCode: error.declineCode, message: error.message };
  if (error instanceof ExpiredCardError)
    return { ...base, code: 'expired_card', declineCode: null, message: error.message };
  if (error instanceof UnknownPaymentMethodError)
    return { ...base, code: 'resource_missing', declineCode: null, message: error.message };
  return undefined;
}

async function applyOutcome(
  intent: PaymentIntent,
  outcome: ReturnType<typeof outcomeOf>,
  deps: PaymentIntentDeps,
): Promise<PaymentIntent> {
  const after = afterOutcome(intent, outcome, deps.clock.now(), deps.captureWindowSeconds);
  const saved =
    after.status === intent.status && after.providerPaymentId === intent.providerPaymentId
      ? intent
      : await saveChange(deps, intent, after);
  if (saved.status === 'requires_capture' && saved.captureMethod === 'manual') {
    await deps.captureWindow.start(saved.intentId, {
      merchantId: saved.merchantId,
      mode: saved.mode,
      intentId: saved.intentId,
      captureBefore: saved.captureBefore,
    });
  }
  return saved;
}

export function getPaymentIntent(
  tenant: Tenant,
  intentId: string,
  deps: { intents: PaymentIntentStore },
): Promise<PaymentIntent> {
  return intentOf(tenant, intentId, deps.intents);
}

/** One page of the tenant's intents, newest first; the cursor is signed and bound to this tenant's list. */
export async function listPaymentIntents(
  tenant: Tenant,
  query: { customerId?: string; status?: PaymentIntentStatus; limit: number; cursor?: string },
  deps: { intents: PaymentIntentStore; cursors: CursorCodec },
): Promise<{ intents: PaymentIntent[]; nextCursor: string | null }> {
  const list = `payment_intents:${tenant.merchantId}:${tenant.mode}:${query.customerId ?? ''}:${query.status ?? ''}`;
  const after = query.cursor === undefined ? undefined : deps.cursors.decode(list, query.cursor);
  const page = await deps.intents.list(tenant, {
    limit: query.limit,
    ...(query.customerId === undefined ? {} : { customerId: query.customerId }),
    ...(query.status === undefined ? {} : { status: query.status }),
    ...(after === undefined ? {} : { after }),
  });
  return {
    intents: page.intents,
    nextCursor: page.after === undefined ? null : deps.cursors.encode(list, page.after),
  };
}
