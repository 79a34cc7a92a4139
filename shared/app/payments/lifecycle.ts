/**
 * The steps the payment lifecycle (statemachines/payment.asl.json) runs. Each is idempotent: Step
 * Functions may run a task again after a timeout or a retry, and a step that already happened answers
 * with its result instead of happening twice.
 */
import { InvalidStateTransitionError } from '../../domain/errors.js';
import {
  AWAITING_MFA,
  captureOf,
  type Payment,
  type PaymentState,
  paymentTransferIds,
  processorMethodId,
  releaseOf,
} from '../../domain/payment.js';
import {
  ExpiredCardError,
  PaymentDeclinedError,
  ProviderStateConflictError,
} from '../../domain/provider-errors.js';
import { completionFields, type MerchantLedgerDeps, merchantChargeFor } from '../balance/charge.js';
import type { Clock, Ledger, WalletDirectory } from '../ports.js';
import { outcomeOf } from '../provider-outcome.js';
import { paymentCompletedDetail, paymentFailedDetail } from './events.js';
import type {
  PaymentProvider,
  PaymentRepository,
  PaymentTransition,
  ProviderPayment,
  Workflows,
} from './ports.js';

export interface LifecycleDeps {
  payments: PaymentRepository;
  wallets: WalletDirectory;
  ledger: Ledger;
  provider: PaymentProvider;
  workflows: Workflows;
  clock: Clock;
  merchantLedger?: MerchantLedgerDeps;
}

export type ProcessOutcome =
  | { status: 'completed'; event: ReturnType<typeof paymentCompletedDetail> }
  | { status: 'waiting_for_provider' }
  /** The wait ended, but the payer had verified just in time: go on and process it. */
  | { status: 'proceed' }
  | { status: 'failed'; event: ReturnType<typeof paymentFailedDetail> };

/** The error name the lifecycle's Catch matches when the payer's second factor failed for good. */
export const MFA_FAILED_ERROR = 'MfaFailed';
export const PAYMENT_DECLINED_ERROR = 'PaymentDeclined';
/** The error name the lifecycle's Catch matches when the payer cancelled the payment it waits on. */
export const PAYMENT_CANCELLED_ERROR = 'PaymentCancelled';
/** The reason the lifecycle's ProcessorFailed state gives when Process kept failing (payment.asl.json). */
export const PROCESSOR_FAILURE = 'processor_error';

/**
 * 1. Authorized → Processing.
 * 2. Wallet: post the hold made at request time (one ledger transfer). Card: charge it with the payment id
 *    as the provider's idempotency key; 3-D Secure or async confirmation leaves it waiting for the provider.
 * 3. Completed (or Failed on a decline, with the wallet hold released).
 * A processor outage throws PROCESSOR_ERROR, which the lifecycle retries; the retry resumes here.
 */
export async function processPayment(paymentId: string, deps: LifecycleDeps): Promise<ProcessOutcome> {
  let payment = await load(paymentId, deps);
  if (payment.state === 'Completed' || payment.state === 'Refunded') return completed(payment);
  if (payment.state === 'Failed') return failed(payment);
  if (payment.state === 'MFA_Verified') payment = await move(payment, 'authorized', deps);
  if (payment.state === 'Authorized') {
    // From here a card payment waits on the provider: if we crash after the charge, reconciliation finds it.
    payment = await deps.payments.transition(payment.paymentId, {
      from: 'Authorized',
      event: 'process',
      actor: 'system',
      at: now(deps),
      awaitsProvider: payment.paymentMethod.type !== 'wallet',
    });
  }
  if (payment.state !== 'Processing') throw new InvalidStateTransitionError(payment.state, 'process');

  const methodId = processorMethodId(payment.paymentMethod);
  if (methodId === undefined) {
    // The hold is posted in the same transaction: Completed is never read without the money moved.
    const at = now(deps);
    const charge = await merchantChargeFor(payment, new Date(at), deps.merchantLedger);
    return completed(
      await move(
        payment,
        'completed',
        deps,
        { completedAt: at, ...completionFields(charge) },
        { ledger: captureOf(payment), ...(charge === undefined ? {} : { charge }) },
      ),
    );
  }

  try {
    const charge = await deps.provider.createPayment(paymentCharge(payment, methodId));
    if (charge.status === 'succeeded') {
      return completed(
        await moveUnlessProviderWon(payment, 'completed', deps, {
          completedAt: now(deps),
          providerPaymentId: charge.id,
        }),
      );
    }
    await deps.payments.annotate(payment.paymentId, ['Processing'], {
      providerPaymentId: charge.id,
      ...(charge.nextActionUrl === undefined ? {} : { nextActionUrl: charge.nextActionUrl }),
    });
    return { status: 'waiting_for_provider' };
  } catch (error) {
    if (error instanceof PaymentDeclinedError || error instanceof ExpiredCardError) {
      const code = error instanceof PaymentDeclinedError ? error.declineCode : 'expired_card';
      return failed(await moveUnlessProviderWon(payment, 'declined', deps, { failureCode: code }));
    }
    throw error;
  }
}

