import type { BreakerState } from '../domain/circuit-breaker.js';
import type { Dispute, DisputeStatus, ProviderDisputeStatus } from '../domain/dispute.js';
import type { DomainEventDetail } from '../domain/events.js';
import type { Gift, GiftOpening } from '../domain/gift.js';
import type { Account, Transfer, TransferCommand } from '../domain/ledger.js';
import type { MfaMethod } from '../domain/mfa.js';
import type { P2pStatus, P2pTransfer } from '../domain/p2p.js';
import type { Payment, PaymentEvent, PaymentState } from '../domain/payment.js';

/**
 * Ports: what the use cases need from the outside world, named by capability. Adapters in
 * shared/adapters implement them; unit tests use in-memory fakes.
 */

export type IntegrationName = 'table' | 'queue' | 'bus' | 'stepFunctions' | 'kms';

/** One dependency the service cannot work without, and a cheap call that proves it answers. */
export interface IntegrationProbe {
  name: IntegrationName;
  check(): Promise<void>;
}

export interface DomainEventRecord {
  id: string;
  source: string;
  detailType: string;
  time: string;
  detail: unknown;
}

export interface AuditLog {
  /** Stores the event once; returns false when it was already stored (a redelivery). */
  append(event: DomainEventRecord): Promise<boolean>;
}

export interface Clock {
  now(): Date;
}

export interface Ids {
  /** A new opaque id with the given prefix, e.g. `tw_` + 22 random characters. */
  next(prefix: string): string;
  /**
   * The same opaque id for the same parts, every time: a retried request (same caller, same
   * Idempotency-Key) finds the record and the provider idempotency key of its first attempt.
   */
  derive(prefix: string, ...parts: readonly string[]): string;
}

// ---------------------------------------------------------------------------------------------------------
// Ledger and wallets

export interface HistoryEntry {
  transferId: string;
  accountId: string;
  currency: string;
  direction: 'debit' | 'credit';
  amount: number;
  code: Transfer['code'];
  /** `posted` for direct transfers; a pending transfer's entry moves to posted, voided or expired. */
  status: 'posted' | 'pending' | 'voided' | 'expired';
  counterpartyAccountId: string;
  createdAt: string;
  metadata: Readonly<Record<string, string>>;
}

export interface HistoryPage {
  entries: HistoryEntry[];
  /** Where the next page starts (an adapter position, not yet a client cursor). */
  after?: string;
}

export interface Ledger {
  /** Executes one transfer as one atomic write; the same id again returns the first result. */
  execute(command: TransferCommand): Promise<Transfer>;
  transfer(id: string): Promise<Transfer | undefined>;
  account(id: string): Promise<Account | undefined>;
  /** Every account of a history owner (a wallet's accounts, one per currency), by currency then id. */
  accountsOf(historyOwner: string): Promise<Account[]>;
  /** Newest first. */
  history(historyOwner: string, page: { limit: number; after?: string }): Promise<HistoryPage>;
}

export interface Wallet {
  walletId: string;
  userId: string;
  createdAt: string;
}

export interface WalletDirectory {
  /** The user's wallet, created on first use (a race creates exactly one). */
  ensure(userId: string): Promise<Wallet>;
  find(userId: string): Promise<Wallet | undefined>;
}

// ---------------------------------------------------------------------------------------------------------
// Payment providers

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

// ---------------------------------------------------------------------------------------------------------
// Top-ups and saved cards

export type TopupStatus = 'pending' | 'requires_action' | 'processing' | 'succeeded' | 'failed';

export interface Topup {
  topupId: string;
  userId: string;
  walletId: string;
  amount: number;
  currency: string;
  paymentMethodId: string;
  provider: ProviderName;
  /** The payer's customer at the processor, charged with the card (none for PayPal and older top-ups). */
  customerId?: string;
  status: TopupStatus;
  providerPaymentId?: string;
  nextActionUrl?: string;
  failureCode?: string;
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
}

