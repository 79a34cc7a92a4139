/**
 * The Charge behind each payment attempt. A PaymentIntent points at its newest one (`latest_charge`); an
 * authorised but uncaptured charge has `captured: false`, and a declined one `status: 'failed'` with the
 * decline's `failure_code`.
 */
import { noSuchObject } from './errors.js';
import type { FormParams } from './form.js';
import { newId } from './ids.js';
import { type ChargeObject, type ChargeOutcome, type PaymentIntentObject, unixNow } from './objects.js';
import { rejectUnknownParams } from './params.js';
import { emptyBillingDetails } from './payment-methods.js';
import type { ApiContext, StoredPaymentMethod } from './state.js';
import type { Decline } from './test-cards.js';

export type ChargeResult =
  | { kind: 'authorized'; capture: boolean; authenticated: boolean }
  | { kind: 'declined'; decline: Decline };

export function createCharge(
  ctx: ApiContext,
  intent: PaymentIntentObject,
  paymentMethod: StoredPaymentMethod,
  result: ChargeResult,
): ChargeObject {
  const card = paymentMethod.object.card;
  const authorized = result.kind === 'authorized';
  const captured = authorized && result.capture;
  const charge: ChargeObject = {
    id: newId('ch'),
    object: 'charge',
    amount: intent.amount,
    amount_captured: captured ? intent.amount : 0,
    amount_refunded: 0,
    application_fee_amount: null,
    balance_transaction: captured ? newId('txn') : null,
    billing_details: emptyBillingDetails(),
    calculated_statement_descriptor: (intent.statement_descriptor ?? 'LOCAL STRIPE TEST').slice(0, 22),
    captured,
    created: unixNow(),
    currency: intent.currency,
    customer: intent.customer,
    description: intent.description,
    disputed: false,
    failure_code: authorized ? null : result.decline.code,
    failure_message: authorized ? null : result.decline.message,
    livemode: false,
    metadata: { ...intent.metadata },
    outcome: authorized ? approvedOutcome() : declinedOutcome(result.decline),
    paid: authorized,
    payment_intent: intent.id,
    payment_method: paymentMethod.object.id,
    payment_method_details: {
      type: 'card',
      card: {
        brand: card.brand,
        country: card.country,
        exp_month: card.exp_month,
        exp_year: card.exp_year,
        fingerprint: card.fingerprint,
        funding: card.funding,
        last4: card.last4,
        network: card.brand,
        three_d_secure:
          authorized && result.authenticated
            ? { authentication_flow: 'challenge', result: 'authenticated' }
            : null,
      },
    },
    receipt_email: intent.receipt_email,
    refunded: false,
    status: authorized ? 'succeeded' : 'failed',
  };
  ctx.state.charges.set(charge.id, charge);
  return charge;
}

function approvedOutcome(): ChargeOutcome {
  return {
    network_status: 'approved_by_network',
    reason: null,
    risk_level: 'normal',
    risk_score: 20,
    seller_message: 'Payment complete.',
    type: 'authorized',
  };
}

function declinedOutcome(decline: Decline): ChargeOutcome {
  return {
    network_status: 'declined_by_network',
    reason: decline.declineCode,
    risk_level: 'normal',
    risk_score: 20,
    seller_message:
      decline.declineCode === 'generic_decline'
        ? 'The bank did not return any further details with this decline.'
        : `The bank returned the decline code \`${decline.declineCode}\`.`,
    type: 'issuer_declined',
  };
}

/** The charge a PaymentIntent's state says exists; its absence is a bug here, not a client error. */
export function chargeOf(ctx: ApiContext, intent: PaymentIntentObject): ChargeObject {
  const charge = intent.latest_charge === null ? undefined : ctx.state.charges.get(intent.latest_charge);
  if (charge === undefined) throw new Error(`PaymentIntent ${intent.id} has no stored latest_charge`);
  return charge;
}

/** `GET /v1/charges/:id` */
export function retrieveCharge(ctx: ApiContext, params: FormParams, id: string): ChargeObject {
  rejectUnknownParams(params, ['expand']);
  const charge = ctx.state.charges.get(id);
  if (charge === undefined) throw noSuchObject('charge', id, 'id', 404);
  return charge;
}
