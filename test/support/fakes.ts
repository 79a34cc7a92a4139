/**
 * In-memory fakes of the ports, for unit tests of use cases. Each one keeps the contract of its adapter in
 * shared/adapters (conditional writes, create-once, dedupe) and nothing more; the ledger's is
 * test/support/in-memory-ledger.ts. Every fake yields to the event loop between its read and its write where
 * the adapter makes two round trips, so concurrent twins interleave as they would against DynamoDB.
 */
import { randomIds } from '../../shared/adapters/ids.js';
import type {
  CardDetails,
  Clock,
  DisputeRepository,
  GiftClaim,
  GiftLifecycle,
  GiftStore,
  Ids,
  Ledger,
  MfaEnrolment,
  P2pLifecycle,
  P2pTransfers,
  PaymentProvider,
  PaymentRepository,
  PaymentTransition,
  PostTransfer,
  ProviderCustomers,
  ProviderEvent,
  ProviderName,
  ProviderPayment,
  ProviderRefund,
  Refund,
  RoomDirectory,
  SavedCard,
  SavedCards,
  Topup,
  TopupRepository,
  TopupStatus,
  TransitionedPayment,
  Wallet,
  WalletDirectory,
  WebhookHeaders,
  Workflows,
} from '../../shared/app/ports.js';
import type { Dispute, DisputeStatus, ProviderDisputeStatus } from '../../shared/domain/dispute.js';
import { InvalidStateTransitionError, NotFoundError } from '../../shared/domain/errors.js';
import type { DomainEventDetail } from '../../shared/domain/events.js';
import type { Gift, GiftOpening } from '../../shared/domain/gift.js';
import type { TransferCommand } from '../../shared/domain/ledger.js';
import type { MfaMethod } from '../../shared/domain/mfa.js';
import { InvalidAmountError } from '../../shared/domain/money.js';
import { type P2pOutcome, type P2pTransfer, PENDING } from '../../shared/domain/p2p.js';
import { nextState, type Payment, type PaymentState } from '../../shared/domain/payment.js';
import {
  ExpiredCardError,
  PaymentDeclinedError,
  ProcessorError,
  ProviderStateConflictError,
  UnknownPaymentMethodError,
  WebhookSignatureError,
} from '../../shared/domain/provider-errors.js';

// ---------------------------------------------------------------------------------------------------------
// Clock and ids

export interface TestClock extends Clock {
  /** Moves time on, so that later writes sort after earlier ones. */
  advance(milliseconds: number): void;
}

/** A clock that stands still at `iso` until a test moves it on. */
export function fixedClock(iso: string): TestClock {
  let current = new Date(iso).getTime();
  if (Number.isNaN(current)) throw new Error(`Not an ISO instant: ${iso}`);
  return {
    now: () => new Date(current),
    advance: (milliseconds) => {
      current += milliseconds;
    },
  };
}

/** `next` counts per prefix (`tw_1`, `tw_2`, ...); `derive` is the production derivation, a pure function. */
export function sequentialIds(): Ids {
  const counters = new Map<string, number>();
  return {
    next: (prefix) => {
      const n = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, n);
      return `${prefix}${n}`;
    },
    derive: randomIds.derive,
  };
}

