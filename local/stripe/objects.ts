/**
 * The JSON shapes this server returns, as a narrow subset of Stripe's API objects. Field names, nullability
 * and enum values follow Stripe's API reference, so what the SDK's types promise holds for the fields
 * present here. Fields Stripe returns that nothing here models are left out rather than faked.
 */

import type { PayoutObject, TransferObject } from './connect.js';

/** The version the installed `stripe` SDK pins; events are rendered for it, as for an account on it. */
export const STRIPE_API_VERSION = '2026-10-28.endive';

export type Metadata = Record<string, string>;

export type PaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'canceled'
  | 'succeeded';

export type CaptureMethod = 'automatic' | 'automatic_async' | 'manual';
export type CancellationReason = 'abandoned' | 'duplicate' | 'fraudulent' | 'requested_by_customer';
export type RefundReason = 'duplicate' | 'fraudulent' | 'requested_by_customer';
export type CardBrand = 'amex' | 'discover' | 'mastercard' | 'visa';
export type CardFunding = 'credit' | 'debit' | 'prepaid';

export interface CardDetails {
  brand: CardBrand;
  display_brand: string;
  country: string;
  exp_month: number;
  exp_year: number;
  fingerprint: string;
  funding: CardFunding;
  last4: string;
  checks: { address_line1_check: null; address_postal_code_check: null; cvc_check: 'pass' };
  networks: { available: CardBrand[]; preferred: null };
  three_d_secure_usage: { supported: boolean };
  wallet: null;
}

export interface BillingDetails {
  address: {
    city: null;
    country: null;
    line1: null;
    line2: null;
    postal_code: null;
    state: null;
  };
  email: null;
  name: null;
  phone: null;
}

export interface PaymentMethodObject {
  id: string;
  object: 'payment_method';
  allow_redisplay: 'unspecified';
  billing_details: BillingDetails;
  card: CardDetails;
  created: number;
  customer: string | null;
  livemode: false;
  metadata: Metadata;
  type: 'card';
}

/** A Customer: what PaymentMethods are attached to, so that only its owner's payments may use them. */
export interface CustomerObject {
  id: string;
  object: 'customer';
  created: number;
  description: string | null;
  email: string | null;
  livemode: false;
  metadata: Metadata;
  name: string | null;
}

/** The error a failed attempt leaves on `last_payment_error`; the API error body has the same fields. */
export interface PaymentError {
  type: 'card_error' | 'invalid_request_error';
  code: string;
  decline_code?: string;
  message: string;
  param?: string;
  doc_url: string;
  charge?: string;
  payment_method: PaymentMethodObject;
}

export type NextAction =
  | {
      type: 'use_stripe_sdk';
      use_stripe_sdk: { type: 'three_d_secure_redirect'; stripe_js: string };
    }
  | {
      type: 'redirect_to_url';
      redirect_to_url: { url: string; return_url: string };
    };

export interface AutomaticPaymentMethods {
  enabled: boolean;
  allow_redirects?: 'always' | 'never';
}

/**
 * A PaymentIntent as stored: `latest_charge` and `payment_method` are ids. A response may expand them into
 * the objects (`expand[]=latest_charge`), which is the `PaymentIntentResource` type.
 */
export interface PaymentIntentObject {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  application: null;
  application_fee_amount: null;
  automatic_payment_methods: AutomaticPaymentMethods | null;
  canceled_at: number | null;
  cancellation_reason: CancellationReason | null;
  capture_method: CaptureMethod;
  client_secret: string;
  confirmation_method: 'automatic';
  created: number;
  currency: string;
  customer: string | null;
  description: string | null;
  last_payment_error: PaymentError | null;
  latest_charge: string | null;
  livemode: false;
  metadata: Metadata;
  next_action: NextAction | null;
  on_behalf_of: null;
  payment_method: string | null;
  payment_method_types: string[];
  processing: null;
  receipt_email: string | null;
  review: null;
  setup_future_usage: 'off_session' | 'on_session' | null;
  shipping: null;
  source: null;
  statement_descriptor: string | null;
  statement_descriptor_suffix: string | null;
  status: PaymentIntentStatus;
  transfer_data: null;
  transfer_group: string | null;
}

