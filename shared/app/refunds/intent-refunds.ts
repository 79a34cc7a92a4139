/**
 * Refunds of a merchant's PaymentIntents. As the payer side's refunds (refund-payment.ts, see its design
 * note), the money is posted when the processor's refund SUCCEEDS, never before: the refund is reserved
 * (pending, counted in the intent's reserved total so refunds never exceed what was captured, also under a
 * concurrent twin), then the processor is asked under the refund's id as its idempotency key, and its
 * answer is applied in ONE transaction with the refund's state: succeeded with the merchant's legs
 * (intentRefundFor); failed with the amount given back to refund again (nothing was posted, so nothing is
 * reversed: the money is back where it was).
 */
import {
  ConcurrentModificationError,
  InvalidStateTransitionError,
  NotFoundError,
} from '../../domain/errors.js';
import type { MerchantCaller } from '../../domain/merchant.js';
import { parseAmount } from '../../domain/money.js';
import type { PaymentIntent } from '../../domain/payment-intent.js';
import { intentRefundFor, type MerchantLedgerDeps } from '../balance/charge.js';
import type { PaymentIntentStore } from '../payment-intents/ports.js';
import type { PaymentProvider, ProviderRefund } from '../payments/ports.js';
import type { Clock } from '../ports.js';
import type { IntentRefund, IntentRefundStore } from './ports.js';

export interface IntentRefundDeps {
  intents: Pick<PaymentIntentStore, 'get'>;
  intentRefunds: IntentRefundStore;
  provider: Pick<PaymentProvider, 'refund' | 'retrieveRefund'>;
  merchantLedger: MerchantLedgerDeps;
  clock: Clock;
}

/** Rounds of a refund's end against a settled total that other refunds of the intent keep changing. */
const MAX_ROUNDS = 8;

/**
 * 1. The intent must be the caller's, in its mode (else 404), and succeeded (else 409).
 * 2. The amount defaults to what is left (captured less reserved), and never exceeds it (400).
 * 3. Reserve, ask the processor, apply its answer (finishIntentRefund).
 */
export async function refundIntent(
  caller: MerchantCaller,
  input: { intentId: string; refundId: string; amount?: number; reason?: string },
  deps: IntentRefundDeps,
): Promise<IntentRefund> {
  const intent = await deps.intents.get(caller, input.intentId);
  if (intent === undefined) throw new NotFoundError('PaymentIntent');
  if (intent.status !== 'succeeded') throw new InvalidStateTransitionError(intent.status, 'refund');
  // A retried refund resumes the refund it recorded, whatever is left to refund now.
  const earlier = await deps.intentRefunds.intentRefund(caller, input.refundId);
  const remaining =
    intent.amountReceived - (await deps.intentRefunds.totals(caller, intent.intentId)).reserved;
  if (earlier === undefined && input.amount === undefined && remaining <= 0)
    throw new InvalidStateTransitionError(intent.status, 'refund');
  const at = deps.clock.now().toISOString();
  const refund = await deps.intentRefunds.reserve(intent, {
    refundId: input.refundId,
    merchantId: intent.merchantId,
    mode: intent.mode,
    intentId: intent.intentId,
    amount: earlier?.amount ?? (input.amount === undefined ? remaining : parseAmount(input.amount)),
    currency: intent.currency,
    status: 'pending',
    ...(input.reason === undefined ? {} : { reason: input.reason }),
    createdAt: at,
    updatedAt: at,
  });
  return finishIntentRefund(intent, refund, deps);
}

/** Asks the processor for a pending refund (or for its refund as it is now) and applies the answer. */
export async function finishIntentRefund(
  intent: PaymentIntent,
  refund: IntentRefund,
  deps: IntentRefundDeps,
): Promise<IntentRefund> {
  if (refund.status !== 'pending') return refund;
  if (intent.providerPaymentId === null) throw new Error(`PaymentIntent ${intent.intentId} has no charge`);
  const atProvider =
    refund.providerRefundId === undefined
      ? await deps.provider.refund({
          paymentId: intent.providerPaymentId,
          idempotencyKey: refund.refundId,
          amount: refund.amount,
          // How the processor's refund events find this refund (intent-refund-ends.ts).
          metadata: {
            refundId: refund.refundId,
            paymentIntentId: intent.intentId,
            merchantId: intent.merchantId,
            mode: intent.mode,
          },
        })
      : await deps.provider.retrieveRefund(intent.providerPaymentId, refund.providerRefundId);
  return applyIntentProviderRefund(intent, refund, atProvider, deps);
}

/** The processor's word on a refund, applied only forward (see the note at the top of this file). */
export async function applyIntentProviderRefund(
  intent: PaymentIntent,
  refund: IntentRefund,
  atProvider: ProviderRefund,
  deps: Omit<IntentRefundDeps, 'provider' | 'intents'>,
): Promise<IntentRefund> {
  const at = deps.clock.now().toISOString();
  if (atProvider.status === 'pending') {
    return refund.providerRefundId === atProvider.id
      ? refund
      : deps.intentRefunds.noteProvider(refund, atProvider.id, at);
  }
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const settledBefore = (await deps.intentRefunds.totals(refund, intent.intentId)).settled;
    const base = { refund, at, settledBefore, providerRefundId: atProvider.id };
    try {
      if (atProvider.status !== 'succeeded')
        return await deps.intentRefunds.settle({ ...base, status: 'failed' });
      const merchant = await intentRefundFor(
        intent,
        { refundId: refund.refundId, amount: refund.amount, refundedBefore: settledBefore },
        new Date(at),
        deps.merchantLedger,
      );
      return await deps.intentRefunds.settle({ ...base, status: 'succeeded', merchant });
    } catch (error) {
      // Another refund of the intent settled meanwhile: its share of the fee is counted, then this one's.
      if (!(error instanceof ConcurrentModificationError)) throw error;
    }
  }
  throw new ConcurrentModificationError('Refund');
}
