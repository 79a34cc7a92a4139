/**
 * How a PaymentIntent refund the processor left pending reaches its end after the request: the webhook
 * consumer applies the processor's refund to the refund its metadata names, and reconciliation asks the
 * processor about refunds left pending too long. Both end it through applyIntentProviderRefund (the same
 * settle as the request: only pending → succeeded | failed, the money in the refund's own transaction).
 */
import { NotFoundError } from '../../domain/errors.js';
import type { Mode } from '../../domain/merchant.js';
import type { ProviderRefund } from '../payments/ports.js';
import { applyIntentProviderRefund, type IntentRefundDeps } from './intent-refunds.js';
import type { IntentRefund } from './ports.js';
import { isMode } from './wait-ids.js';

/** What ending a PaymentIntent refund needs besides the processor and the clock. */
export type IntentRefundEndDeps = Pick<IntentRefundDeps, 'intents' | 'intentRefunds' | 'merchantLedger'>;

/** The refund a processor refund's metadata names: set when we asked for it (finishIntentRefund). */
export interface IntentRefundRef {
  merchantId: string;
  mode: Mode;
  refundId: string;
  intentId?: string;
}

/** Our refund named by the processor's refund metadata, or undefined when it names none of ours. */
export function intentRefundRefOf(atProvider: ProviderRefund): IntentRefundRef | undefined {
  const { refundId, paymentIntentId, merchantId, mode } = atProvider.metadata ?? {};
  if (refundId === undefined || merchantId === undefined || !isMode(mode)) return undefined;
  return {
    merchantId,
    mode,
    refundId,
    ...(paymentIntentId === undefined ? {} : { intentId: paymentIntentId }),
  };
}

/**
 * The processor's refund applied to the PaymentIntent refund its metadata names (forward only, once: a
 * duplicate event finds the refund ended and changes nothing). Undefined when it names none of ours, or a
 * refund of ours the processor refund is not (another intent, another processor refund).
 */
export async function applyIntentRefundEvent(
  atProvider: ProviderRefund,
  deps: IntentRefundEndDeps & Pick<IntentRefundDeps, 'clock'>,
): Promise<IntentRefund | undefined> {
  const ref = intentRefundRefOf(atProvider);
  if (ref === undefined) return undefined;
  const refund = await deps.intentRefunds.intentRefund(ref, ref.refundId);
  if (
    refund === undefined ||
    (ref.intentId !== undefined && refund.intentId !== ref.intentId) ||
    (refund.providerRefundId !== undefined && refund.providerRefundId !== atProvider.id)
  )
    return undefined;
  const intent = await deps.intents.get(refund, refund.intentId);
  if (intent === undefined) throw new NotFoundError('PaymentIntent');
  return applyIntentProviderRefund(intent, refund, atProvider, deps);
}
