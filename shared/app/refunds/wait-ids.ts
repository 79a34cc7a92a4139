/** Where a PaymentIntent refund stands on the provider-wait worklist (no dependencies: adapters use it too). */
import { MODES, type Mode } from '../../domain/merchant.js';

/** A PaymentIntent refund's tenant and id. */
export interface IntentRefundWaitRef {
  merchantId: string;
  mode: Mode;
  refundId: string;
}

/**
 * A PaymentIntent refund's place on the provider-wait worklist: its tenant and id (`<mode>.<merchant>.<refund>`),
 * since its key lives in its tenant's partition.
 */
export function intentRefundWaitId(refund: IntentRefundWaitRef): string {
  return `${refund.mode}.${refund.merchantId}.${refund.refundId}`;
}

/** The tenant and refund id of a worklist id (intentRefundWaitId); undefined for anything else. */
export function intentRefundOfWaitId(id: string): IntentRefundWaitRef | undefined {
  const [mode, merchantId, refundId, ...rest] = id.split('.');
  if (!isMode(mode) || merchantId === undefined || refundId === undefined || rest.length > 0)
    return undefined;
  if (merchantId === '' || refundId === '') return undefined;
  return { mode, merchantId, refundId };
}

export function isMode(value: string | undefined): value is Mode {
  return MODES.some((mode) => mode === value);
}
