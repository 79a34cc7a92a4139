/**
 * The TMCP payment protocol state machine: the states, and exactly the transitions the protocol allows.
 * Anything else is INVALID_STATE_TRANSITION (409). Every change is applied by a conditional write on the
 * current state and recorded in the payment's history.
 */
import { InvalidStateTransitionError } from './errors.js';
import { accounts, type NewTransfer, type TransferCommand } from './ledger.js';

export const PAYMENT_STATES = [
  'Initiated',
  'Validating',
  'MFA_Required',
  'MFA_Challenge',
  'MFA_Verified',
  'MFA_Failed',
  'Authorized',
  'Processing',
  'Completed',
  'Failed',
  'Refunded',
] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

/** The protocol's events, in one list so the entity's schema and the tests name the same ones. */
export const PAYMENT_EVENTS = [
  'validate',
  'cancel',
  'mfa_required',
  'authorized',
  'invalid',
  'challenge_sent',
  'mfa_verified',
  'mfa_failed',
  'max_retries',
  'retry',
  'process',
  'completed',
  'declined',
  'refund',
] as const;

export type PaymentEvent = (typeof PAYMENT_EVENTS)[number];

/** The protocol's transition table (event → next state), and nothing more. */
export const TRANSITIONS: Readonly<
  Record<PaymentState, Readonly<Partial<Record<PaymentEvent, PaymentState>>>>
> = {
  Initiated: { validate: 'Validating', cancel: 'Failed' },
  Validating: { mfa_required: 'MFA_Required', authorized: 'Authorized', invalid: 'Failed', cancel: 'Failed' },
  // The MFA window can run out before the payer asks for a challenge: no attempt left, like the third wrong one.
  MFA_Required: { challenge_sent: 'MFA_Challenge', max_retries: 'Failed', cancel: 'Failed' },
  MFA_Challenge: {
    mfa_verified: 'MFA_Verified',
    mfa_failed: 'MFA_Failed',
    max_retries: 'Failed',
    cancel: 'Failed',
  },
  MFA_Failed: { retry: 'MFA_Challenge', max_retries: 'Failed', cancel: 'Failed' },
  MFA_Verified: { authorized: 'Authorized', cancel: 'Failed' },
  Authorized: { process: 'Processing', cancel: 'Failed' },
  Processing: { completed: 'Completed', declined: 'Failed', refund: 'Refunded' },
  Completed: { refund: 'Refunded' },
  Failed: { retry: 'Initiated' },
  Refunded: { retry: 'Initiated' },
};

export function nextState(from: PaymentState, event: PaymentEvent): PaymentState {
  const to = TRANSITIONS[from][event];
  if (to === undefined) throw new InvalidStateTransitionError(from, event);
  return to;
}

export type PaymentStatus =
  | 'pending'
  | 'requires_mfa'
  | 'processing'
  | 'completed'
  | 'failed'
  | 'refunded'
  | 'cancelled';

/** The lower-case summary apps show; a payment failed by `cancel` reads as cancelled. */
export function statusOf(state: PaymentState, failureCode?: string): PaymentStatus {
  switch (state) {
    case 'Initiated':
    case 'Validating':
      return 'pending';
    case 'MFA_Required':
    case 'MFA_Challenge':
    case 'MFA_Failed':
      return 'requires_mfa';
    case 'MFA_Verified':
    case 'Authorized':
    case 'Processing':
      return 'processing';
    case 'Completed':
      return 'completed';
    case 'Failed':
      return failureCode === 'cancelled' ? 'cancelled' : 'failed';
    case 'Refunded':
      return 'refunded';
  }
}

/** States in which the payment waits for its payer's second factor. */
export const AWAITING_MFA: readonly PaymentState[] = ['MFA_Required', 'MFA_Challenge', 'MFA_Failed'];

export type PaymentMethod = { type: 'wallet' } | { type: 'card'; id: string } | { type: 'paypal' };

/** The payment method id a processor is asked to charge for the payer's PayPal account. */
export const PAYPAL_METHOD_ID = 'paypal';

/**
 * What a processor is asked to charge for a payment it takes (a card's `pm_…` id, or the payer's PayPal
 * account); a wallet payment has none: it moves money inside the ledger only.
 */
export function processorMethodId(method: PaymentMethod): string | undefined {
  switch (method.type) {
    case 'wallet':
      return undefined;
    case 'card':
      return method.id;
    case 'paypal':
      return PAYPAL_METHOD_ID;
  }
}

