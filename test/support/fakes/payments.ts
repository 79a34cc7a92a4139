import type {
  PaymentCompletedEvent,
  PaymentRepository,
  PaymentTransition,
  Refund,
  RefundSettlement,
  TransitionedPayment,
} from '../../../shared/app/payments/ports.js';
import type { Ledger } from '../../../shared/app/ports.js';
import type { MerchantCharge, MerchantRefund } from '../../../shared/domain/balance.js';
import { InvalidStateTransitionError, NotFoundError } from '../../../shared/domain/errors.js';
import type { TransferCommand } from '../../../shared/domain/ledger.js';
import { InvalidAmountError } from '../../../shared/domain/money.js';
import { nextState, type Payment, type PaymentState } from '../../../shared/domain/payment.js';
import { roundTrip } from './round-trip.js';
import { settle } from './settle.js';

/**
 * Like DynamoDbPayments: create conditional on absence (a second create of the id returns the stored
 * payment, as the adapter's does), transitions through `nextState` and conditional on `from` with the history appended, annotations
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

  /** The `payment.completed` events written with new payments (createWith), as the outbox holds them. */
  readonly outbox: PaymentCompletedEvent[] = [];

  /** The merchant sides of refunds settled (their balance transactions). */
  readonly merchantRefunds: MerchantRefund[] = [];

  /** The merchant charges written with completions, as the table holds their balance transactions. */
  readonly charges: MerchantCharge[] = [];

  /** The adapter writes a charge's fee transfers and balance transaction with the payment's own money. */
  async #charge(charge: MerchantCharge | undefined): Promise<void> {
    if (charge === undefined || this.ledger === undefined) return;
    for (const transfer of charge.transfers) await this.ledger.execute({ type: 'post', ...transfer });
    this.charges.push(structuredClone(charge));
  }

  async createWith(
    payment: Payment,
    transfer: TransferCommand,
    event?: PaymentCompletedEvent,
    charge?: MerchantCharge,
  ): Promise<Payment> {
    await roundTrip();
    // The adapter's transaction: the put (absent), the money and the event together, or nothing.
    const stored = this.#byId.get(payment.paymentId);
    if (stored !== undefined) return structuredClone(stored);
    if (this.ledger === undefined)
      throw new Error('This fake was built without the ledger it moves money on');
    await this.ledger.execute(transfer);
    await this.#charge(charge);
    this.#byId.set(payment.paymentId, structuredClone(payment));
    if (event !== undefined) this.outbox.push(structuredClone(event));
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
    if (change.ledger !== undefined) await this.#charge(change.charge);
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

  async settleRefund(input: RefundSettlement): Promise<{ refund: Refund; payment: Payment }> {
    await roundTrip();
    const current = this.#refunds.get(input.refundId);
    if (current === undefined) throw new NotFoundError('Refund');
    const payment = this.#byId.get(current.paymentId);
    if (payment === undefined) throw new NotFoundError('Payment');
    if (current.status !== 'pending') return { refund: { ...current }, payment: structuredClone(payment) };
    // The adapter's transaction: the money, the refund's status and the payment's change together.
    if (input.ledger !== undefined) await settle(this.ledger, input.ledger);
    if (input.ledger !== undefined && input.merchant !== undefined && this.ledger !== undefined) {
      for (const transfer of input.merchant.transfers)
        await this.ledger.execute({ type: 'post', ...transfer });
      this.merchantRefunds.push(structuredClone(input.merchant));
    }
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