export type PaymentIntentResource = Omit<PaymentIntentObject, 'latest_charge' | 'payment_method'> & {
  latest_charge: string | ChargeObject | null;
  payment_method: string | PaymentMethodObject | null;
};

export interface ChargeOutcome {
  network_status: 'approved_by_network' | 'declined_by_network';
  reason: string | null;
  risk_level: 'normal';
  risk_score: number;
  seller_message: string;
  type: 'authorized' | 'issuer_declined';
}

export interface ChargeObject {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  /** Includes an authorisation released by a partial capture or a cancel, as Stripe counts it. */
  amount_refunded: number;
  application_fee_amount: null;
  balance_transaction: string | null;
  billing_details: BillingDetails;
  calculated_statement_descriptor: string;
  captured: boolean;
  created: number;
  currency: string;
  customer: string | null;
  description: string | null;
  disputed: boolean;
  failure_code: string | null;
  failure_message: string | null;
  livemode: false;
  metadata: Metadata;
  outcome: ChargeOutcome;
  paid: boolean;
  payment_intent: string;
  payment_method: string;
  payment_method_details: {
    type: 'card';
    card: Pick<
      CardDetails,
      'brand' | 'country' | 'exp_month' | 'exp_year' | 'fingerprint' | 'funding' | 'last4'
    > & {
      network: CardBrand;
      three_d_secure: { authentication_flow: 'challenge'; result: 'authenticated' } | null;
    };
  };
  receipt_email: string | null;
  refunded: boolean;
  status: 'failed' | 'pending' | 'succeeded';
}

export interface RefundObject {
  id: string;
  object: 'refund';
  amount: number;
  balance_transaction: string;
  charge: string;
  created: number;
  currency: string;
  metadata: Metadata;
  payment_intent: string;
  reason: RefundReason | null;
  receipt_number: null;
  source_transfer_reversal: null;
  /** As Stripe: a card refund may stay `pending` and later succeed or fail (the money goes back). */
  status: 'pending' | 'succeeded' | 'failed' | 'canceled';
  /** Why it failed (`lost_or_stolen_card`, `expired_or_canceled_card`, `unknown`); null otherwise. */
  failure_reason: string | null;
  transfer_reversal: null;
}

export type EventType =
  | 'payment_intent.created'
  | 'payment_intent.requires_action'
  | 'payment_intent.amount_capturable_updated'
  | 'payment_intent.succeeded'
  | 'payment_intent.payment_failed'
  | 'payment_intent.canceled'
  | 'charge.succeeded'
  | 'charge.failed'
  | 'charge.captured'
  | 'charge.refunded'
  | 'charge.refund.updated'
  | 'refund.created'
  | 'refund.updated'
  | 'refund.failed'
  | 'charge.dispute.created'
  | 'charge.dispute.updated'
  | 'charge.dispute.closed'
  | 'transfer.created'
  | 'transfer.reversed'
  | 'payout.created'
  | 'payout.paid'
  | 'payout.failed';

/** Stripe's dispute statuses (`warning_*`: an inquiry before a chargeback). */
export type DisputeStatus =
  | 'warning_needs_response'
  | 'warning_under_review'
  | 'warning_closed'
  | 'needs_response'
  | 'under_review'
  | 'won'
  | 'lost'
  | 'prevented';

/** A dispute (chargeback) of a charge: the subset of Stripe's Dispute object the service reads, and a little more. */
export interface DisputeObject {
  id: string;
  object: 'dispute';
  amount: number;
  balance_transactions: [];
  charge: string;
  created: number;
  currency: string;
  is_charge_refundable: boolean;
  livemode: false;
  metadata: Metadata;
  payment_intent: string;
  reason: string;
  status: DisputeStatus;
}

export type EventDataObject =
  | PaymentIntentObject
  | ChargeObject
  | RefundObject
  | DisputeObject
  | TransferObject
  | PayoutObject;

export interface EventObject {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: EventDataObject };
  livemode: false;
  pending_webhooks: number;
  /** The API request that caused the event; both ids are null for the local-only control routes. */
  request: { id: string | null; idempotency_key: string | null };
  type: EventType;
  /** A Connect event: the connected account whose object it is (a payout's). */
  account?: string;
}

export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}
