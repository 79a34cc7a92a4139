/**
 * Ending an authorization: capture (wholly or partly, the rest released), cancel (the merchant), and the
 * capture window's automatic cancellation of one left uncaptured (API.md "The merchant API").
 */
import { ConcurrentModificationError, InvalidStateTransitionError } from '../../domain/errors.js';
import {
  afterCancel,
  afterCapture,
  amountToCapture,
  assertCancelable,
  type MerchantCancellationReason,
  type PaymentIntent,
} from '../../domain/payment-intent.js';
import { ProviderStateConflictError } from '../../domain/provider-errors.js';
import { intentOf, type PaymentIntentDeps, providerKeys, saveChange } from './common.js';
import type { Tenant } from './ports.js';

/**
 * 1. Only from requires_capture; `amountToCapture` positive and at most amount_capturable (else 400).
 * 2. The processor captures it (its idempotency key names the intent and the amount, so a retry or a twin
 *    captures once); then the intent becomes succeeded with what was captured, and its event, in one
 *    conditional write. A twin that lost that write finds it succeeded and answers the same.
 */
export async function capturePaymentIntent(
  command: { tenant: Tenant; intentId: string; amountToCapture?: number | undefined },
  deps: PaymentIntentDeps,
): Promise<PaymentIntent> {
  const intent = await intentOf(command.tenant, command.intentId, deps.intents);
  if (intent.status === 'succeeded' && intent.captureMethod === 'manual') {
    // A retry after its capture was written (the HTTP layer replays most; this covers an expired key).
    if (command.amountToCapture === undefined || command.amountToCapture === intent.amountReceived)
      return intent;
  }
  const amount = amountToCapture(intent, command.amountToCapture);
  try {
    await deps.provider.capturePayment(
      intent.providerPaymentId ?? '',
      providerKeys.capture(intent, amount),
      amount === intent.amountCapturable ? undefined : amount,
    );
  } catch (error) {
    if (error instanceof ProviderStateConflictError) return settledMeanwhile(command, 'capture', deps);
    throw error;
  }
  return saveOrReread(intent, afterCapture(intent, amount, deps.clock.now()), command, deps);
}

/**
 * Cancels an intent the merchant no longer wants: from requires_payment_method, requires_confirmation,
 * requires_action or requires_capture (an authorization is released at the processor first).
 */
export async function cancelPaymentIntent(
  command: { tenant: Tenant; intentId: string; reason?: MerchantCancellationReason | undefined },
  deps: PaymentIntentDeps,
): Promise<PaymentIntent> {
  const intent = await intentOf(command.tenant, command.intentId, deps.intents);
  if (intent.status === 'canceled') return intent;
  assertCancelable(intent);
  await releaseAtProcessor(intent, command, deps);
  const after = afterCancel(intent, command.reason ?? null, deps.clock.now());
  return saveOrReread(intent, after, command, deps);
}

/**
 * The capture window's end (the state machine's task, at capture_before): an intent still in
 * requires_capture is released at the processor and cancelled with `cancellation_reason: automatic`.
 * Anything else (captured or cancelled meanwhile) is left as it is. Idempotent.
 */
export async function expireAuthorization(
  tenant: Tenant,
  intentId: string,
  deps: PaymentIntentDeps,
): Promise<'canceled' | 'unchanged'> {
  const intent = await deps.intents.get(tenant, intentId);
  if (intent?.status !== 'requires_capture') return 'unchanged';
  const now = deps.clock.now();
  if (intent.captureBefore !== null && now.getTime() < Date.parse(intent.captureBefore)) return 'unchanged';
  try {
    await releaseAtProcessor(intent, { tenant, intentId }, deps);
    await saveChange(deps, intent, afterCancel(intent, 'automatic', now));
    return 'canceled';
  } catch (error) {
    // A capture won the race (at the processor or in our write): it stands.
    if (error instanceof ConcurrentModificationError || error instanceof InvalidStateTransitionError)
      return 'unchanged';
    throw error;
  }
}

async function releaseAtProcessor(
  intent: PaymentIntent,
  command: { tenant: Tenant; intentId: string },
  deps: PaymentIntentDeps,
): Promise<void> {
  const heldThere = intent.status === 'requires_capture' || intent.status === 'requires_action';
  if (!heldThere || intent.providerPaymentId === null) return;
  try {
    await deps.provider.cancelPayment(intent.providerPaymentId, providerKeys.cancel(intent));
  } catch (error) {
    if (error instanceof ProviderStateConflictError) {
      await settledMeanwhile(command, 'cancel', deps);
      return;
    }
    throw error;
  }
}

async function saveOrReread(
  before: PaymentIntent,
  after: PaymentIntent,
  command: { tenant: Tenant; intentId: string },
  deps: PaymentIntentDeps,
): Promise<PaymentIntent> {
  try {
    return await saveChange(deps, before, after);
  } catch (error) {
    if (!(error instanceof ConcurrentModificationError)) throw error;
    // A twin of this request wrote the same change first: answer as it did.
    const stored = await intentOf(command.tenant, command.intentId, deps.intents);
    if (stored.status === after.status && stored.amountReceived === after.amountReceived) return stored;
    throw error;
  }
}

/** The processor refused the move: the intent moved on at its side; say where it stands now. */
async function settledMeanwhile(
  command: { tenant: Tenant; intentId: string },
  move: 'capture' | 'cancel',
  deps: PaymentIntentDeps,
): Promise<never> {
  const stored = await intentOf(command.tenant, command.intentId, deps.intents);
  throw new InvalidStateTransitionError(stored.status, move);
}
