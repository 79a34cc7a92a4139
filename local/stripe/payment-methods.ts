/**
 * PaymentMethods come only from Stripe's documented test tokens. As with Stripe, using or retrieving a
 * token such as `pm_card_visa` makes a new PaymentMethod (`pm_…`) from that test card; the new id then
 * works anywhere a PaymentMethod id does and behaves like the card it came from. Attaching a token to a
 * customer likewise attaches a new PaymentMethod made from it; a PaymentMethod attached to one customer
 * cannot be attached to another.
 */
import { createHash } from 'node:crypto';
import { findCustomer } from './customers.js';
import { invalidRequest, noSuchObject } from './errors.js';
import type { FormParams } from './form.js';
import { newId } from './ids.js';
import { type PaymentMethodObject, unixNow } from './objects.js';
import { rejectUnknownParams, requiredString } from './params.js';
import type { ApiContext, StoredPaymentMethod, StripeState } from './state.js';
import { findTestCard, type TestCard } from './test-cards.js';

const DISPLAY_BRANDS: Readonly<Record<TestCard['brand'], string>> = {
  amex: 'american_express',
  discover: 'discover',
  mastercard: 'mastercard',
  visa: 'visa',
};

/**
 * The PaymentMethod a token or id names. `param` and `status` say how a miss is reported: 404 for the
 * object in the URL, 400 naming the parameter otherwise.
 */
export function resolvePaymentMethod(
  state: StripeState,
  tokenOrId: string,
  param: string,
  status: 400 | 404,
): StoredPaymentMethod {
  const stored = state.paymentMethods.get(tokenOrId);
  if (stored !== undefined) return stored;
  const card = findTestCard(tokenOrId);
  if (card === undefined) throw noSuchObject('PaymentMethod', tokenOrId, param, status);
  const made: StoredPaymentMethod = { object: paymentMethodFor(card), card };
  state.paymentMethods.set(made.object.id, made);
  return made;
}

function paymentMethodFor(card: TestCard): PaymentMethodObject {
  const now = new Date();
  return {
    id: newId('pm'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: emptyBillingDetails(),
    card: {
      brand: card.brand,
      display_brand: DISPLAY_BRANDS[card.brand],
      country: card.country,
      exp_month: now.getUTCMonth() + 1,
      exp_year: now.getUTCFullYear() + 1,
      // Stable per card number, as Stripe's fingerprint is.
      fingerprint: createHash('sha256').update(`${card.brand}:${card.last4}`).digest('hex').slice(0, 16),
      funding: card.funding,
      last4: card.last4,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      networks: { available: [card.brand], preferred: null },
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: unixNow(),
    customer: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
}

export function emptyBillingDetails(): PaymentMethodObject['billing_details'] {
  return {
    address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
    email: null,
    name: null,
    phone: null,
  };
}

/** `GET /v1/payment_methods/:id` */
export function retrievePaymentMethod(ctx: ApiContext, params: FormParams, id: string): PaymentMethodObject {
  rejectUnknownParams(params, ['expand']);
  return resolvePaymentMethod(ctx.state, id, 'payment_method', 404).object;
}

/** `POST /v1/payment_methods/:id/attach`: again to the same customer is no change. */
export function attachPaymentMethod(ctx: ApiContext, params: FormParams, id: string): PaymentMethodObject {
  rejectUnknownParams(params, ['customer', 'expand']);
  const customerId = requiredString(params, 'customer');
  findCustomer(ctx.state, customerId, 'customer', 400);
  const stored = resolvePaymentMethod(ctx.state, id, 'payment_method', 404);
  const owner = stored.object.customer;
  if (owner !== null && owner !== customerId) {
    throw invalidRequest('The payment method you provided has already been attached to a customer.', {
      param: 'payment_method',
    });
  }
  stored.object.customer = customerId;
  return structuredClone(stored.object);
}

/** `POST /v1/payment_methods/:id/detach`: as with Stripe, only a PaymentMethod attached to a customer. */
export function detachPaymentMethod(ctx: ApiContext, params: FormParams, id: string): PaymentMethodObject {
  rejectUnknownParams(params, ['expand']);
  const stored = ctx.state.paymentMethods.get(id);
  if (stored === undefined) throw noSuchObject('PaymentMethod', id, 'payment_method', 404);
  if (stored.object.customer === null) {
    throw invalidRequest(
      'The payment method you provided is not attached to a customer so detachment is impossible.',
      { param: 'payment_method' },
    );
  }
  stored.object.customer = null;
  return structuredClone(stored.object);
}