export interface PaymentHistoryEntry {
  state: PaymentState;
  event: PaymentEvent | 'created';
  at: string;
  /** Who caused it: the payer's user id, `system` (the lifecycle) or `provider`. */
  actor: string;
}

export interface Payment {
  paymentId: string;
  userId: string;
  appId: string;
  amount: { value: number; currency: string };
  paymentMethod: PaymentMethod;
  description: string;
  metadata: Readonly<Record<string, string>>;
  roomId?: string;
  state: PaymentState;
  mfaRequired: boolean;
  mfaMethod?: string;
  refundedAmount: number;
  failureCode?: string;
  history: PaymentHistoryEntry[];
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
  /** Internal: the wallet reservation, the provider's payment, the lifecycle's waiting task. */
  holdTransferId?: string;
  /**
   * Internal: the payer's wallet, whose history lists the payment and its refunds (a card or PayPal payment's
   * too, though its money never passes through the wallet). Absent on payments recorded before it was kept.
   */
  walletId?: string;
  /** Internal: how much of `refundedAmount` the provider has paid back (refunds succeeded, money moved). */
  refundSettledAmount?: number;
  providerPaymentId?: string;
  /**
   * A card payment's payer at the processor and their card as attached to them (a test token's own new
   * card): what the processor is asked to charge, the same on every attempt.
   */
  customerId?: string;
  cardId?: string;
  /** Where the payer approves the charge (3-D Secure, PayPal), while the processor waits on them. */
  nextActionUrl?: string;
  taskToken?: string;
  activeChallengeId?: string;
  /**
   * The merchant the payment's app belongs to, found when it was requested: its pending balance receives
   * the payment (live mode: wallets are real money). Absent on payments recorded before merchants existed,
   * which still pay the app's own account.
   */
  merchantId?: string;
  /** The fees taken when it completed (API.md "Fees"): a refund returns the platform fee in proportion. */
  fees?: { platform: number; processing: number };
}

/** The wallet hold of a payment, and its ledger transfers: stable ids, so every step is idempotent. */
export const paymentTransferIds = {
  hold: (paymentId: string) => `payment:${paymentId}:hold`,
  capture: (paymentId: string) => `payment:${paymentId}:capture`,
  release: (paymentId: string) => `payment:${paymentId}:release`,
  refund: (refundId: string) => `refund:${refundId}`,
};

/** Whose clearing account a processor's payment passes through: cards are Stripe's, PayPal is PayPal's. */
export function clearingProviderOf(method: PaymentMethod): 'stripe' | 'paypal' | undefined {
  switch (method.type) {
    case 'wallet':
      return undefined;
    case 'card':
      return 'stripe';
    case 'paypal':
      return 'paypal';
  }
}

/**
 * The money of a payment's completion. A wallet payment: its hold posted. A card or PayPal payment: the
 * provider collected it, so its clearing account (per provider and currency, as top-ups credit wallets from)
 * pays the app, listed in the payer's history.
 */
export function captureOf(payment: Payment): TransferCommand {
  const provider = clearingProviderOf(payment.paymentMethod);
  if (provider === undefined) {
    return {
      type: 'post_pending',
      id: paymentTransferIds.capture(payment.paymentId),
      pendingId: paymentTransferIds.hold(payment.paymentId),
    };
  }
  const { value, currency } = payment.amount;
  return {
    type: 'post',
    id: paymentTransferIds.capture(payment.paymentId),
    debit: accounts.providerClearing(provider, currency),
    credit: payeeAccountOf(payment, currency),
    amount: value,
    code: 'payment',
    metadata: { paymentId: payment.paymentId, appId: payment.appId, method: payment.paymentMethod.type },
    ...(payment.walletId === undefined
      ? {}
      : { listedFor: { historyOwner: payment.walletId, direction: 'debit' as const } }),
  };
}

/**
 * The money of a refund that succeeded: the app pays it back, to the payer's wallet (`walletId`) for a
 * wallet payment, to the provider's clearing account (the provider paid the card back) otherwise, listed in
 * the payer's history. Posted only once the refund succeeded, never before (see refund-payment.ts).
 */
