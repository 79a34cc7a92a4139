import type { MerchantCharge, MerchantRefund } from '../../domain/balance.js';
/**
 * The payments feature's ports: the payment providers (Stripe, PayPal) and each user's customer at them,
 * the payment and refund records, and the payment lifecycle.
 */
import type { DomainEventDetail } from '../../domain/events.js';
import type { TransferCommand } from '../../domain/ledger.js';
import type { Payment, PaymentEvent, PaymentState } from '../../domain/payment.js';
import type { Wallet } from '../ports.js';

export type ProviderName = 'stripe' | 'paypal';

/** A webhook request's headers, names lower-cased: each provider signs with its own. */
export type WebhookHeaders = Readonly<Record<string, string | undefined>>;

export type ProviderPaymentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'succeeded'
  | 'canceled';

export interface ProviderPayment {
  provider: ProviderName;
  /** The provider's id (a Stripe PaymentIntent id). */
  id: string;
  status: ProviderPaymentStatus;
  amount: number;
  amountReceived: number;
  currency: string;
  /** Where the payer completes an action (3-D Secure) when status is requires_action. */
  nextActionUrl?: string;
  /** What we attached when creating it (`topupId` or `paymentId`): how an event finds our record. */
  metadata?: Readonly<Record<string, string>>;
  /** Why the last attempt failed, as the payer may be told (`generic_decline`, `authentication_failed`). */
  failureCode?: string;
}

export interface ProviderRefund {
  provider: ProviderName;
  id: string;
  paymentId: string;
  amount: number;
  currency: string;
  status: 'pending' | 'succeeded' | 'failed' | 'canceled';
  /** What we attached when asking for it (`refundId`, `paymentId`): how an event finds our refund. */
  metadata?: Readonly<Record<string, string>>;
}

export interface CardDetails {
  id: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  fingerprint?: string;
  /** The processor's customer the card is attached to (Stripe's `customer`); none while nobody owns it. */
  customerId?: string;
}

/** A verified, parsed provider webhook event. */
export interface ProviderEvent {
  provider: ProviderName;
  id: string;
  type: string;
  /** The id of the object the event is about (a PaymentIntent id), for ordering per object. */
  objectId: string;
  /** The provider payment (PaymentIntent) the event concerns, when it names one (a charge's, a dispute's). */
  paymentId?: string;
  /** Facts worth keeping with the event: a refunded amount, a dispute's id, amount and reason. */
  details?: Readonly<Record<string, string | number>>;
  createdAt: string;
  payload: unknown;
}

/**
 * A card processor. Every call that changes something carries our own id as the provider's idempotency key,
 * so a retry never charges twice. Declines surface as domain errors (PAYMENT_DECLINED, EXPIRED_CARD);
 * outages as PROCESSOR_ERROR after bounded retries.
 */
export interface PaymentProvider {
  readonly name: ProviderName;
  /** Which processor takes a payment with this method (`pm_…` a card at Stripe, `paypal` PayPal): what a record stores. */
  providerFor(paymentMethodId: string): ProviderName;
  createPayment(input: {
    idempotencyKey: string;
    amount: number;
    currency: string;
    paymentMethodId: string;
    /** The payer's customer at the processor, who owns the card (Stripe's `customer`); PayPal has none. */
    customerId?: string;
    description?: string;
    metadata?: Readonly<Record<string, string>>;
    capture: 'automatic' | 'manual';
    /** Where 3-D Secure sends the payer back to, instead of the provider's configured one. */
    returnUrl?: string;
  }): Promise<ProviderPayment>;
  confirmPayment(paymentId: string, idempotencyKey: string): Promise<ProviderPayment>;
  capturePayment(paymentId: string, idempotencyKey: string, amount?: number): Promise<ProviderPayment>;
  cancelPayment(paymentId: string, idempotencyKey: string): Promise<ProviderPayment>;
  retrievePayment(paymentId: string): Promise<ProviderPayment>;
  refund(input: {
    paymentId: string;
    idempotencyKey: string;
    amount?: number;
    metadata?: Readonly<Record<string, string>>;
  }): Promise<ProviderRefund>;
  /** A refund as the provider holds it now: the provider's payment, and its refund's id there. */
  retrieveRefund(paymentId: string, refundId: string): Promise<ProviderRefund>;
  retrieveCard(paymentMethodId: string): Promise<CardDetails>;
  /**
   * Creates the processor's customer for one of our users; the idempotency key (derived from the user) makes
   * concurrent or retried creations one customer. Returns the customer id.
   */
  createCustomer(input: { userId: string; idempotencyKey: string }): Promise<string>;
  /**
   * Attaches a card to a customer, so that it pays only for that customer. A test token (`pm_card_visa`)
   * attaches a new card made from it; a card already attached to this customer comes back as it is. A card
   * attached to another customer is UnknownPaymentMethodError, the same answer as a card that does not exist.
   */
  attachCard(input: {
    paymentMethodId: string;
    customerId: string;
    idempotencyKey: string;
  }): Promise<CardDetails>;
  /**
   * Verifies the provider's signature over the raw body (from the request's headers; Stripe's locally with a
   * 300 s tolerance, PayPal's by asking PayPal) and parses the event. A missing or bad one is a
   * WebhookSignatureError.
   */
  verifyWebhook(rawBody: string, headers: WebhookHeaders): Promise<ProviderEvent>;
}