export interface TopupRepository {
  /** Stores a new top-up; when its id exists already (a retried request) returns the stored one instead. */
  create(topup: Topup): Promise<Topup>;
  get(topupId: string): Promise<Topup | undefined>;
  /**
   * Moves a top-up on, only from one of `from` (a conditional write); returns the updated top-up, or
   * throws InvalidStateTransitionError when it was in another state. With `credit` (the wallet's credit)
   * the change and the ledger transfer commit in one transaction; a credit already made is not made again.
   */
  transition(
    topupId: string,
    from: readonly TopupStatus[],
    change: Partial<
      Pick<Topup, 'status' | 'providerPaymentId' | 'nextActionUrl' | 'failureCode' | 'completedAt'>
    > & {
      status: TopupStatus;
    },
    at: string,
    credit?: TransferCommand,
  ): Promise<Topup>;
}

/** Disputes of top-ups, each with the ledger transfer that freezes, releases or debits its money. */
export interface DisputeRepository {
  get(disputeId: string): Promise<Dispute | undefined>;
  /**
   * Stores a new open dispute (a conditional put) and, with `freeze`, its pending ledger transfer in the same
   * transaction. A dispute stored before is returned as stored and nothing moves. The ledger's refusal (the
   * wallet no longer holds the amount) surfaces as InsufficientFundsError.
   */
  open(dispute: Dispute, freeze?: TransferCommand): Promise<Dispute>;
  /**
   * Closes an open dispute (a conditional write on `open`) and, with `resolution` (the freeze posted or
   * voided), moves its money in the same transaction. Throws InvalidStateTransitionError when it is no
   * longer open.
   */
  close(
    disputeId: string,
    change: { status: Exclude<DisputeStatus, 'open'>; providerStatus: ProviderDisputeStatus },
    at: string,
    resolution?: TransferCommand,
  ): Promise<Dispute>;
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

export interface SavedCard extends CardDetails {
  lastUsedAt: string;
}

export interface SavedCards {
  /** Remembers a card the user paid with (one entry per physical card). */
  save(userId: string, card: CardDetails, at: string): Promise<void>;
  list(userId: string): Promise<SavedCard[]>;
}

// ---------------------------------------------------------------------------------------------------------
// Payments and lifecycles

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
      'failureCode' | 'completedAt' | 'providerPaymentId' | 'taskToken' | 'activeChallengeId' | 'mfaMethod'
    >
  >;
  /**
   * The ledger transfer that is this transition's money (the hold, its capture, its release), committed in
   * the same transaction: both happen or neither. A transfer that already happened (an earlier attempt) is
   * not made again and the state follows alone; so does a release of a hold that is no longer pending.
   */
  ledger?: TransferCommand;
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
  providerRefundId?: string;
}

