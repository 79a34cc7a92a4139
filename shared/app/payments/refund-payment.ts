/**
 * Refunds of mini-app payments.
 *
 * Design: a refund's money is posted when the refund SUCCEEDS, never before. A refund is reserved
 * (`pending`, counted in the payment's refundedAmount so two refunds cannot exceed what was paid) with no
 * ledger transfer; it ends, only forward, in ONE transaction (PaymentRepository.settleRefund):
 * - succeeded: the transfer (the app → the payer's wallet for a wallet payment, the app → the provider's
 *   clearing account for a card or PayPal one, listed in the payer's history), the refund's status, and the
 *   payment's Refunded when the refunds paid back reach the amount;
 * - failed (the provider failed or cancelled it): the refund's status and its amount taken off the
 *   payment's refundedAmount, so it can be refunded again. Nothing is reversed because nothing was posted.
 * The alternative, posting at reservation and reversing on failure (clearing → app), would show the app
 * poorer and the provider's clearing richer for money the provider never paid out while a refund is
 * pending, and a failure would need a second, compensating transfer: posting on success keeps every
 * balance equal to what the provider actually did. A refund stays on reconciliation's worklist while
 * pending, so one interrupted between its reservation and its end (a crash, a lost provider answer, a lost
 * webhook) is finished by asking the provider again.
 */

import { InvalidStateTransitionError, NotFoundError } from '../../domain/errors.js';
import { parseAmount } from '../../domain/money.js';
import {
  clearingProviderOf,
  type Payment,
  paymentTransferIds,
  refundTransferOf,
} from '../../domain/payment.js';
import { assertOps } from '../access.js';
import { type MerchantLedgerDeps, merchantRefundFor } from '../balance/charge.js';
import type { Clock, Ids, Ledger, WalletDirectory } from '../ports.js';
import type { PaymentProvider, PaymentRepository, ProviderRefund, Refund } from './ports.js';

export interface RefundDeps {
  payments: PaymentRepository;
  wallets: WalletDirectory;
  ledger: Ledger;
  provider: Pick<PaymentProvider, 'refund' | 'retrieveRefund'>;
  ids: Ids;
  clock: Clock;
  merchantLedger?: MerchantLedgerDeps;
}