/** Each user's customer at a processor that keeps customers (Stripe), recorded once. */
export interface ProviderCustomers {
  find(userId: string, provider: ProviderName): Promise<string | undefined>;
  /**
   * Records the user's customer with a conditional write, unless one is recorded already; returns the one
   * that stands (of two concurrent first uses, the first written).
   */
  claim(userId: string, provider: ProviderName, customerId: string): Promise<string>;
}

/** The event a completed payment announces, as the lifecycle's PublishCompleted puts it on the bus. */
export interface PaymentCompletedEvent {
  detailType: 'payment.completed';
  detail: DomainEventDetail<'payment.completed'>;
}

export interface PaymentTransition {
  /** The state the payment must be in (the write is conditional on it). */
  from: PaymentState;
  event: PaymentEvent;
  actor: string;
  at: string;
  /**
   * The payment starts waiting on the provider (a card payment entering Processing): it joins the worklist of
   * the reconciliation job in the same write, and leaves it with any transition out of Processing.
   */
  awaitsProvider?: boolean;
  /** Other fields to set in the same write. */
  set?: Partial<
    Pick<
      Payment,
      | 'failureCode'
      | 'completedAt'
      | 'providerPaymentId'
      | 'taskToken'
      | 'activeChallengeId'
      | 'mfaMethod'
      | 'fees'
    >
  >;
  /**
   * The ledger transfer that is this transition's money (the hold, its capture, its release), committed in
   * the same transaction: both happen or neither. A transfer that already happened (an earlier attempt) is
   * not made again and the state follows alone; so does a release of a hold that is no longer pending.
   */
  ledger?: TransferCommand;
  /**
   * The merchant side of a completion (its fees out of the merchant's pending balance, the balance
   * transaction, the month's volume), in the same transaction as `ledger`, and dropped with it when the
   * money had moved already (the charge moved with it).
   */
  charge?: MerchantCharge;
  /**
   * The lifecycle's task token is used by this change (resumed or failed right after): the write removes it
   * from the payment and the result carries it as `takenTaskToken`.
   */
  takeTaskToken?: boolean;
}

/** A payment after a transition, with the task token the transition took from it (`takeTaskToken`). */
export type TransitionedPayment = Payment & { takenTaskToken?: string };

/** How a pending refund ends (PaymentRepository.settleRefund): its status, the money with it, who ended it. */
export interface RefundSettlement {
  refundId: string;
  status: 'succeeded' | 'failed';
  at: string;
  actor: string;
  /** The refund's transfer, for `succeeded`. */
  ledger?: TransferCommand;
  /** With `ledger`: the merchant's side (fee returned, available first, its balance transaction). */
  merchant?: MerchantRefund;
  providerRefundId?: string;
}