export function refundTransferOf(
  payment: Payment,
  refund: { refundId: string; amount: number; currency: string },
  walletId: string | undefined,
): TransferCommand {
  const provider = clearingProviderOf(payment.paymentMethod);
  const metadata = { paymentId: payment.paymentId, refundId: refund.refundId };
  const base = {
    type: 'post' as const,
    id: paymentTransferIds.refund(refund.refundId),
    debit: payeeAccountOf(payment, refund.currency),
    amount: refund.amount,
    code: 'refund' as const,
  };
  if (provider === undefined) {
    if (walletId === undefined)
      throw new Error(`Wallet payment ${payment.paymentId} has no wallet to refund`);
    return { ...base, credit: accounts.wallet(walletId, refund.currency), metadata };
  }
  return {
    ...base,
    credit: accounts.providerClearing(provider, refund.currency),
    metadata: { ...metadata, method: payment.paymentMethod.type },
    ...(walletId === undefined
      ? {}
      : { listedFor: { historyOwner: walletId, direction: 'credit' as const } }),
  };
}

/**
 * The money of a wallet payment's failure or cancellation: its hold voided (nothing when no hold was made
 * or it is no longer pending: the transition then moves alone). None for a payment a processor takes.
 */
export function releaseOf(payment: Payment): TransferCommand | undefined {
  if (payment.paymentMethod.type !== 'wallet') return undefined;
  return {
    type: 'void_pending',
    id: paymentTransferIds.release(payment.paymentId),
    pendingId: paymentTransferIds.hold(payment.paymentId),
    reason: 'voided',
  };
}

/** One protocol step a payment takes: the event and who caused it. */
export interface PaymentStep {
  event: PaymentEvent;
  actor: string;
}

/**
 * The payment after `steps`, taken in order at `at`: each checked by `nextState` from the state the step
 * before left and recorded in the history, as the conditional writes of those steps one by one would.
 * For a payment written once with all its steps (a wallet payment that settles in its request).
 */
export function afterSteps(payment: Payment, steps: readonly PaymentStep[], at: string): Payment {
  let state = payment.state;
  const history = [...payment.history];
  for (const step of steps) {
    state = nextState(state, step.event);
    history.push({ state, event: step.event, at, actor: step.actor });
  }
  return { ...payment, state, history, updatedAt: at };
}

/**
 * The steps a wallet payment takes in its request, from Initiated: below the MFA threshold the payer's
 * request validates and authorizes it and what the lifecycle would do (`system`) processes and completes
 * it; above, it is validated and waits for the second factor; refused for want of funds, it fails.
 */
export function walletRequestSteps(
  payer: string,
  outcome: 'completed' | 'mfa_required' | 'insufficient_funds',
): readonly PaymentStep[] {
  const validate: PaymentStep = { event: 'validate', actor: payer };
  switch (outcome) {
    case 'completed':
      return [
        validate,
        { event: 'authorized', actor: payer },
        { event: 'process', actor: 'system' },
        { event: 'completed', actor: 'system' },
      ];
    case 'mfa_required':
      return [validate, { event: 'mfa_required', actor: payer }];
    case 'insufficient_funds':
      return [validate, { event: 'invalid', actor: payer }];
  }
}

/**
 * The money of a wallet payment that settles in its request: the wallet pays the app at once, posted
 * directly (nothing waits, so nothing is held). It carries the hold's id: the payer's history entry and
 * every reader that finds a wallet payment's money by that id (refunds, the soak's agreement check) see
 * it posted exactly as a hold posted by the lifecycle, and a second attempt cannot post it again.
 */
export function settlementOf(payment: Payment, walletId: string): TransferCommand {
  return { type: 'post', ...paymentTransferOf(payment, walletId) };
}

/** What a wallet payment moves, payer's wallet → the app, whether posted at once or held first. */
export function paymentTransferOf(payment: Payment, walletId: string): NewTransfer {
  const { value, currency } = payment.amount;
  return {
    id: paymentTransferIds.hold(payment.paymentId),
    debit: accounts.wallet(walletId, currency),
    credit: payeeAccountOf(payment, currency),
    amount: value,
    code: 'payment',
    metadata: { paymentId: payment.paymentId },
  };
}

/**
 * Who a payment pays: its merchant's pending balance (mini-app payments are live mode), or, for a payment
 * recorded before merchants existed, its app's own account.
 */
export function payeeAccountOf(payment: Pick<Payment, 'appId' | 'merchantId'>, currency: string) {
  return payment.merchantId === undefined
    ? accounts.app(payment.appId, currency)
    : accounts.merchantPending(payment.merchantId, 'live', currency);
}
