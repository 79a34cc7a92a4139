/**
 * Stripe's objects as the PaymentProvider port's types: PaymentIntents as payments (status, amount received,
 * the 3-D Secure page, the failure the payer may be told), refunds, cards, and what ops see of a webhook's
 * refund or dispute. Pure functions, no calls: the provider (stripe-provider.ts) makes the calls and reads
 * the answers with these; errors are mapped in map-error.ts.
 */
import type Stripe from 'stripe';
import type {
  CardDetails,
  ProviderPayment,
  ProviderPaymentStatus,
  ProviderRefund,
} from '../../app/payments/ports.js';
import { ValidationError } from '../../domain/errors.js';
import { ProcessorError } from '../../domain/provider-errors.js';
import { isRecord } from '../../json.js';
import { toldDeclineCode } from './map-error.js';

const PAYMENT_STATUSES: readonly ProviderPaymentStatus[] = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'processing',
  'requires_capture',
  'succeeded',
  'canceled',
];

export function cardOf(method: Stripe.PaymentMethod): CardDetails {
  const card = method.card;
  if (card === undefined || card === null) throw new ValidationError('The payment method is not a card');
  const details: CardDetails = {
    id: method.id,
    brand: card.brand,
    last4: card.last4,
    expMonth: card.exp_month,
    expYear: card.exp_year,
  };
  if (typeof card.fingerprint === 'string') details.fingerprint = card.fingerprint;
  const customerId = idOf(method.customer);
  if (customerId !== undefined) details.customerId = customerId;
  return details;
}

export function toProviderPayment(intent: Stripe.PaymentIntent): ProviderPayment {
  const payment: ProviderPayment = {
    provider: 'stripe',
    id: intent.id,
    status: paymentStatusOf(intent.status),
    amount: intent.amount,
    amountReceived: intent.amount_received,
    currency: intent.currency.toUpperCase(),
  };
  const nextActionUrl = nextActionUrlOf(intent.next_action);
  if (nextActionUrl !== undefined) payment.nextActionUrl = nextActionUrl;
  if (Object.keys(intent.metadata ?? {}).length > 0) payment.metadata = { ...intent.metadata };
  const failureCode = failureCodeOf(intent.last_payment_error);
  if (failureCode !== undefined) payment.failureCode = failureCode;
  return payment;
}

/** The last attempt's failure as the payer may be told it, in the words a declined request would use. */
function failureCodeOf(error: Stripe.PaymentIntent.LastPaymentError | null): string | undefined {
  if (error === null) return undefined;
  if (error.decline_code !== undefined && error.decline_code !== '')
    return toldDeclineCode(error.decline_code);
  switch (error.code) {
    case undefined:
    case '':
      return undefined;
    case 'payment_intent_authentication_failure':
      return 'authentication_failed';
    case 'card_declined':
      return 'generic_decline';
    default:
      return error.code;
  }
}

/** What ops need to see of a refund or a dispute without opening the provider's dashboard. */
export function detailsOf(object: Record<string, unknown>): Record<string, string | number> | undefined {
  const currency = typeof object.currency === 'string' ? object.currency.toUpperCase() : undefined;
  if (object.object === 'dispute') {
    return withDefined({
      disputeId: object.id,
      chargeId: idOfUnknown(object.charge),
      amount: object.amount,
      currency,
      reason: object.reason,
      status: object.status,
    });
  }
  if (object.object === 'payout' && isRecord(object.metadata)) {
    const { payoutId, merchantId, mode } = object.metadata;
    return withDefined({ providerPayoutId: object.id, payoutId, merchantId, mode, status: object.status });
  }
  if (
    object.object === 'charge' &&
    typeof object.amount_refunded === 'number' &&
    object.amount_refunded > 0
  ) {
    return withDefined({ chargeId: object.id, amountRefunded: object.amount_refunded, currency });
  }
  return undefined;
}

function withDefined(fields: Record<string, unknown>): Record<string, string | number> {
  const kept: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string' || typeof value === 'number') kept[name] = value;
  }
  return kept;
}

export function idOfUnknown(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return isRecord(value) && typeof value.id === 'string' ? value.id : undefined;
}

function paymentStatusOf(status: string): ProviderPaymentStatus {
  const known = PAYMENT_STATUSES.find((candidate) => candidate === status);
  // A status newer than this code: we cannot say what happened, so nothing may be concluded from it.
  if (known === undefined) throw new ProcessorError({ retryable: false });
  return known;
}

/**
 * `redirect_to_url.url` when Stripe gives one (a `return_url` was sent); otherwise the 3-D Secure page
 * Stripe.js would open for a `three_d_secure_redirect`.
 */
function nextActionUrlOf(action: Stripe.PaymentIntent.NextAction | null): string | undefined {
  if (action === null) return undefined;
  const redirect = action.redirect_to_url?.url;
  if (typeof redirect === 'string') return redirect;
  const sdk = action.use_stripe_sdk;
  if (sdk?.type === 'three_d_secure_redirect' && typeof sdk.stripe_js === 'string') return sdk.stripe_js;
  return undefined;
}

export function toProviderRefund(refund: Stripe.Refund, paymentId: string): ProviderRefund {
  return {
    provider: 'stripe',
    id: refund.id,
    paymentId: idOf(refund.payment_intent) ?? paymentId,
    amount: refund.amount,
    currency: refund.currency.toUpperCase(),
    status: refundStatusOf(refund.status),
    ...(Object.keys(refund.metadata ?? {}).length > 0 ? { metadata: { ...refund.metadata } } : {}),
  };
}

function refundStatusOf(status: string | null): ProviderRefund['status'] {
  switch (status) {
    case 'succeeded':
    case 'failed':
    case 'canceled':
      return status;
    default:
      // `pending`, `requires_action`, or not yet known: a later refund.updated event settles it.
      return 'pending';
  }
}

function idOf(value: string | { id: string } | null): string | undefined {
  if (value === null) return undefined;
  return typeof value === 'string' ? value : value.id;
}
