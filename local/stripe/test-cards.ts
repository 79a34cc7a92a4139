/**
 * Stripe's documented test PaymentMethods (docs.stripe.com/testing) and what each does when a payment is
 * attempted with it. Declines carry the `code`, `decline_code`, `message` and `param` Stripe returns.
 *
 * `pm_card_insufficientFunds` and `pm_card_expired` are local aliases (Stripe's own names are the
 * `chargeDeclined…` ones); every other token is Stripe's.
 */
import type { CardBrand, CardFunding } from './objects.js';

export interface Decline {
  code: string;
  declineCode: string;
  message: string;
  param?: string;
}

export type CardOutcome =
  /** Authorised without further steps. */
  | { kind: 'succeed' }
  /** Every on-session payment needs 3D Secure (`requires_action`); off-session ones are declined. */
  | { kind: 'authenticate' }
  | { kind: 'decline'; decline: Decline };

export interface TestCard {
  brand: CardBrand;
  last4: string;
  funding: CardFunding;
  country: string;
  outcome: CardOutcome;
}

const DECLINED = 'Your card was declined.';

function declined(declineCode: string, message = DECLINED): CardOutcome {
  return { kind: 'decline', decline: { code: 'card_declined', declineCode, message } };
}

const SUCCEEDS: CardOutcome = { kind: 'succeed' };
const GENERIC_DECLINE = declined('generic_decline');
const INSUFFICIENT_FUNDS = declined('insufficient_funds', 'Your card has insufficient funds.');
const LOST_CARD = declined('lost_card');
const STOLEN_CARD = declined('stolen_card');
const EXPIRED_CARD: CardOutcome = {
  kind: 'decline',
  decline: {
    code: 'expired_card',
    declineCode: 'expired_card',
    message: 'Your card has expired.',
    param: 'exp_month',
  },
};

/** What an `authenticate` card does when the customer is not there to authenticate (`off_session`). */
export const AUTHENTICATION_REQUIRED: Decline = {
  code: 'authentication_required',
  declineCode: 'authentication_required',
  message: 'Your card was declined. This transaction requires authentication.',
};

function visa(last4: string, outcome: CardOutcome, funding: CardFunding = 'credit'): TestCard {
  return { brand: 'visa', last4, funding, country: 'US', outcome };
}

export const TEST_CARDS: Readonly<Record<string, TestCard>> = {
  // Successful payments, by brand.
  pm_card_visa: visa('4242', SUCCEEDS),
  pm_card_visa_debit: visa('5556', SUCCEEDS, 'debit'),
  pm_card_mastercard: {
    brand: 'mastercard',
    last4: '4444',
    funding: 'credit',
    country: 'US',
    outcome: SUCCEEDS,
  },
  pm_card_mastercard_debit: {
    brand: 'mastercard',
    last4: '8210',
    funding: 'debit',
    country: 'US',
    outcome: SUCCEEDS,
  },
  pm_card_mastercard_prepaid: {
    brand: 'mastercard',
    last4: '5100',
    funding: 'prepaid',
    country: 'US',
    outcome: SUCCEEDS,
  },
  pm_card_amex: { brand: 'amex', last4: '8431', funding: 'credit', country: 'US', outcome: SUCCEEDS },
  pm_card_discover: { brand: 'discover', last4: '1117', funding: 'credit', country: 'US', outcome: SUCCEEDS },

  // Declined payments.
  pm_card_chargeDeclined: visa('0002', GENERIC_DECLINE),
  pm_card_visa_chargeDeclined: visa('0002', GENERIC_DECLINE),
  pm_card_chargeDeclinedInsufficientFunds: visa('9995', INSUFFICIENT_FUNDS),
  pm_card_visa_chargeDeclinedInsufficientFunds: visa('9995', INSUFFICIENT_FUNDS),
  pm_card_insufficientFunds: visa('9995', INSUFFICIENT_FUNDS),
  pm_card_chargeDeclinedLostCard: visa('9987', LOST_CARD),
  pm_card_visa_chargeDeclinedLostCard: visa('9987', LOST_CARD),
  pm_card_chargeDeclinedStolenCard: visa('9979', STOLEN_CARD),
  pm_card_visa_chargeDeclinedStolenCard: visa('9979', STOLEN_CARD),
  pm_card_chargeDeclinedFraudulent: visa('0019', declined('fraudulent')),
  pm_card_visa_chargeDeclinedVelocityLimitExceeded: visa('6975', declined('card_velocity_exceeded')),
  pm_card_chargeDeclinedExpiredCard: visa('0069', EXPIRED_CARD),
  pm_card_expired: visa('0069', EXPIRED_CARD),
  pm_card_chargeDeclinedIncorrectCvc: visa('0127', {
    kind: 'decline',
    decline: {
      code: 'incorrect_cvc',
      declineCode: 'incorrect_cvc',
      message: "Your card's security code is incorrect.",
      param: 'cvc',
    },
  }),
  pm_card_chargeDeclinedProcessingError: visa('0119', {
    kind: 'decline',
    decline: {
      code: 'processing_error',
      declineCode: 'processing_error',
      message: 'An error occurred while processing your card. Try again in a little bit.',
    },
  }),

  // 3D Secure.
  pm_card_authenticationRequired: visa('3184', { kind: 'authenticate' }),
  pm_card_threeDSecure2Required: visa('3220', { kind: 'authenticate' }),
};

export function findTestCard(token: string): TestCard | undefined {
  return Object.hasOwn(TEST_CARDS, token) ? TEST_CARDS[token] : undefined;
}