export interface PaymentRepository {
  /** Stores a new payment; when its id exists already (a retried or twin request) returns the stored one. */
  create(payment: Payment): Promise<Payment>;
  get(paymentId: string): Promise<Payment | undefined>;
  /**
   * Stores a new payment together with its money (`transfer`: a wallet payment's hold, or its settlement
   * when it completes in its request) and, when given, the event it announces (`payment.completed`), in
   * ONE transaction: all or none. When its id exists already (a retried or twin request) nothing is written
   * and the stored payment is returned. A transfer the ledger refuses (insufficient funds) throws the
   * ledger's error, with nothing written.
   */
  createWith(
    payment: Payment,
    transfer: TransferCommand,
    event?: PaymentCompletedEvent,
    charge?: MerchantCharge,
  ): Promise<Payment>;
  /** Applies one protocol transition as a conditional write; INVALID_STATE_TRANSITION if the state moved. */
  transition(paymentId: string, change: PaymentTransition): Promise<TransitionedPayment>;
  /**
   * Stores fields that are not a state change (the lifecycle's task token, the provider's payment id), only
   * while the payment is in one of `states`; false if it is not.
   */
  annotate(
    paymentId: string,
    states: readonly PaymentState[],
    fields: Partial<Pick<Payment, 'taskToken' | 'providerPaymentId' | 'nextActionUrl' | 'activeChallengeId'>>,
  ): Promise<boolean>;
  /** How many payments the user asked for since `since` (velocity rule). */
  countSince(userId: string, since: string): Promise<number>;
  /**
   * Records a refund and adds its amount to the payment's refundedAmount in one conditional write: only
   * while the payment is Completed and only if the refunds stay within what was paid. A refund id seen
   * before returns the stored refund (created: false) and changes nothing.
   */
  reserveRefund(payment: Payment, refund: Refund): Promise<{ refund: Refund; created: boolean }>;
  /**
   * Ends a pending refund, only forward (a refund no longer pending is returned as it stands), in ONE
   * transaction with its consequences: `succeeded` with its ledger transfer (`ledger`) and, when it makes the
   * refunds paid back equal the payment, the payment's move to Refunded (`actor`); `failed` with the refund's
   * amount taken off the payment's refundedAmount, so it can be refunded again.
   */
  settleRefund(input: RefundSettlement): Promise<{ refund: Refund; payment: Payment }>;
  /** Keeps the provider's refund id on a refund still pending (the provider has not decided yet). */
  noteProviderRefund(refundId: string, providerRefundId: string, at: string): Promise<Refund>;
  getRefund(refundId: string): Promise<Refund | undefined>;
}

/** Where a refund stands: as the provider has it (`canceled` there reads `failed` here: nothing paid back). */
export type RefundStatus = 'pending' | 'succeeded' | 'failed';

export interface Refund {
  refundId: string;
  paymentId: string;
  userId: string;
  amount: number;
  currency: string;
  status: RefundStatus;
  reason?: string;
  /** The provider's refund (a card or PayPal payment's), once it answered. */
  providerRefundId?: string;
  /** The payment's merchant: the refund is listed in its live-mode refunds (`GET /v1/refunds`). */
  merchantId?: string;
  createdAt: string;
  updatedAt: string;
}

/** The long-running lifecycles (Step Functions): started by name, resumed by task token. */
export interface Workflows {
  /** Starts the payment lifecycle, named by the payment id (a duplicate start is harmless). */
  startPayment(paymentId: string, input: Readonly<Record<string, unknown>>): Promise<void>;
  /** Resumes a waiting task; false when the task no longer exists (already resumed or timed out). */
  resume(taskToken: string, output: Readonly<Record<string, unknown>>): Promise<boolean>;
  fail(taskToken: string, error: string, cause: string): Promise<boolean>;
}

/**
 * What a wallet payment below the MFA threshold reads before its one write, in one round trip: the two reads
 * are independent, so they go together.
 */
export interface WalletPaymentReads {
  /** The payer's wallet (none before its first use) and the merchant's live volume in `month` (0 if none). */
  walletAndVolume(
    userId: string,
    merchantId: string,
    month: string,
  ): Promise<{ wallet?: Wallet; volume: number }>;
}
