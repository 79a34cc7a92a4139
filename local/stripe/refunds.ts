/**
 * Refunds of a captured charge, named by its PaymentIntent or directly. Each is full (no `amount`: what is
 * left) or partial, and together they never exceed what was captured (failed or canceled ones aside).
 * Refunds succeed at once, unless the control route left new ones `pending` (state.refundMode): then
 * settleRefund ends each later, as Stripe does, with `refund.updated` and `charge.refund.updated` (and
 * `refund.failed` for a failure, whose amount is no longer refunded on the charge).
 */
import { invalidParam, invalidRequest, noSuchObject } from './errors.js';
import type { FormParams } from './form.js';
import { newId } from './ids.js';
import { formatAmount } from './money.js';
import { type ChargeObject, type RefundObject, type RefundReason, unixNow } from './objects.js';
import {
  optionalEnum,
  optionalMetadata,
  optionalPositiveInteger,
  optionalString,
  rejectUnknownParams,
} from './params.js';
import type { ApiContext } from './state.js';

const REASONS: readonly RefundReason[] = ['duplicate', 'fraudulent', 'requested_by_customer'];

/** `POST /v1/refunds` */
export function createRefund(ctx: ApiContext, params: FormParams): RefundObject {
  rejectUnknownParams(params, ['amount', 'charge', 'expand', 'metadata', 'payment_intent', 'reason']);
  const requested = optionalPositiveInteger(params, 'amount');
  const reason = optionalEnum(params, 'reason', REASONS) ?? null;
  const metadata = optionalMetadata(params) ?? {};
  const charge = chargeToRefund(ctx, params);

  const remaining = charge.amount_captured - refundedSoFar(ctx, charge.id);
  if (remaining <= 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, {
      code: 'charge_already_refunded',
    });
  }
  const amount = requested ?? remaining;
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`,
      { param: 'amount' },
    );
  }

  const refund: RefundObject = {
    id: newId('re'),
    object: 'refund',
    amount,
    balance_transaction: newId('txn'),
    charge: charge.id,
    created: unixNow(),
    currency: charge.currency,
    metadata,
    payment_intent: charge.payment_intent,
    reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: ctx.state.refundMode,
    failure_reason: null,
    transfer_reversal: null,
  };
  ctx.state.refunds.set(refund.id, refund);
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded >= charge.amount;
  ctx.events.emit('refund.created', refund, ctx.request);
  ctx.events.emit('charge.refunded', charge, ctx.request);
  return refund;
}

/** Ends a pending refund (a control route): succeeded, or failed with the money back on the charge. */
export function settleRefund(ctx: ApiContext, id: string, outcome: 'succeed' | 'fail'): RefundObject {
  const refund = ctx.state.refunds.get(id);
  if (refund === undefined) throw noSuchObject('refund', id, 'id', 404);
  if (refund.status !== 'pending') {
    throw invalidRequest(`Refund ${id} is ${refund.status}, not pending.`, { code: 'refund_not_pending' });
  }
  refund.status = outcome === 'succeed' ? 'succeeded' : 'failed';
  if (outcome === 'fail') {
    refund.failure_reason = 'expired_or_canceled_card';
    const charge = ctx.state.charges.get(refund.charge);
    if (charge !== undefined) {
      charge.amount_refunded -= refund.amount;
      charge.refunded = charge.amount_refunded >= charge.amount;
    }
    ctx.events.emit('refund.failed', refund, ctx.request);
  }
  ctx.events.emit('refund.updated', refund, ctx.request);
  ctx.events.emit('charge.refund.updated', refund, ctx.request);
  return refund;
}

/** `GET /v1/refunds/:id` */
export function retrieveRefund(ctx: ApiContext, params: FormParams, id: string): RefundObject {
  rejectUnknownParams(params, ['expand']);
  const refund = ctx.state.refunds.get(id);
  if (refund === undefined) throw noSuchObject('refund', id, 'id', 404);
  return refund;
}

function chargeToRefund(ctx: ApiContext, params: FormParams): ChargeObject {
  const chargeId = optionalString(params, 'charge');
  const intentId = optionalString(params, 'payment_intent');
  if (intentId !== undefined) return chargeOfPaymentIntent(ctx, intentId, chargeId);
  if (chargeId !== undefined) return capturedCharge(ctx, chargeId);
  throw invalidParam(
    'One of the following params should be provided for this request: payment_intent or charge.',
    {
      code: 'parameter_missing',
    },
  );
}

function chargeOfPaymentIntent(
  ctx: ApiContext,
  intentId: string,
  chargeId: string | undefined,
): ChargeObject {
  const intent = ctx.state.paymentIntents.get(intentId);
  if (intent === undefined) throw noSuchObject('payment_intent', intentId, 'payment_intent', 400);
  const charge = intent.latest_charge === null ? undefined : ctx.state.charges.get(intent.latest_charge);
  if (intent.status !== 'succeeded' || charge === undefined) {
    throw invalidRequest('This PaymentIntent does not have a successful charge to refund.', {
      param: 'payment_intent',
    });
  }
  if (chargeId !== undefined && chargeId !== charge.id) {
    throw invalidParam(`Charge ${chargeId} does not belong to PaymentIntent ${intentId}.`, {
      param: 'charge',
    });
  }
  return charge;
}

function capturedCharge(ctx: ApiContext, chargeId: string): ChargeObject {
  const charge = ctx.state.charges.get(chargeId);
  if (charge === undefined) throw noSuchObject('charge', chargeId, 'charge', 400);
  if (charge.status !== 'succeeded' || !charge.captured) {
    throw invalidRequest(`Charge ${chargeId} has not been captured, so there is nothing to refund.`, {
      param: 'charge',
    });
  }
  return charge;
}

function refundedSoFar(ctx: ApiContext, chargeId: string): number {
  let total = 0;
  for (const refund of ctx.state.refunds.values()) {
    if (refund.charge === chargeId && refund.status !== 'failed' && refund.status !== 'canceled')
      total += refund.amount;
  }
  return total;
}
