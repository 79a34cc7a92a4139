import { InvalidStateTransitionError, NotFoundError } from '../../domain/errors.js';
import { accounts } from '../../domain/ledger.js';
import { parseAmount } from '../../domain/money.js';
import { type Payment, paymentTransferIds } from '../../domain/payment.js';
import { assertOps } from '../access.js';
import type {
  Clock,
  Ids,
  Ledger,
  PaymentProvider,
  PaymentRepository,
  Refund,
  WalletDirectory,
} from '../ports.js';

export interface RefundDeps {
  payments: PaymentRepository;
  wallets: WalletDirectory;
  ledger: Ledger;
  provider: PaymentProvider;
  ids: Ids;
  clock: Clock;
}

export interface RefundCommand {
  /** The ops user refunding (the actor), not the payer. */
  userId: string;
  roles: readonly string[];
  idempotencyKey: string;
  paymentId: string;
  amount?: number;
  reason?: string;
}

/**
 * 0. Only ops refund (a payer refunding their own purchase would get the goods for free); merchants refund
 *    through the merchant API.
 * 1. Only a Completed payment; the amount defaults to what is left to refund and never exceeds it.
 * 2. Record the refund and count it against the payment in one conditional write (refund id derived from
 *    caller, payment and Idempotency-Key: a retry resumes the same refund).
 * 3. Move the money back: the app account to the payer's wallet in one ledger transfer, or the card
 *    through the provider with the refund id as its idempotency key.
 * 4. Refunded once everything paid has been refunded.
 */
export async function refundPayment(
  command: RefundCommand,
  deps: RefundDeps,
): Promise<{ refund: Refund; payment: Payment }> {
  assertOps(command.roles);
  const payment = await paymentById(command.paymentId, deps.payments);
  const refundId = deps.ids.derive('rf_', command.userId, command.paymentId, command.idempotencyKey);
  // A retried refund resumes (or answers) the refund it already recorded, whatever is left to refund now.
  const earlier = await deps.payments.getRefund(refundId);
  const remaining = payment.amount.value - payment.refundedAmount;
  if (earlier === undefined && command.amount === undefined && remaining <= 0) {
    throw new InvalidStateTransitionError(payment.state, 'refund');
  }
  const amount = earlier?.amount ?? (command.amount === undefined ? remaining : parseAmount(command.amount));
  const now = deps.clock.now().toISOString();
  const { refund } = await deps.payments.reserveRefund(payment, {
    refundId,
    paymentId: payment.paymentId,
    userId: payment.userId,
    amount,
    currency: payment.amount.currency,
    status: 'pending',
    ...(command.reason === undefined ? {} : { reason: command.reason }),
    createdAt: now,
    updatedAt: now,
  });
  if (refund.status !== 'pending')
    return { refund, payment: await paymentById(command.paymentId, deps.payments) };

  await moveMoneyBack(payment, refund, deps);
  const finished = await deps.payments.finishRefund(
    refund.refundId,
    'succeeded',
    deps.clock.now().toISOString(),
  );
  return { refund: finished, payment: await markRefundedWhenFull(command, deps) };
}

async function moveMoneyBack(payment: Payment, refund: Refund, deps: RefundDeps): Promise<void> {
  if (payment.paymentMethod.type === 'wallet') {
    const wallet = await deps.wallets.ensure(payment.userId);
    await deps.ledger.execute({
      type: 'post',
      id: paymentTransferIds.refund(refund.refundId),
      debit: accounts.app(payment.appId, refund.currency),
      credit: accounts.wallet(wallet.walletId, refund.currency),
      amount: refund.amount,
      code: 'refund',
      metadata: { paymentId: payment.paymentId, refundId: refund.refundId },
    });
    return;
  }
  if (payment.providerPaymentId === undefined)
    throw new Error(`Card payment ${payment.paymentId} has no provider payment`);
  await deps.provider.refund({
    paymentId: payment.providerPaymentId,
    idempotencyKey: refund.refundId,
    amount: refund.amount,
  });
}

async function markRefundedWhenFull(command: RefundCommand, deps: RefundDeps): Promise<Payment> {
  const payment = await paymentById(command.paymentId, deps.payments);
  if (payment.refundedAmount < payment.amount.value || payment.state !== 'Completed') return payment;
  try {
    return await deps.payments.transition(payment.paymentId, {
      from: 'Completed',
      event: 'refund',
      actor: command.userId,
      at: deps.clock.now().toISOString(),
    });
  } catch (error) {
    // A concurrent refund marked it Refunded first: this refund succeeded all the same.
    if (!(error instanceof InvalidStateTransitionError)) throw error;
    return paymentById(command.paymentId, deps.payments);
  }
}

/** Any user's payment: the caller is ops, not the payer. */
async function paymentById(paymentId: string, payments: PaymentRepository): Promise<Payment> {
  const payment = await payments.get(paymentId);
  if (payment === undefined) throw new NotFoundError('Payment');
  return payment;
}