/** Lets other pending promises run, as a network round trip would. */
function roundTrip(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

// ---------------------------------------------------------------------------------------------------------
// Wallets

/** Like DynamoDbWalletDirectory: read, then a put conditional on absence; the loser of a race reads the winner. */
export class InMemoryWallets implements WalletDirectory {
  readonly #byUser = new Map<string, Wallet>();

  constructor(
    private readonly ids: Ids,
    private readonly clock: Clock,
  ) {}

  async find(userId: string): Promise<Wallet | undefined> {
    await roundTrip();
    const wallet = this.#byUser.get(userId);
    return wallet === undefined ? undefined : { ...wallet };
  }

  async ensure(userId: string): Promise<Wallet> {
    const existing = await this.find(userId);
    if (existing !== undefined) return existing;
    const wallet: Wallet = {
      walletId: this.ids.next('tw_'),
      userId,
      createdAt: this.clock.now().toISOString(),
    };
    await roundTrip();
    const winner = this.#byUser.get(userId);
    if (winner !== undefined) return { ...winner };
    this.#byUser.set(userId, wallet);
    return { ...wallet };
  }

  /** How many wallets exist, for tests that prove nothing was created. */
  get size(): number {
    return this.#byUser.size;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Top-ups

/** Like DynamoDbTopups: create once per id, transitions conditional on the current status. */
export class InMemoryTopups implements TopupRepository {
  readonly #byId = new Map<string, Topup>();

  /** `ledger`: where a transition that credits the wallet moves the money. */
  constructor(private readonly ledger?: Ledger) {}

  async create(topup: Topup): Promise<Topup> {
    await roundTrip();
    const existing = this.#byId.get(topup.topupId);
    if (existing !== undefined) return { ...existing };
    this.#byId.set(topup.topupId, { ...topup });
    return { ...topup };
  }

  async get(topupId: string): Promise<Topup | undefined> {
    await roundTrip();
    const topup = this.#byId.get(topupId);
    return topup === undefined ? undefined : { ...topup };
  }

  async transition(
    topupId: string,
    from: readonly TopupStatus[],
    change: Partial<
      Pick<Topup, 'status' | 'providerPaymentId' | 'nextActionUrl' | 'failureCode' | 'completedAt'>
    > & { status: TopupStatus },
    at: string,
    credit?: TransferCommand,
  ): Promise<Topup> {
    await roundTrip();
    const current = this.#byId.get(topupId);
    if (current === undefined || !from.includes(current.status)) {
      throw new InvalidStateTransitionError(current?.status ?? 'missing', change.status);
    }
    // The adapter's transaction: the credit and the status together (the ledger does not yield).
    if (credit !== undefined) await settle(this.ledger, credit);
    const next: Topup = { ...current, ...change, updatedAt: at };
    this.#byId.set(topupId, next);
    return { ...next };
  }

  /** Every stored top-up, for tests that prove nothing was stored. */
  all(): Topup[] {
    return [...this.#byId.values()].map((topup) => ({ ...topup }));
  }
}

/**
 * Like DynamoDbDisputes: opened once (a second opening returns the first, moving nothing), closed only from
 * `open`, each with its ledger transfer in the same step (the adapter's transaction).
 */
export class InMemoryDisputes implements DisputeRepository {
  readonly #byId = new Map<string, Dispute>();

  constructor(private readonly ledger: Ledger) {}

  async get(disputeId: string): Promise<Dispute | undefined> {
    await roundTrip();
    const dispute = this.#byId.get(disputeId);
    return dispute === undefined ? undefined : { ...dispute };
  }

  async open(dispute: Dispute, freeze?: TransferCommand): Promise<Dispute> {
    await roundTrip();
    const existing = this.#byId.get(dispute.disputeId);
    if (existing !== undefined) return { ...existing };
    // The ledger fake does not yield before it writes, so the freeze and the put are one step.
    if (freeze !== undefined) await this.ledger.execute(freeze);
    this.#byId.set(dispute.disputeId, { ...dispute });
    return { ...dispute };
  }

  async close(
    disputeId: string,
    change: { status: Exclude<DisputeStatus, 'open'>; providerStatus: ProviderDisputeStatus },
    at: string,
    resolution?: TransferCommand,
  ): Promise<Dispute> {
    await roundTrip();
    const current = this.#byId.get(disputeId);
    if (current === undefined || current.status !== 'open') {
      throw new InvalidStateTransitionError(current?.status ?? 'missing', change.status);
    }
    if (resolution !== undefined) await this.ledger.execute(resolution);
    const next: Dispute = { ...current, ...change, closedAt: at, updatedAt: at };
    this.#byId.set(disputeId, next);
    return { ...next };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Saved cards

/** Like DynamoDbSavedCards: one entry per physical card (fingerprint, else brand-last4-expiry), last write wins. */
export class InMemorySavedCards implements SavedCards {
  readonly #byUser = new Map<string, Map<string, SavedCard>>();

  async save(userId: string, card: CardDetails, at: string): Promise<void> {
    await roundTrip();
    const identity = card.fingerprint ?? `${card.brand}-${card.last4}-${card.expMonth}-${card.expYear}`;
    const cards = this.#byUser.get(userId) ?? new Map<string, SavedCard>();
    this.#byUser.set(userId, cards);
    cards.set(identity, { ...card, lastUsedAt: at });
  }

  async list(userId: string): Promise<SavedCard[]> {
    await roundTrip();
    return [...(this.#byUser.get(userId)?.values() ?? [])].map((card) => ({ ...card }));
  }
}

/** Like DynamoDbProviderCustomers: one customer per user and processor, the first claim stands. */
export class InMemoryProviderCustomers implements ProviderCustomers {
  readonly #byUser = new Map<string, string>();

  async find(userId: string, provider: ProviderName): Promise<string | undefined> {
    await roundTrip();
    return this.#byUser.get(`${provider}:${userId}`);
  }

  async claim(userId: string, provider: ProviderName, customerId: string): Promise<string> {
    await roundTrip();
    const key = `${provider}:${userId}`;
    const stored = this.#byUser.get(key);
    if (stored !== undefined) return stored;
    this.#byUser.set(key, customerId);
    return customerId;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Payment provider

/**
 * What the processor does when a card is charged:
 * - `succeeded`, `requires_action` (3-D Secure), `processing`: the payment is created in that status;
 * - `{ decline }`: the issuer declines with that code (the payment exists, PAYMENT_DECLINED);
 * - `expired`: the card is past its expiry (EXPIRED_CARD);
 * - `unknown_pm`: the processor does not know the payment method (retrieveCard and charges refuse it);
 * - `processor_down`: the charge times out after the retries (PROCESSOR_ERROR) and nothing is stored at the
 *   processor under its idempotency key, so a later retry with the same key runs afresh.
 */
export type CardOutcome =
  | 'succeeded'
  | 'requires_action'
  | 'processing'
  | { decline: string }
  | 'expired'
  | 'unknown_pm'
  | 'processor_down';

export type ProviderCall =
  | {
      method: 'createPayment';
      idempotencyKey: string;
      input: Parameters<PaymentProvider['createPayment']>[0];
    }
  | {
      method: 'confirmPayment' | 'capturePayment' | 'cancelPayment';
      idempotencyKey: string;
      paymentId: string;
      amount?: number;
    }
  | { method: 'refund'; idempotencyKey: string; paymentId: string; amount?: number }
  | { method: 'retrievePayment'; paymentId: string }
  | { method: 'retrieveRefund'; paymentId: string; refundId: string }
  | { method: 'retrieveCard'; paymentMethodId: string }
  | { method: 'createCustomer'; idempotencyKey: string; userId: string }
  | { method: 'attachCard'; idempotencyKey: string; paymentMethodId: string; customerId: string };

type Answer<T> = { ok: true; value: T; request: string } | { ok: false; error: Error; request: string };

/** A failed charge leaves Stripe's PaymentIntent waiting for another payment method. */
function statusAfterCharge(outcome: CardOutcome): ProviderPayment['status'] {
  return outcome === 'succeeded' || outcome === 'requires_action' || outcome === 'processing'
    ? outcome
    : 'requires_payment_method';
}

/** The signature header `verifyWebhook` accepts. */
export const FAKE_WEBHOOK_SIGNATURE = 'fake-signature';
/** Webhook request headers carrying FAKE_WEBHOOK_SIGNATURE. */
export const FAKE_WEBHOOK_HEADERS = { 'fake-signature': FAKE_WEBHOOK_SIGNATURE } as const;

/**
 * A scriptable card processor that behaves like Stripe where the use cases rely on it: the same idempotency
 * key returns the first answer (the same payment, or the same decline) and a different request under it is
 * refused; every call is recorded.
 */
export class FakePaymentProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  readonly calls: ProviderCall[] = [];
  readonly #cards = new Map<string, { details: CardDetails; outcome: CardOutcome }>();
  readonly #payments = new Map<string, ProviderPayment>();
  readonly #paymentAnswers = new Map<string, Answer<ProviderPayment>>();
  readonly #refundAnswers = new Map<string, Answer<ProviderRefund>>();
  /** Refunds as the processor holds them now, by their id. */
  readonly #refunds = new Map<string, ProviderRefund>();
  /** How new refunds start: Stripe settles most card refunds at once, some stay pending. */
  #refundStatus: ProviderRefund['status'] = 'succeeded';
  /** The customer each attached card belongs to. */
  readonly #owners = new Map<string, string>();
  /** Customers by the idempotency key they were created under. */
  readonly #customers = new Map<string, string>();
  #sequence = 0;
  #customerSequence = 0;

  /** Registers a card (or changes what it does next); details default to a Visa ending 4242. */
  card(paymentMethodId: string, outcome: CardOutcome, details: Partial<Omit<CardDetails, 'id'>> = {}): this {
    const known = this.#cards.get(paymentMethodId)?.details ?? {
      id: paymentMethodId,
      brand: 'visa',
      last4: '4242',
      expMonth: 12,
      expYear: 2030,
      fingerprint: `fp_${paymentMethodId}`,
    };
    this.#cards.set(paymentMethodId, { outcome, details: { ...known, ...details } });
    return this;
  }

  /** The payer completes 3-D Secure, or a processing payment clears: the payment has succeeded. */
  settle(paymentId: string): ProviderPayment {
    const payment = this.#payment(paymentId);
    const { nextActionUrl: _done, ...rest } = payment;
    const settled: ProviderPayment = { ...rest, status: 'succeeded', amountReceived: payment.amount };
    this.#payments.set(paymentId, settled);
    return { ...settled };
  }

  /** The recorded createPayment calls, the ones that could charge a card. */
  charges(): Extract<ProviderCall, { method: 'createPayment' }>[] {
    return this.calls.filter(
      (call): call is Extract<ProviderCall, { method: 'createPayment' }> => call.method === 'createPayment',
    );
  }

  async createPayment(input: Parameters<PaymentProvider['createPayment']>[0]): Promise<ProviderPayment> {
    this.calls.push({ method: 'createPayment', idempotencyKey: input.idempotencyKey, input });
    const request = JSON.stringify([
      'createPayment',
      input.amount,
      input.currency,
      input.paymentMethodId,
      input.customerId,
    ]);
    return this.#idempotent(this.#paymentAnswers, input.idempotencyKey, request, () => {
      const card = this.#cards.get(input.paymentMethodId);
      if (card === undefined || card.outcome === 'unknown_pm') throw new UnknownPaymentMethodError();
      // As Stripe: a card attached to a customer pays for that customer only.
      const owner = this.#owners.get(input.paymentMethodId);
      if (owner !== undefined && owner !== input.customerId) throw new UnknownPaymentMethodError();
      if (card.outcome === 'processor_down') throw new ProcessorError();
      const payment: ProviderPayment = {
        provider: this.name,
        id: `pi_${++this.#sequence}`,
        status: statusAfterCharge(card.outcome),
        amount: input.amount,
        amountReceived: card.outcome === 'succeeded' ? input.amount : 0,
        currency: input.currency.toUpperCase(),
        ...(card.outcome === 'requires_action'
          ? { nextActionUrl: `https://hooks.stripe.test/3d_secure/${this.#sequence}` }
          : {}),
      };
      this.#payments.set(payment.id, payment);
      if (card.outcome === 'expired') throw new ExpiredCardError({ providerPaymentId: payment.id });
      if (typeof card.outcome === 'object') {
        throw new PaymentDeclinedError(card.outcome.decline, { providerPaymentId: payment.id });
      }
      return payment;
    });
  }

  async confirmPayment(paymentId: string, idempotencyKey: string): Promise<ProviderPayment> {
    this.calls.push({ method: 'confirmPayment', idempotencyKey, paymentId });
    return this.#idempotent(
      this.#paymentAnswers,
      idempotencyKey,
      JSON.stringify(['confirm', paymentId]),
      () => {
        const payment = this.#payment(paymentId);
        if (payment.status === 'succeeded' || payment.status === 'canceled') {
          throw new ProviderStateConflictError(payment.status);
        }
        return payment;
      },
    );
  }

  async capturePayment(paymentId: string, idempotencyKey: string, amount?: number): Promise<ProviderPayment> {
    this.calls.push({
      method: 'capturePayment',
      idempotencyKey,
      paymentId,
      ...(amount === undefined ? {} : { amount }),
    });
    return this.#idempotent(
      this.#paymentAnswers,
      idempotencyKey,
      JSON.stringify(['capture', paymentId, amount]),
      () => {
        const payment = this.#payment(paymentId);
        if (payment.status !== 'requires_capture') throw new ProviderStateConflictError(payment.status);
        const captured: ProviderPayment = {
          ...payment,
          status: 'succeeded',
          amountReceived: amount ?? payment.amount,
        };
        this.#payments.set(paymentId, captured);
        return captured;
      },
    );
  }

  async cancelPayment(paymentId: string, idempotencyKey: string): Promise<ProviderPayment> {
    this.calls.push({ method: 'cancelPayment', idempotencyKey, paymentId });
    return this.#idempotent(
      this.#paymentAnswers,
      idempotencyKey,
      JSON.stringify(['cancel', paymentId]),
      () => {
        const payment = this.#payment(paymentId);
        if (payment.status === 'succeeded' || payment.status === 'canceled') {
          throw new ProviderStateConflictError(payment.status);
        }
        const { nextActionUrl: _url, ...rest } = payment;
        const canceled: ProviderPayment = { ...rest, status: 'canceled' };
        this.#payments.set(paymentId, canceled);
        return canceled;
      },
    );
  }

  async retrievePayment(paymentId: string): Promise<ProviderPayment> {
    this.calls.push({ method: 'retrievePayment', paymentId });
    await roundTrip();
    return { ...this.#payment(paymentId) };
  }

  /** How the next refunds start (`pending`: the processor decides later, see `settleRefund`). */
  refundsStartAs(status: ProviderRefund['status']): this {
    this.#refundStatus = status;
    return this;
  }

  /** The processor decides a refund later (what its refund.updated event would tell). */
  settleRefund(refundId: string, status: ProviderRefund['status']): void {
    const refund = this.#refunds.get(refundId);
    if (refund === undefined) throw new Error(`No refund ${refundId}`);
    this.#refunds.set(refundId, { ...refund, status });
  }

  async retrieveRefund(paymentId: string, refundId: string): Promise<ProviderRefund> {
    this.calls.push({ method: 'retrieveRefund', paymentId, refundId });
    await roundTrip();
    const refund = this.#refunds.get(refundId);
    if (refund === undefined) throw new Error(`No refund ${refundId}`);
    return { ...refund };
  }

  async refund(input: {
    paymentId: string;
    idempotencyKey: string;
    amount?: number;
    metadata?: Readonly<Record<string, string>>;
  }): Promise<ProviderRefund> {
    this.calls.push({
      method: 'refund',
      idempotencyKey: input.idempotencyKey,
      paymentId: input.paymentId,
      ...(input.amount === undefined ? {} : { amount: input.amount }),
    });
    return this.#idempotent(
      this.#refundAnswers,
      input.idempotencyKey,
      JSON.stringify(['refund', input.paymentId, input.amount]),
      () => {
        const payment = this.#payment(input.paymentId);
        if (payment.status !== 'succeeded') throw new ProviderStateConflictError(payment.status);
        const refund: ProviderRefund = {
          provider: this.name,
          id: `re_${++this.#sequence}`,
          paymentId: payment.id,
          amount: input.amount ?? payment.amountReceived,
          currency: payment.currency,
          status: this.#refundStatus,
          ...(input.metadata === undefined ? {} : { metadata: { ...input.metadata } }),
        };
        this.#refunds.set(refund.id, refund);
        return refund;
      },
    );
  }

  async retrieveCard(paymentMethodId: string): Promise<CardDetails> {
    this.calls.push({ method: 'retrieveCard', paymentMethodId });
    await roundTrip();
    return this.#cardDetails(paymentMethodId);
  }

  /** The same key, the same customer (Stripe's idempotency); a new key, a new customer. */
  async createCustomer(input: { userId: string; idempotencyKey: string }): Promise<string> {
    this.calls.push({ method: 'createCustomer', idempotencyKey: input.idempotencyKey, userId: input.userId });
    await roundTrip();
    const known = this.#customers.get(input.idempotencyKey);
    if (known !== undefined) return known;
    const customerId = `cus_${++this.#customerSequence}`;
    this.#customers.set(input.idempotencyKey, customerId);
    return customerId;
  }

  /**
   * Attaches the card to the customer; another customer's card is refused as unknown. A test token
   * (`pm_card_…`) is never owned: Stripe attaches a new card made from it each time, which this fake keeps
   * under the token's own id so that tests script its outcome by one name.
   */
  async attachCard(input: {
    paymentMethodId: string;
    customerId: string;
    idempotencyKey: string;
  }): Promise<CardDetails> {
    this.calls.push({
      method: 'attachCard',
      idempotencyKey: input.idempotencyKey,
      paymentMethodId: input.paymentMethodId,
      customerId: input.customerId,
    });
    await roundTrip();
    const details = this.#cardDetails(input.paymentMethodId);
    if (details.customerId !== undefined && details.customerId !== input.customerId) {
      throw new UnknownPaymentMethodError();
    }
    if (!input.paymentMethodId.startsWith('pm_card_'))
      this.#owners.set(input.paymentMethodId, input.customerId);
    return { ...details, customerId: input.customerId };
  }

  #cardDetails(paymentMethodId: string): CardDetails {
    const card = this.#cards.get(paymentMethodId);
    if (card === undefined || card.outcome === 'unknown_pm') throw new UnknownPaymentMethodError();
    const owner = this.#owners.get(paymentMethodId);
    return { ...card.details, ...(owner === undefined ? {} : { customerId: owner }) };
  }

  /** Accepts a body signed with FAKE_WEBHOOK_SIGNATURE: `{ id, type, objectId, createdAt, payload }`. */
  providerFor(_paymentMethodId: string): ProviderName {
    return this.name;
  }

  async verifyWebhook(rawBody: string, headers: WebhookHeaders): Promise<ProviderEvent> {
    await roundTrip();
    if (headers['fake-signature'] !== FAKE_WEBHOOK_SIGNATURE) throw new WebhookSignatureError();
    const event: unknown = JSON.parse(rawBody);
    if (typeof event !== 'object' || event === null) throw new WebhookSignatureError();
    const field = (name: string): string => {
      const value: unknown = Reflect.get(event, name);
      if (typeof value !== 'string') throw new WebhookSignatureError();
      return value;
    };
    return {
      provider: this.name,
      id: field('id'),
      type: field('type'),
      objectId: field('objectId'),
      createdAt: field('createdAt'),
      payload: Reflect.get(event, 'payload'),
    };
  }

  /**
   * Stripe's idempotency: the first answer under a key (a result or an error the processor gave) is replayed
   * for a retry; a different request under the same key is refused. An outage stores nothing.
   */
  async #idempotent<T extends ProviderPayment | ProviderRefund>(
    answers: Map<string, Answer<T>>,
    key: string,
    request: string,
    run: () => T,
  ): Promise<T> {
    await roundTrip();
    const stored = answers.get(key);
    if (stored !== undefined) {
      if (stored.request !== request) {
        throw new Error(`Keys for idempotent requests can only be used with the same parameters (${key})`);
      }
      if (!stored.ok) throw stored.error;
      return { ...stored.value };
    }
    try {
      const value = run();
      answers.set(key, { ok: true, value: { ...value }, request });
      return { ...value };
    } catch (error) {
      if (error instanceof ProcessorError || !(error instanceof Error)) throw error;
      answers.set(key, { ok: false, error, request });
      throw error;
    }
  }

  #payment(paymentId: string): ProviderPayment {
    const payment = this.#payments.get(paymentId);
    if (payment === undefined) throw new Error(`No such payment: ${paymentId}`);
    return payment;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Payments and refunds

/**
 * The ledger side of an adapter's transaction of state and money, as the adapters treat it: a transfer
 * already made is not made again, and a release of a hold that is no longer pending is nothing.
 */
async function settle(ledger: Ledger | undefined, command: TransferCommand): Promise<void> {
  if (ledger === undefined) throw new Error('This fake was built without the ledger it moves money on');
  if ((await ledger.transfer(command.id)) !== undefined) return;
  if (command.type === 'void_pending' && (await ledger.transfer(command.pendingId))?.state !== 'pending')
    return;
  await ledger.execute(command);
}

/**
 * Like DynamoDbPayments: create conditional on absence (a second create of the id fails as the adapter's
 * put does), transitions through `nextState` and conditional on `from` with the history appended, annotations
 * conditional on the state, and refunds reserved against the payment in one atomic step (the adapter's
 * transaction) after a read of the refund id.
 */
export class InMemoryPayments implements PaymentRepository {
  readonly #byId = new Map<string, Payment>();
  readonly #refunds = new Map<string, Refund>();

  /** `ledger`: where transitions that move money (`PaymentTransition.ledger`) move it. */
  constructor(private readonly ledger?: Ledger) {}

  async create(payment: Payment): Promise<Payment> {
    await roundTrip();
    const stored = this.#byId.get(payment.paymentId);
    if (stored !== undefined) return structuredClone(stored);
    this.#byId.set(payment.paymentId, structuredClone(payment));
    return structuredClone(payment);
  }

  async getRefund(refundId: string): Promise<Refund | undefined> {
    await roundTrip();
    const refund = this.#refunds.get(refundId);
    return refund === undefined ? undefined : { ...refund };
  }

  async get(paymentId: string): Promise<Payment | undefined> {
    await roundTrip();
    return this.peek(paymentId);
  }

  async transition(paymentId: string, change: PaymentTransition): Promise<TransitionedPayment> {
    const to = nextState(change.from, change.event);
    await roundTrip();
    const current = this.#byId.get(paymentId);
    if (current === undefined) throw new NotFoundError('Payment');
    if (current.state !== change.from) throw new InvalidStateTransitionError(current.state, change.event);
    // The adapter's transaction: the ledger transfer and the state change happen together (the in-memory
    // ledger does not yield, so nothing comes between them).
    if (change.ledger !== undefined) await settle(this.ledger, change.ledger);
    const { taskToken, ...rest } = current;
    const take = change.takeTaskToken === true;
    const next: Payment = {
      ...rest,
      ...(take || taskToken === undefined ? {} : { taskToken }),
      ...structuredClone(change.set ?? {}),
      state: to,
      updatedAt: change.at,
      history: [...current.history, { state: to, event: change.event, at: change.at, actor: change.actor }],
    };
    this.#byId.set(paymentId, next);
    const result = structuredClone(next);
    return take && taskToken !== undefined ? { ...result, takenTaskToken: taskToken } : result;
  }

  async annotate(
    paymentId: string,
    states: readonly PaymentState[],
    fields: Partial<Pick<Payment, 'taskToken' | 'providerPaymentId' | 'activeChallengeId'>>,
  ): Promise<boolean> {
    if (Object.keys(fields).length === 0) return true;
    await roundTrip();
    const current = this.#byId.get(paymentId);
    if (current === undefined || !states.includes(current.state)) return false;
    this.#byId.set(paymentId, { ...current, ...fields });
    return true;
  }

  async countSince(userId: string, since: string): Promise<number> {
    await roundTrip();
    return [...this.#byId.values()].filter((p) => p.userId === userId && p.createdAt >= since).length;
  }

  async reserveRefund(payment: Payment, refund: Refund): Promise<{ refund: Refund; created: boolean }> {
    await roundTrip();
    const seen = this.#refunds.get(refund.refundId);
    if (seen !== undefined) return { refund: { ...seen }, created: false };
    await roundTrip();
    // The adapter's transaction: the refund put and the payment update succeed or fail together.
    const raced = this.#refunds.get(refund.refundId);
    if (raced !== undefined) return { refund: { ...raced }, created: false };
    const current = this.#byId.get(payment.paymentId);
    if (current?.state !== 'Completed') {
      throw new InvalidStateTransitionError(current?.state ?? 'missing', 'refund');
    }
    if (current.refundedAmount > payment.amount.value - refund.amount) {
      throw new InvalidAmountError('Refunds cannot add up to more than was paid');
    }
    this.#refunds.set(refund.refundId, { ...refund });
    this.#byId.set(payment.paymentId, { ...current, refundedAmount: current.refundedAmount + refund.amount });
    return { refund: { ...refund }, created: true };
  }

  async settleRefund(input: {
    refundId: string;
    status: 'succeeded' | 'failed';
    at: string;
    actor: string;
    ledger?: TransferCommand;
    providerRefundId?: string;
  }): Promise<{ refund: Refund; payment: Payment }> {
    await roundTrip();
    const current = this.#refunds.get(input.refundId);
    if (current === undefined) throw new NotFoundError('Refund');
    const payment = this.#byId.get(current.paymentId);
    if (payment === undefined) throw new NotFoundError('Payment');
    if (current.status !== 'pending') return { refund: { ...current }, payment: structuredClone(payment) };
    // The adapter's transaction: the money, the refund's status and the payment's change together.
    if (input.ledger !== undefined) await settle(this.ledger, input.ledger);
    const refund: Refund = {
      ...current,
      status: input.status,
      updatedAt: input.at,
      ...(input.providerRefundId === undefined ? {} : { providerRefundId: input.providerRefundId }),
    };
    let next: Payment;
    if (input.status === 'failed') {
      next = { ...payment, refundedAmount: payment.refundedAmount - current.amount };
    } else {
      const settled = (payment.refundSettledAmount ?? 0) + current.amount;
      next = { ...payment, refundSettledAmount: settled };
      if (settled >= payment.amount.value && payment.state === 'Completed') {
        const to = nextState('Completed', 'refund');
        next = {
          ...next,
          state: to,
          updatedAt: input.at,
          history: [...payment.history, { state: to, event: 'refund', at: input.at, actor: input.actor }],
        };
      }
    }
    this.#refunds.set(input.refundId, refund);
    this.#byId.set(payment.paymentId, next);
    return { refund: { ...refund }, payment: structuredClone(next) };
  }

  async noteProviderRefund(refundId: string, providerRefundId: string, at: string): Promise<Refund> {
    await roundTrip();
    const current = this.#refunds.get(refundId);
    if (current === undefined) throw new NotFoundError('Refund');
    if (current.status !== 'pending') return { ...current };
    const next: Refund = { ...current, providerRefundId, updatedAt: at };
    this.#refunds.set(refundId, next);
    return { ...next };
  }

  /** The stored payment, read without a round trip. */
  peek(paymentId: string): Payment | undefined {
    const payment = this.#byId.get(paymentId);
    return payment === undefined ? undefined : structuredClone(payment);
  }

  /** Every stored payment, for tests that prove nothing was stored. */
  all(): Payment[] {
    return [...this.#byId.values()].map((payment) => structuredClone(payment));
  }

  /** Every stored refund. */
  refunds(): Refund[] {
    return [...this.#refunds.values()].map((refund) => ({ ...refund }));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Lifecycles

export interface RecordedStart {
  paymentId: string;
  input: Readonly<Record<string, unknown>>;
}

export interface RecordedResume {
  taskToken: string;
  output: Readonly<Record<string, unknown>>;
  /** False when the task had already been resumed or failed (it no longer exists). */
  accepted: boolean;
}

export interface RecordedFailure {
  taskToken: string;
  error: string;
  cause: string;
  accepted: boolean;
}

/**
 * Records what the use cases ask of Step Functions. A task token answers once: the first resume or fail of
 * it returns true, every later one false, like SendTaskSuccess on a task that no longer exists. A start can
 * be made to throw once (`failNextStart`), to interrupt a request after its writes.
 */
export class RecordingWorkflows implements Workflows {
  readonly starts: RecordedStart[] = [];
  readonly resumes: RecordedResume[] = [];
  readonly failures: RecordedFailure[] = [];
  readonly #answered = new Set<string>();
  readonly #startFailures: Error[] = [];

  /** The next startPayment throws `error` (and starts nothing). */
  failNextStart(error: Error = new Error('Step Functions is unavailable')): this {
    this.#startFailures.push(error);
    return this;
  }

  async startPayment(paymentId: string, input: Readonly<Record<string, unknown>>): Promise<void> {
    await roundTrip();
    const failure = this.#startFailures.shift();
    if (failure !== undefined) throw failure;
    this.starts.push({ paymentId, input: { ...input } });
  }

  async resume(taskToken: string, output: Readonly<Record<string, unknown>>): Promise<boolean> {
    await roundTrip();
    const accepted = this.#answer(taskToken);
    this.resumes.push({ taskToken, output: { ...output }, accepted });
    return accepted;
  }

  async fail(taskToken: string, error: string, cause: string): Promise<boolean> {
    await roundTrip();
    const accepted = this.#answer(taskToken);
    this.failures.push({ taskToken, error, cause, accepted });
    return accepted;
  }

  #answer(taskToken: string): boolean {
    if (this.#answered.has(taskToken)) return false;
    this.#answered.add(taskToken);
    return true;
  }
}

// ---------------------------------------------------------------------------------------------------------
// MFA enrolment

/** The second factors each user has, fixed when the test builds it; anyone else has none. */
export class StaticMfaEnrolment implements MfaEnrolment {
  readonly #byUser: ReadonlyMap<string, readonly MfaMethod[]>;

  constructor(methods: Readonly<Record<string, readonly MfaMethod[]>> = {}) {
    this.#byUser = new Map(Object.entries(methods));
  }

  async methodsOf(userId: string): Promise<MfaMethod[]> {
    await roundTrip();
    return [...(this.#byUser.get(userId) ?? [])];
  }
}

// ---------------------------------------------------------------------------------------------------------
// P2P transfers

/**
 * Like DynamoDbP2pTransfers: create conditional on absence (the loser reads the stored one), a decision
 * conditional on the status being pending and, when `mustBeBefore` is given, on `expiresAt > mustBeBefore`
 * (the loser reads the transfer as it is), and the task token stored only while pending.
 */
export class InMemoryP2pTransfers implements P2pTransfers {
  readonly #byId = new Map<string, P2pTransfer>();

  /** `ledger`: where outcomes that carry their settlement move the money. */
  constructor(private readonly ledger?: Ledger) {}

  async create(transfer: P2pTransfer): Promise<P2pTransfer> {
    await roundTrip();
    const stored = this.#byId.get(transfer.transferId);
    if (stored !== undefined) return { ...stored };
    this.#byId.set(transfer.transferId, { ...transfer });
    return { ...transfer };
  }

  async get(transferId: string): Promise<P2pTransfer | undefined> {
    await roundTrip();
    return this.peek(transferId);
  }

  async decide(
    transferId: string,
    status: P2pOutcome,
    at: string,
    mustBeBefore?: string,
    settlement?: TransferCommand,
  ): Promise<{ transfer: P2pTransfer; won: boolean; takenTaskToken?: string }> {
    await roundTrip();
    const current = this.#byId.get(transferId);
    if (current === undefined) throw new NotFoundError('Transfer');
    const inTime = mustBeBefore === undefined || current.expiresAt > mustBeBefore;
    if (current.status !== PENDING || !inTime) return { transfer: { ...current }, won: false };
    // The adapter's transaction: the outcome and its settlement together (the ledger does not yield).
    if (settlement !== undefined) await settle(this.ledger, settlement);
    const { taskToken, ...rest } = current;
    const next: P2pTransfer = { ...rest, status, decidedAt: at };
    this.#byId.set(transferId, next);
    return {
      transfer: { ...next },
      won: true,
      ...(taskToken === undefined ? {} : { takenTaskToken: taskToken }),
    };
  }

  async attachTaskToken(transferId: string, token: string): Promise<boolean> {
    await roundTrip();
    const current = this.#byId.get(transferId);
    if (current?.status !== PENDING) return false;
    this.#byId.set(transferId, { ...current, taskToken: token });
    return true;
  }

  /** The stored transfer, read without a round trip. */
  peek(transferId: string): P2pTransfer | undefined {
    const transfer = this.#byId.get(transferId);
    return transfer === undefined ? undefined : { ...transfer };
  }

  /** Every stored transfer, for tests that prove nothing was stored. */
  all(): P2pTransfer[] {
    return [...this.#byId.values()].map((transfer) => ({ ...transfer }));
  }
}

/** The joined members of each room, fixed when the test builds it; any other room has none. */
export class StaticRooms implements RoomDirectory {
  readonly #members: ReadonlyMap<string, ReadonlySet<string>>;

  constructor(members: Readonly<Record<string, readonly string[]>> = {}) {
    this.#members = new Map(Object.entries(members).map(([room, users]) => [room, new Set(users)]));
  }

  async joinedMembers(roomId: string): Promise<ReadonlySet<string>> {
    await roundTrip();
    return new Set(this.#members.get(roomId) ?? []);
  }
}

export interface RecordedP2pStart {
  transferId: string;
  input: Readonly<Record<string, unknown>>;
}

/** Records what the P2P use cases ask of Step Functions; a task token answers true once, then false. */
export class RecordingP2pLifecycle implements P2pLifecycle {
  readonly starts: RecordedP2pStart[] = [];
  readonly resumes: RecordedResume[] = [];
  readonly #answered = new Set<string>();

  async start(transferId: string, input: Readonly<Record<string, unknown>>): Promise<void> {
    await roundTrip();
    this.starts.push({ transferId, input: structuredClone(input) });
  }

  async resume(taskToken: string, output: Readonly<Record<string, unknown>>): Promise<boolean> {
    await roundTrip();
    const accepted = !this.#answered.has(taskToken);
    this.#answered.add(taskToken);
    this.resumes.push({ taskToken, output: { ...output }, accepted });
    return accepted;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Group gifts

// (Imported here rather than at the top so that this section stays an append-only addition to the file.)

export type GiftClaimOutcome = Awaited<ReturnType<GiftStore['claim']>>;
export type GiftExpireOutcome = Awaited<ReturnType<GiftStore['expire']>>;

/**
 * Like DynamoDbGiftStore over a ledger: the gift and its funding are one write (create once per gift id,
 * a retried or twin create returns the stored gift and moves no money again); a claim is one write of the
 * opening (once per user), the claimed share (only while nobody holds it and the gift is active, unexpired
 * and not empty; `fully_opened` at zero), the payout and the `gift.opened` event (kept in `outbox`); an expiry is one write
 * of the status (only while exactly as read and active) and the refund. `already_opened` wins over
 * `changed`, as the adapter's opening condition does.
 *
 * For the retry loops: `answerChanged(n)` makes the next n claims answer `changed` without writing (a
 * concurrent change of the gift), and `interleave(write)` runs another request's write inside the next
 * claim or expiry, between its read and its condition check.
 */
export class InMemoryGiftStore implements GiftStore {
  readonly #gifts = new Map<string, Gift>();
  /** giftId -> userId -> opening. */
  readonly #openings = new Map<string, Map<string, GiftOpening>>();
  readonly #interleaved: (() => Promise<unknown>)[] = [];
  #changedAnswers = 0;
  /** The `gift.opened` events written with the claims, in order (the adapter's outbox). */
  readonly outbox: DomainEventDetail<'gift.opened'>[] = [];
  /** What every claim answered, in order. */
  readonly claims: GiftClaimOutcome[] = [];
  /** What every expiry answered, in order. */
  readonly expirations: GiftExpireOutcome[] = [];
  /** How many times a gift was read with `get`. */
  reads = 0;

  constructor(private readonly ledger: Ledger) {}

  /** The next `times` claims answer `changed` and write nothing. */
  answerChanged(times: number): this {
    this.#changedAnswers += times;
    return this;
  }

  /** Runs `write` inside the next claim or expiry, after its round trip and before its condition check. */
  interleave(write: () => Promise<unknown>): this {
    this.#interleaved.push(write);
    return this;
  }

  async create(gift: Gift, funding: PostTransfer): Promise<Gift> {
    await roundTrip();
    const stored = this.#gifts.get(gift.giftId);
    if (stored !== undefined) return structuredClone(stored);
    // Throws (INSUFFICIENT_FUNDS) before anything is stored; a twin's funding under the same id replays.
    await this.ledger.execute(funding);
    const raced = this.#gifts.get(gift.giftId);
    if (raced !== undefined) return structuredClone(raced);
    this.#gifts.set(gift.giftId, structuredClone(gift));
    this.#openings.set(gift.giftId, new Map());
    return structuredClone(gift);
  }

  async get(giftId: string): Promise<Gift | undefined> {
    await roundTrip();
    this.reads++;
    return this.peek(giftId);
  }

  async openings(giftId: string): Promise<GiftOpening[]> {
    await roundTrip();
    return [...(this.#openings.get(giftId)?.values() ?? [])]
      .sort((a, b) => a.share - b.share)
      .map((opening) => ({ ...opening }));
  }

  async getForOpener(giftId: string, userId: string): Promise<{ gift?: Gift; opening?: GiftOpening }> {
    await roundTrip();
    this.reads += 1;
    const gift = this.#gifts.get(giftId);
    const opening = this.#openings.get(giftId)?.get(userId);
    return {
      ...(gift === undefined ? {} : { gift: structuredClone(gift) }),
      ...(opening === undefined ? {} : { opening: { ...opening } }),
    };
  }

  async openingOf(giftId: string, userId: string): Promise<GiftOpening | undefined> {
    await roundTrip();
    const opening = this.#openings.get(giftId)?.get(userId);
    return opening === undefined ? undefined : { ...opening };
  }

  async claim({ gift, opening, payout, event, now }: GiftClaim): Promise<GiftClaimOutcome> {
    await roundTrip();
    await this.#interleavedWrite();
    const outcome = await this.#claim(gift, opening, payout, event, now);
    this.claims.push(outcome);
    return outcome;
  }

  async expire(gift: Gift, refund: PostTransfer | undefined, at: string): Promise<GiftExpireOutcome> {
    await roundTrip();
    await this.#interleavedWrite();
    const current = this.#gifts.get(gift.giftId);
    let outcome: GiftExpireOutcome = 'changed';
    if (current?.status === 'active' && current.remaining === gift.remaining) {
      if (refund !== undefined) await this.ledger.execute(refund);
      this.#gifts.set(gift.giftId, {
        ...current,
        status: 'expired',
        expiredAt: at,
        refundedAmount: refund?.amount ?? 0,
      });
      outcome = 'expired';
    }
    this.expirations.push(outcome);
    return outcome;
  }

  /** The stored gift, read without a round trip. */
  peek(giftId: string): Gift | undefined {
    const gift = this.#gifts.get(giftId);
    return gift === undefined ? undefined : structuredClone(gift);
  }

  /** Every stored gift, for tests that prove nothing was stored. */
  all(): Gift[] {
    return [...this.#gifts.values()].map((gift) => structuredClone(gift));
  }

  async #claim(
    gift: Gift,
    opening: GiftOpening,
    payout: PostTransfer,
    event: DomainEventDetail<'gift.opened'>,
    now: Date,
  ): Promise<GiftClaimOutcome> {
    const openings = this.#openings.get(gift.giftId);
    const current = this.#gifts.get(gift.giftId);
    if (openings === undefined || current === undefined) throw new NotFoundError('Gift');
    if (openings.has(opening.userId)) return 'already_opened';
    if (this.#changedAnswers > 0) {
      this.#changedAnswers--;
      return 'changed';
    }
    const claimable =
      current.status === 'active' &&
      current.remaining > 0 &&
      !current.claimed.includes(opening.share) &&
      new Date(current.expiresAt).getTime() > now.getTime();
    if (!claimable) return 'changed';
    await this.ledger.execute(payout);
    const remaining = current.remaining - 1;
    this.#gifts.set(gift.giftId, {
      ...current,
      remaining,
      claimed: [...current.claimed, opening.share].sort((a, b) => a - b),
      status: remaining === 0 ? 'fully_opened' : 'active',
    });
    openings.set(opening.userId, { ...opening });
    this.outbox.push(structuredClone(event));
    return 'claimed';
  }

  async #interleavedWrite(): Promise<void> {
    const write = this.#interleaved.shift();
    if (write !== undefined) await write();
  }
}

export interface RecordedGiftStart {
  giftId: string;
  input: Readonly<Record<string, unknown>>;
}

/** Records the gift lifecycles the use cases start (a duplicate start is harmless, so each is recorded). */
export class RecordingGiftLifecycle implements GiftLifecycle {
  readonly starts: RecordedGiftStart[] = [];

  async start(giftId: string, input: Readonly<Record<string, unknown>>): Promise<void> {
    await roundTrip();
    this.starts.push({ giftId, input: structuredClone(input) });
  }
}