/**
 * What the provider is asked to charge for a card payment, the same every time it is asked (the lifecycle,
 * its retries, the reconciliation job), so that the provider answers a repeat with the first payment: the
 * card as attached to the payer's customer at request time, for that customer (`methodId` for payments
 * recorded before cards had owners, and for PayPal).
 */
export function paymentCharge(
  payment: Payment,
  methodId: string,
): Parameters<PaymentProvider['createPayment']>[0] {
  return {
    idempotencyKey: payment.paymentId,
    amount: payment.amount.value,
    currency: payment.amount.currency,
    paymentMethodId: payment.cardId ?? methodId,
    ...(payment.customerId === undefined ? {} : { customerId: payment.customerId }),
    description: payment.description,
    metadata: { paymentId: payment.paymentId, appId: payment.appId },
    capture: 'automatic',
  };
}

/**
 * The provider's webhook reports the same charge and may have applied it between our call and this write
 * (applyPaymentOutcome): then the payment already reads what this move would make it, and that stands.
 */
async function moveUnlessProviderWon(
  payment: Payment,
  event: 'completed' | 'declined',
  deps: LifecycleDeps,
  set: Parameters<PaymentRepository['transition']>[1]['set'],
): Promise<Payment> {
  try {
    // A charge the provider made is posted with Completed (provider clearing → the app), in one transaction.
    if (event !== 'completed') return await move(payment, event, deps, set);
    const charge = await merchantChargeFor(payment, deps.clock.now(), deps.merchantLedger);
    return await move(
      payment,
      event,
      deps,
      { ...set, ...completionFields(charge) },
      { ledger: captureOf(payment), ...(charge === undefined ? {} : { charge }) },
    );
  } catch (error) {
    if (!(error instanceof InvalidStateTransitionError)) throw error;
    const current = await load(payment.paymentId, deps);
    const wanted: readonly PaymentState[] = event === 'completed' ? ['Completed', 'Refunded'] : ['Failed'];
    if (wanted.includes(current.state)) return current;
    throw error;
  }
}

/**
 * Ends a payment that cannot go on (the second factor failed or never came, the provider declined or
 * stayed down): Failed, with the wallet hold released exactly once. Safe to run again. A card payment the
 * processor never answered for is not ended but left waiting for the provider (`waiting_for_provider`).
 */
export async function failPayment(
  paymentId: string,
  reason: string,
  deps: LifecycleDeps,
): Promise<ProcessOutcome> {
  let payment = await load(paymentId, deps);
  if (payment.state === 'Completed' || payment.state === 'Refunded') return completed(payment);
  // The wait timed out while the payer's correct answer was being recorded: the payer won.
  if (payment.state === 'MFA_Verified' || payment.state === 'Authorized') return { status: 'proceed' };
  // The processor never answered the charge, which it may have made all the same (its answer lost on the
  // way back): failing now could leave the payer charged for a failed payment. Wait for the provider's word
  // instead — its webhook, or reconciliation, which has had this payment on its worklist since Processing —
  // and let the provider wait's own timeout fail it if no word ever comes.
  if (
    reason === PROCESSOR_FAILURE &&
    payment.state === 'Processing' &&
    processorMethodId(payment.paymentMethod) !== undefined
  ) {
    return { status: 'waiting_for_provider' };
  }
  if (payment.state === 'Processing' && processorMethodId(payment.paymentMethod) !== undefined) {
    const charged = await cancelAtProvider(payment, deps);
    if (charged !== undefined) return completed(charged);
  }
  if (payment.state !== 'Failed') {
    const event = failureEventFrom(payment.state);
    // The hold is released in the same transaction; the wait that ended had its token, used up now.
    payment = await move(
      payment,
      event,
      deps,
      { failureCode: reason },
      { ledger: releaseOf(payment), takeTaskToken: true },
    );
  }
  // A payment failed before its release went with the transition still has its hold: release it.
  if (payment.paymentMethod.type === 'wallet') await releaseHold(payment, deps);
  return failed(payment);
}

