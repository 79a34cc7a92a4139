/**
 * Refunds by the merchant (API.md "The merchant API": Refunds), called with its secret key. A mini-app
 * payment's refund is the payer side's refund (startRefund: the provider's refund status followed, the
 * platform fee returned in proportion, available then pending debited), asked for by the payment's
 * merchant instead of ops. Every read is inside the caller's tenant: another merchant's refund or
 * payment, or the other mode's, is not found.
 */
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { assertScope, type MerchantCaller } from '../../domain/merchant.js';
import { parseAmount } from '../../domain/money.js';
import type { CursorCodec } from '../cursor.js';
import { type RefundDeps, startRefund } from '../payments/refund-payment.js';
import { type IntentRefundDeps, refundIntent } from './intent-refunds.js';
import type { MerchantRefundRecord, MerchantRefunds, RefundReason } from './ports.js';

export type MerchantRefundDeps = RefundDeps &
  IntentRefundDeps & {
    refunds: MerchantRefunds;
  };

export interface RefundRequest {
  payment_intent?: string | undefined;
  payment?: string | undefined;
  amount?: number | undefined;
  reason?: RefundReason | undefined;
}

/**
 * 1. The key needs `refunds:write`; the request names exactly one of `payment_intent`, `payment`.
 * 2. The refund's id is derived from the tenant, what is refunded and the Idempotency-Key: a retry (or a
 *    concurrent twin that got past the idempotency record) resumes the same refund, never a second one.
 * 3. A PaymentIntent's refund: refundIntent (the caller's succeeded intent, in its mode).
 * 4. A mini-app payment must be the caller's merchant's, in live mode (mini-app payments are live); its
 *    refund is started as the payer side's is (startRefund), and listed in the merchant's refunds.
 */
export async function createRefund(
  caller: MerchantCaller,
  request: RefundRequest,
  idempotencyKey: string,
  deps: MerchantRefundDeps,
): Promise<MerchantRefundRecord> {
  assertScope(caller, 'refunds:write');
  const target = targetOf(request);
  // A bad amount is refused before anything is looked up (400 INVALID_AMOUNT, whatever is named).
  if (request.amount !== undefined) parseAmount(request.amount);
  const refundId = deps.ids.derive('re_', caller.merchantId, caller.mode, target.id, idempotencyKey);
  const options = {
    ...(request.amount === undefined ? {} : { amount: request.amount }),
    ...(request.reason === undefined ? {} : { reason: request.reason }),
  };
  if (target.kind === 'payment_intent') {
    const refund = await refundIntent(caller, { intentId: target.id, refundId, ...options }, deps);
    return { kind: 'payment_intent', refund };
  }
  const payment = await deps.payments.get(target.id);
  if (payment === undefined || payment.merchantId !== caller.merchantId || caller.mode !== 'live')
    throw new NotFoundError('Payment');
  const { refund } = await startRefund(
    payment,
    { refundId, actor: `merchant:${caller.merchantId}`, ...options },
    deps,
  );
  return { kind: 'payment', refund };
}

/** The refund (`payments:read`); NOT_FOUND outside the caller's tenant. */
export async function getRefund(
  caller: MerchantCaller,
  refundId: string,
  deps: Pick<MerchantRefundDeps, 'refunds'>,
): Promise<MerchantRefundRecord> {
  assertScope(caller, 'payments:read');
  const found = await deps.refunds.get(caller, refundId);
  if (found === undefined) throw new NotFoundError('Refund');
  return found;
}

/** One page of the tenant's refunds, newest first; the cursor is signed and bound to this tenant. */
export async function listRefunds(
  caller: MerchantCaller,
  query: { limit: number; cursor?: string | undefined },
  deps: Pick<MerchantRefundDeps, 'refunds'> & { cursors: CursorCodec },
): Promise<{ refunds: MerchantRefundRecord[]; nextCursor: string | null }> {
  assertScope(caller, 'payments:read');
  const list = `refunds:${caller.merchantId}:${caller.mode}`;
  const after = query.cursor === undefined ? undefined : deps.cursors.decode(list, query.cursor);
  const page = await deps.refunds.list(caller, {
    limit: query.limit,
    ...(after === undefined ? {} : { after }),
  });
  return {
    refunds: page.items,
    nextCursor: page.after === undefined ? null : deps.cursors.encode(list, page.after),
  };
}

function targetOf(request: RefundRequest): { kind: 'payment' | 'payment_intent'; id: string } {
  if (request.payment_intent !== undefined && request.payment === undefined)
    return { kind: 'payment_intent', id: request.payment_intent };
  if (request.payment !== undefined && request.payment_intent === undefined)
    return { kind: 'payment', id: request.payment };
  throw new ValidationError('Name exactly one of payment_intent and payment', {
    issues: [{ path: 'payment_intent', message: 'Exactly one of payment_intent and payment' }],
  });
}