/** What finishing a refund needs: the refund use case, the webhook consumer and reconciliation all have it. */
export interface FinishRefundDeps {
  payments: PaymentRepository;
  ledger: Ledger;
  provider: Pick<PaymentProvider, 'refund' | 'retrieveRefund'>;
  clock: Clock;
  /** A merchant's payment: its fee returned and its balance debited (see merchantRefundFor). */
  merchantLedger?: MerchantLedgerDeps;
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
 * 2. Record the refund (pending) and count it against the payment in one conditional write (refund id
 *    derived from caller, payment and Idempotency-Key: a retry resumes the same refund). From here the
 *    refund is on reconciliation's worklist until it ends, so one left pending by a crash is finished.
 * 3. Finish it (finishRefund): a wallet refund at once; a card or PayPal refund as the provider says, which
 *    may leave it pending (answered as such: the provider's refund.updated webhook or reconciliation ends it).
 */
export async function refundPayment(
  command: RefundCommand,
  deps: RefundDeps,
): Promise<{ refund: Refund; payment: Payment }> {
  assertOps(command.roles);
  const payment = await paymentById(command.paymentId, deps.payments);
  return startRefund(
    payment,
    {
      refundId: deps.ids.derive('rf_', command.userId, command.paymentId, command.idempotencyKey),
      actor: command.userId,
      ...(command.amount === undefined ? {} : { amount: command.amount }),
      ...(command.reason === undefined ? {} : { reason: command.reason }),
    },
    deps,
  );
}

/** A refund of a payment as its caller (ops, or the payment's merchant through `POST /v1/refunds`) asks it. */
export interface RefundStart {
  /** Derived from the caller and its Idempotency-Key: a retry resumes the same refund. */
  refundId: string;
  actor: string;
  amount?: number;
  reason?: string;
}

/**
 * Steps 1–3 above, for any caller allowed to refund `payment` (the ops route, the merchant API): what is
 * left to refund by default, the refund reserved against the payment, and finished.
 */
export async function startRefund(
  payment: Payment,
  start: RefundStart,
  deps: Omit<RefundDeps, 'ids'>,
): Promise<{ refund: Refund; payment: Payment }> {
  const { refundId } = start;
  // A retried refund resumes (or answers) the refund it already recorded, whatever is left to refund now.
  const earlier = await deps.payments.getRefund(refundId);
  const remaining = payment.amount.value - payment.refundedAmount;
  if (earlier === undefined && start.amount === undefined && remaining <= 0) {
    throw new InvalidStateTransitionError(payment.state, 'refund');
  }
  const amount = earlier?.amount ?? (start.amount === undefined ? remaining : parseAmount(start.amount));
  const now = deps.clock.now().toISOString();
  const { refund } = await deps.payments.reserveRefund(payment, {
    refundId,
    paymentId: payment.paymentId,
    userId: payment.userId,
    amount,
    currency: payment.amount.currency,
    status: 'pending',
    ...(start.reason === undefined ? {} : { reason: start.reason }),
    ...(payment.merchantId === undefined ? {} : { merchantId: payment.merchantId }),
    createdAt: now,
    updatedAt: now,
  });
  if (refund.status !== 'pending')
    return { refund, payment: await paymentById(payment.paymentId, deps.payments) };
  // A payment recorded before it kept its payer's wallet: the wallet is looked up (made on first use).
  const withWallet =
    payment.walletId === undefined
      ? { ...payment, walletId: (await deps.wallets.ensure(payment.userId)).walletId }
      : payment;
  return finishRefund(withWallet, refund, start.actor, deps);
}

/**
 * Moves a pending refund on, whoever asks (the refund request, reconciliation), only forward:
 * - a wallet payment's: succeeded, with the app paying the wallet back, and Refunded when that pays back
 *   everything, in ONE transaction (settleRefund): no read sees the refund succeeded without the money;
 * - a card or PayPal payment's: the provider is asked, under the refund id as its idempotency key (a repeat
 *   names the first refund), or, once it named its refund, asked for that refund as it is now; then its
 *   status is applied (applyProviderRefund).
 */
export async function finishRefund(
  payment: Payment,
  refund: Refund,
  actor: string,
  deps: FinishRefundDeps,
): Promise<{ refund: Refund; payment: Payment }> {
  if (refund.status !== 'pending') return { refund, payment };
  if (clearingProviderOf(payment.paymentMethod) === undefined) {
    const walletId = payment.walletId ?? (await holdWalletOf(payment, deps.ledger));
    const now = deps.clock.now();
    const merchant = await merchantRefundFor(payment, refund, now, deps.merchantLedger);
    return deps.payments.settleRefund({
      refundId: refund.refundId,
      status: 'succeeded',
      at: now.toISOString(),
      actor,
      ledger: refundTransferOf(payment, refund, walletId),
      ...(merchant === undefined ? {} : { merchant }),
    });
  }
  if (payment.providerPaymentId === undefined)
    throw new Error(`Payment ${payment.paymentId} has no provider payment`);
  const atProvider =
    refund.providerRefundId === undefined
      ? await deps.provider.refund({
          paymentId: payment.providerPaymentId,
          idempotencyKey: refund.refundId,
          amount: refund.amount,
          metadata: { refundId: refund.refundId, paymentId: payment.paymentId },
        })
      : await deps.provider.retrieveRefund(payment.providerPaymentId, refund.providerRefundId);
  return applyProviderRefund(payment, refund, atProvider, actor, deps);
}

/**
 * What the provider says of a refund, applied to ours, only forward (a refund no longer pending stays as it
 * is; a repeat changes nothing):
 * - succeeded: the money is posted now (the app → provider clearing), with the refund's status and, when
 *   everything paid is paid back, the payment's Refunded, in one transaction.
 * - failed or canceled: nothing was paid back. The refund reads `failed` and its amount comes off the
 *   payment's refundedAmount (refundable again), in one transaction. No money had moved for it: a card
 *   refund is posted only once it succeeded, never while pending, so a failure has nothing to reverse and
 *   no balance ever shows money the provider did not pay out (see the design note at the top of this file).
 * - pending: the provider's refund id is kept, so later reads ask for that refund.
 */
export async function applyProviderRefund(
  payment: Payment,
  refund: Refund,
  atProvider: ProviderRefund,
  actor: string,
  deps: Pick<FinishRefundDeps, 'payments' | 'clock' | 'merchantLedger'>,
): Promise<{ refund: Refund; payment: Payment }> {
  if (refund.status !== 'pending') return { refund, payment };
  const at = deps.clock.now().toISOString();
  switch (atProvider.status) {
    case 'succeeded': {
      const merchant = await merchantRefundFor(payment, refund, new Date(at), deps.merchantLedger);
      return deps.payments.settleRefund({
        refundId: refund.refundId,
        status: 'succeeded',
        at,
        actor,
        ledger: refundTransferOf(payment, refund, payment.walletId),
        ...(merchant === undefined ? {} : { merchant }),
        providerRefundId: atProvider.id,
      });
    }
    case 'failed':
    case 'canceled':
      return deps.payments.settleRefund({
        refundId: refund.refundId,
        status: 'failed',
        at,
        actor,
        providerRefundId: atProvider.id,
      });
    case 'pending': {
      const noted =
        refund.providerRefundId === atProvider.id
          ? refund
          : await deps.payments.noteProviderRefund(refund.refundId, atProvider.id, at);
      return { refund: noted, payment: await paymentById(payment.paymentId, deps.payments) };
    }
  }
}

/** A wallet payment recorded before it kept its wallet: the wallet its hold was taken from. */
async function holdWalletOf(payment: Payment, ledger: Ledger): Promise<string> {
  const hold = await ledger.transfer(paymentTransferIds.hold(payment.paymentId));
  const account = hold === undefined ? undefined : await ledger.account(hold.debitAccountId);
  if (account === undefined) throw new Error(`Wallet payment ${payment.paymentId} has no hold to refund to`);
  return account.historyOwner;
}

/** Any user's payment: the caller is ops, not the payer. */
async function paymentById(paymentId: string, payments: PaymentRepository): Promise<Payment> {
  const payment = await payments.get(paymentId);
  if (payment === undefined) throw new NotFoundError('Payment');
  return payment;
}