export interface PaymentRepository {
  /** Stores a new payment; when its id exists already (a retried or twin request) returns the stored one. */
  create(payment: Payment): Promise<Payment>;
  get(paymentId: string): Promise<Payment | undefined>;
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

/** Which second factors a user has enrolled (the MFA feature owns the details). */
export interface MfaEnrolment {
  methodsOf(userId: string): Promise<MfaMethod[]>;
}

// ---------------------------------------------------------------------------------------------------------
// P2P transfers and rooms

export interface P2pTransfers {
  /** Stores a new transfer; an existing id (a retried request) returns the stored one. */
  create(transfer: P2pTransfer): Promise<P2pTransfer>;
  get(transferId: string): Promise<P2pTransfer | undefined>;
  /**
   * Records the outcome, only while the transfer is pending (and, for a person's decision, not yet past
   * its expiry): the first outcome wins. Returns the transfer as it is after the attempt. With `settlement`
   * (the outcome's ledger transfer) the outcome and its money commit in one transaction; a settlement that
   * already happened is not made again. The winner takes the lifecycle's task token (`takenTaskToken`): the
   * write removes it from the transfer.
   */
  decide(
    transferId: string,
    status: Exclude<P2pStatus, 'pending_recipient_acceptance'>,
    at: string,
    mustBeBefore?: string,
    settlement?: TransferCommand,
  ): Promise<{ transfer: P2pTransfer; won: boolean; takenTaskToken?: string }>;
  /** Stores the lifecycle's task token while pending; false otherwise. */
  attachTaskToken(transferId: string, token: string): Promise<boolean>;
}

/** The P2P lifecycle (Step Functions): started by transfer id, resumed by task token. */
export interface P2pLifecycle {
  start(transferId: string, input: Readonly<Record<string, unknown>>): Promise<void>;
  resume(taskToken: string, output: Readonly<Record<string, unknown>>): Promise<boolean>;
}

/** Matrix room membership, from the homeserver. */
export interface RoomDirectory {
  joinedMembers(roomId: string): Promise<ReadonlySet<string>>;
}

// ---------------------------------------------------------------------------------------------------------
// Group gifts

export type PostTransfer = Extract<TransferCommand, { type: 'post' }>;

/** Claiming the next share of a gift: the opening, its payout and its event, written together. */
export interface GiftClaim {
  /** The gift as read: the claim holds only while nobody else changed it since. */
  gift: Gift;
  opening: GiftOpening;
  /** Escrow to the opener's wallet. */
  payout: PostTransfer;
  event: DomainEventDetail<'gift.opened'>;
  now: Date;
}

export interface GiftStore {
  /**
   * Stores the new gift and funds its escrow (`funding`) in one transaction. The same gift id again (a
   * retried request) returns the stored gift and moves no money. Throws InsufficientFundsError.
   */
  create(gift: Gift, funding: PostTransfer): Promise<Gift>;
  get(giftId: string): Promise<Gift | undefined>;
  /** Every opening of the gift (at most its count), in claiming order. */
  openings(giftId: string): Promise<GiftOpening[]>;
  /** The member's opening of the gift, if they opened it. */
  openingOf(giftId: string, userId: string): Promise<GiftOpening | undefined>;
  /** The gift and the member's opening of it, in one round trip. */
  getForOpener(giftId: string, userId: string): Promise<{ gift?: Gift; opening?: GiftOpening }>;
  /**
   * In one transaction: claims the opening's share (only while the gift is active, unexpired, has shares
   * left and nobody holds that share yet), records the opening (only if this user has none), pays the
   * share out and writes the `gift.opened` event to the outbox.
   * `already_opened`: this user has opened it before; `changed`: the share was taken or the gift moved on,
   * read it again.
   */
  claim(claim: GiftClaim): Promise<'claimed' | 'already_opened' | 'changed'>;
  /**
   * In one transaction: marks the gift (still exactly as read and active) expired, recording the refund,
   * and moves the refund, if any, from the escrow back to the creator. `changed`: read it again.
   */
  expire(gift: Gift, refund: PostTransfer | undefined, at: string): Promise<'expired' | 'changed'>;
}

/** The group gift lifecycle (Step Functions): started by gift id; it waits for the expiry itself. */
export interface GiftLifecycle {
  start(giftId: string, input: Readonly<Record<string, unknown>>): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------
// Provider resilience

/**
 * Where a circuit breaker's state lives, shared by every invocation. Writes are atomic (an added failure is
 * never lost to a concurrent one) or conditional on `openedAt` as read, so of concurrent callers exactly
 * one opens the breaker, claims its half-open trial, or closes it.
 */
export interface BreakerStore {
  /** The breaker's state (closed with no failures when never written); may be up to a second old. */
  read(breaker: string): Promise<BreakerState>;
  /** Adds one consecutive failure, atomically; the state after it. */
  addFailure(breaker: string): Promise<BreakerState>;
  /** Sets `openedAt` to `at` only while it is still `expected` (undefined: closed); true if this write did. */
  open(breaker: string, expected: number | undefined, at: number): Promise<boolean>;
  /** Closes (no failures, no `openedAt`) only while `openedAt` is still `expected`; true if this write did. */
  close(breaker: string, expected: number | undefined): Promise<boolean>;
}