/**
 * A card or PayPal payment the provider still holds open when we give up on it (its wait timed out): the payer
 * could yet complete it there (a 3-D Secure page left open, an approval), and be charged for a payment we
 * call failed. So it is cancelled at the provider first. If the provider has charged it meanwhile, the payer
 * won: the payment completes instead (returned). Without the provider's payment id there is nothing to cancel
 * by: a late charge then meets a Failed payment, which the webhook reports as a conflict for ops.
 */
async function cancelAtProvider(payment: Payment, deps: LifecycleDeps): Promise<Payment | undefined> {
  const providerPaymentId = payment.providerPaymentId;
  if (providerPaymentId === undefined) return undefined;
  let charge: ProviderPayment;
  try {
    charge = await deps.provider.cancelPayment(providerPaymentId, `${payment.paymentId}:cancel`);
  } catch (error) {
    if (!(error instanceof ProviderStateConflictError)) throw error;
    // Past cancelling: what it is now decides. Still open but not cancellable (Stripe refuses to cancel a
    // payment in `processing`): not ours to fail; the lifecycle retries, then reconciliation has it.
    charge = await deps.provider.retrievePayment(providerPaymentId);
    const outcome = outcomeOf(charge).kind;
    if (outcome === 'requires_action' || outcome === 'processing') throw error;
  }
  if (charge.status !== 'succeeded') return undefined;
  return moveUnlessProviderWon(payment, 'completed', deps, {
    completedAt: now(deps),
    providerPaymentId: charge.id,
  });
}

/**
 * Called by the lifecycle when it starts waiting (for the second factor, or for the provider): stores the
 * task token on the payment. If the wait is already over (the payer verified before the lifecycle got
 * here), resumes or fails the task at once so that nothing waits for an answer that has come and gone.
 */
export async function awaitOutcome(
  paymentId: string,
  kind: 'mfa' | 'provider',
  taskToken: string,
  deps: LifecycleDeps,
): Promise<void> {
  const waitingStates: readonly PaymentState[] = kind === 'mfa' ? AWAITING_MFA : ['Processing'];
  if (await deps.payments.annotate(paymentId, waitingStates, { taskToken })) return;
  const payment = await load(paymentId, deps);
  if (payment.state === 'Failed') {
    await deps.workflows.fail(
      taskToken,
      kind === 'mfa' ? MFA_FAILED_ERROR : PAYMENT_DECLINED_ERROR,
      payment.failureCode ?? '',
    );
  } else {
    await deps.workflows.resume(taskToken, { state: payment.state });
  }
}

function failureEventFrom(state: PaymentState): 'max_retries' | 'declined' | 'invalid' | 'cancel' {
  if (AWAITING_MFA.includes(state)) return 'max_retries';
  if (state === 'Processing') return 'declined';
  if (state === 'Validating') return 'invalid';
  if (state === 'Initiated') return 'cancel';
  throw new InvalidStateTransitionError(state, 'fail');
}

async function releaseHold(payment: Payment, deps: LifecycleDeps): Promise<void> {
  const hold = await deps.ledger.transfer(paymentTransferIds.hold(payment.paymentId));
  if (hold?.state !== 'pending') return;
  await deps.ledger.execute({
    type: 'void_pending',
    id: paymentTransferIds.release(payment.paymentId),
    pendingId: hold.id,
    reason: 'voided',
  });
}

async function load(paymentId: string, deps: LifecycleDeps): Promise<Payment> {
  const payment = await deps.payments.get(paymentId);
  if (payment === undefined) throw new Error(`Payment ${paymentId} of a running lifecycle is missing`);
  return payment;
}

function move(
  payment: Payment,
  event: PaymentTransition['event'],
  deps: LifecycleDeps,
  set: PaymentTransition['set'] = {},
  options: {
    ledger?: PaymentTransition['ledger'] | undefined;
    charge?: PaymentTransition['charge'];
    takeTaskToken?: boolean;
  } = {},
): Promise<Payment> {
  return deps.payments.transition(payment.paymentId, {
    from: payment.state,
    event,
    actor: 'system',
    at: now(deps),
    set,
    ...(options.ledger === undefined ? {} : { ledger: options.ledger }),
    ...(options.charge === undefined ? {} : { charge: options.charge }),
    ...(options.takeTaskToken === true ? { takeTaskToken: true } : {}),
  });
}

function now(deps: LifecycleDeps): string {
  return deps.clock.now().toISOString();
}

function completed(payment: Payment): ProcessOutcome {
  return { status: 'completed', event: paymentCompletedDetail(payment) };
}

function failed(payment: Payment): ProcessOutcome {
  return { status: 'failed', event: paymentFailedDetail(payment) };
}
