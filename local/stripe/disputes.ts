/**
 * Disputes (chargebacks), which at Stripe come from the card network, not from an API call: the local control
 * routes open one on a captured charge and move it on, and each change is an event delivered like any other
 * (`charge.dispute.created`, `charge.dispute.updated`, `charge.dispute.closed`), carrying the dispute as it
 * then stands.
 */
import { invalidRequest, noSuchObject } from './errors.js';
import { newId } from './ids.js';
import { type DisputeObject, type DisputeStatus, unixNow } from './objects.js';
import type { ApiContext } from './state.js';

const CLOSED: readonly DisputeStatus[] = ['won', 'lost', 'warning_closed', 'prevented'];
const OPENING: readonly DisputeStatus[] = ['needs_response', 'warning_needs_response'];

export function isDisputeStatus(value: unknown): value is DisputeStatus {
  return (
    typeof value === 'string' &&
    [...CLOSED, ...OPENING, 'under_review', 'warning_under_review'].some((status) => status === value)
  );
}

/** Opens a dispute on a captured charge: all of it unless `amount` says less. */
export function openDispute(
  ctx: ApiContext,
  chargeId: string,
  input: { amount?: number; reason?: string; status?: DisputeStatus },
): DisputeObject {
  const charge = ctx.state.charges.get(chargeId);
  if (charge === undefined) throw noSuchObject('charge', chargeId, 'charge', 404);
  if (!charge.captured || charge.status !== 'succeeded') {
    throw invalidRequest(`Charge ${chargeId} has not been captured, so it cannot be disputed.`);
  }
  if (charge.disputed) throw invalidRequest(`Charge ${chargeId} has already been disputed.`);
  const amount = input.amount ?? charge.amount;
  if (!Number.isInteger(amount) || amount <= 0 || amount > charge.amount) {
    throw invalidRequest(`A dispute's amount must be a positive integer no larger than ${charge.amount}.`, {
      param: 'amount',
    });
  }
  const status = input.status ?? 'needs_response';
  if (!OPENING.includes(status)) {
    throw invalidRequest('A dispute opens as needs_response or warning_needs_response.', { param: 'status' });
  }
  const dispute: DisputeObject = {
    id: newId('dp'),
    object: 'dispute',
    amount,
    balance_transactions: [],
    charge: charge.id,
    created: unixNow(),
    currency: charge.currency,
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: charge.payment_intent,
    reason: input.reason ?? 'fraudulent',
    status,
  };
  charge.disputed = true;
  ctx.state.disputes.set(dispute.id, dispute);
  ctx.events.emit('charge.dispute.created', dispute, ctx.request);
  return dispute;
}

/** Moves an open dispute on: a closing status sends `charge.dispute.closed`, any other `charge.dispute.updated`. */
export function moveDispute(ctx: ApiContext, disputeId: string, status: DisputeStatus): DisputeObject {
  const dispute = ctx.state.disputes.get(disputeId);
  if (dispute === undefined) throw noSuchObject('dispute', disputeId, 'dispute', 404);
  if (CLOSED.includes(dispute.status)) {
    throw invalidRequest(`Dispute ${disputeId} is already closed (${dispute.status}).`);
  }
  dispute.status = status;
  ctx.events.emit(
    CLOSED.includes(status) ? 'charge.dispute.closed' : 'charge.dispute.updated',
    dispute,
    ctx.request,
  );
  return dispute;
}
