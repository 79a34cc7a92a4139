/**
 * The reconciliation job: what waits on the provider for too long is asked about, and the provider's answer
 * is applied by the same rules as the request, the lifecycle and the webhook. It repairs a crash between the
 * provider's success and our write, and a webhook that never came.
 */

import { NotFoundError } from '../../domain/errors.js';
import { processorMethodId } from '../../domain/payment.js';
import {
  ExpiredCardError,
  PaymentDeclinedError,
  ProviderStateConflictError,
} from '../../domain/provider-errors.js';
import type { MerchantLedgerDeps } from '../balance/charge.js';
import { applyPaymentOutcome } from '../payments/apply-provider-outcome.js';
import { paymentCharge } from '../payments/lifecycle.js';
import type { PaymentProvider, PaymentRepository, ProviderPayment, Workflows } from '../payments/ports.js';
import { finishRefund } from '../payments/refund-payment.js';
import type { Clock, Ledger } from '../ports.js';
import { type AppliedOutcome, outcomeOf } from '../provider-outcome.js';
import type { IntentRefundEndDeps } from '../refunds/intent-refund-ends.js';
import { finishIntentRefund } from '../refunds/intent-refunds.js';
import { intentRefundOfWaitId } from '../refunds/wait-ids.js';
import type { TopupRepository } from '../wallets/ports.js';
import { applyTopupOutcome, topupCharge } from '../wallets/top-up.js';
import type { ProviderWait, ProviderWaitKind, ProviderWaitList } from './ports.js';

export interface ReconcileDeps {
  waits: ProviderWaitList;
  provider: Pick<
    PaymentProvider,
    'createPayment' | 'retrievePayment' | 'cancelPayment' | 'refund' | 'retrieveRefund'
  >;
  topups: TopupRepository;
  payments: PaymentRepository;
  ledger: Ledger;
  workflows: Workflows;
  clock: Clock /** The merchant side of a completion (fees, balance transaction): see merchantChargeFor. */;
  merchantLedger?: MerchantLedgerDeps;
  /** PaymentIntent refunds left pending: finished as the request finishes them. */
  intentRefunds?: IntentRefundEndDeps;
}

export interface ReconcileCommand {
  /** Only records waiting since before this time (an ISO time) are looked at. */
  olderThan: string;
  /** At most this many records of each kind per run (oldest first); the next run goes on. */
  limit: number;
}

/** What happened to one record. */
export type ReconcileOutcome =
  /** The provider's final word was applied: completed (credited, lifecycle resumed) or failed. */
  | 'repaired'
  /** The provider has not decided yet (3-D Secure pending, processing): looked at again next run. */
  | 'still_waiting'
  /** Someone else settled it meanwhile (the webhook, the lifecycle): nothing to do. */
  | 'already_settled'
  | 'failed';

export interface ReconciledItem {
  kind: ProviderWaitKind;
  id: string;
  waitingSince: string;
  outcome: ReconcileOutcome;
  /** What applying the provider's answer did (completed, failed, advanced, unchanged). */
  applied?: AppliedOutcome;
  providerPaymentId?: string;
  /** Why it failed: reported, never swallowed. */
  error?: unknown;
}

export interface ReconcileReport {
  examined: number;
  repaired: number;
  stillWaiting: number;
  alreadySettled: number;
  failed: number;
  items: ReconciledItem[];
}

/**
 * How long the provider replays a create for the same idempotency key: Stripe keeps keys for at least 24 h.
 * Past that, asking again could start a new charge instead of naming the first one, so we do not ask.
 */
export const IDEMPOTENCY_REPLAY_WINDOW_MS = 23 * 3600 * 1000;
/**
 * A top-up the payer left on the 3-D Secure step this long is abandoned: cancelled at the provider (so a late
 * authentication cannot charge the card) and failed. Without it, abandoned top-ups stay on the worklist for
 * good and, oldest first, take every run's slots from newer records.
 */
export const TOPUP_ABANDONED_AFTER_MS = 2 * 3600 * 1000;
/** Records looked at side by side: the provider's rate limit is far above this. */
const PAGE_SIZE = 10;

/** We never learned the provider's payment and can no longer ask for it by our key: kept for ops. */
export class ProviderPaymentUnknownError extends Error {
  override readonly name = 'ProviderPaymentUnknownError';

  constructor(wait: ProviderWait) {
    super(
      `The ${wait.kind} ${wait.id} has waited since ${wait.waitingSince} with no provider payment on record, longer than the provider replays its idempotency keys`,
    );
  }
}

/**
 * 1. Read the worklist (sparse index of what waits on the provider) for records waiting since before
 *    `olderThan`, oldest first, page by page, up to `limit` of each kind.
 * 2. For each, find the provider's payment: by the id on record, or, when we never learned it (a crash right
 *    after the provider call), by repeating the create under the same idempotency key, which the provider
 *    answers with the first payment; then ask for its status now.
 * 3. Apply it through applyTopupOutcome / applyPaymentOutcome: a wallet credited once, a waiting lifecycle
 *    resumed or failed, a status only forward. A top-up still on the 3-D Secure step past
 *    TOPUP_ABANDONED_AFTER_MS is cancelled at the provider first, then applied as what that made it.
 * 4. One record's failure does not stop the others: it is counted and returned with its error.
 */
export async function reconcile(command: ReconcileCommand, deps: ReconcileDeps): Promise<ReconcileReport> {
  const items: ReconciledItem[] = [];
  const kinds: readonly ProviderWaitKind[] = [
    'topup',
    'payment',
    'refund',
    ...(deps.intentRefunds === undefined ? [] : (['intent_refund'] as const)),
  ];
  for (const kind of kinds) {
    let after: string | undefined;
    let seen = 0;
    do {
      const page = await deps.waits.waitingBefore(kind, command.olderThan, {
        limit: Math.min(PAGE_SIZE, command.limit - seen),
        ...(after === undefined ? {} : { after }),
      });
      seen += page.items.length;
      items.push(...(await Promise.all(page.items.map((wait) => reconcileOne(wait, deps)))));
      after = page.after;
    } while (after !== undefined && seen < command.limit);
  }
  const count = (outcome: ReconcileOutcome) => items.filter((item) => item.outcome === outcome).length;
  return {
    examined: items.length,
    repaired: count('repaired'),
    stillWaiting: count('still_waiting'),
    alreadySettled: count('already_settled'),
    failed: count('failed'),
    items,
  };
}

async function reconcileOne(wait: ProviderWait, deps: ReconcileDeps): Promise<ReconciledItem> {
  const base = { kind: wait.kind, id: wait.id, waitingSince: wait.waitingSince };
  try {
    return { ...base, ...(await byKind[wait.kind](wait, deps)) };
  } catch (error) {
    return { ...base, outcome: 'failed', error };
  }
}

type Result = Pick<ReconciledItem, 'outcome' | 'applied' | 'providerPaymentId'>;

const byKind: Record<ProviderWaitKind, (wait: ProviderWait, deps: ReconcileDeps) => Promise<Result>> = {
  topup: (wait, deps) => topup(wait, deps),
  payment: (wait, deps) => payment(wait, deps),
  refund: (wait, deps) => refund(wait, deps),
  intent_refund: (wait, deps) => intentRefund(wait, deps),
};

async function topup(wait: ProviderWait, deps: ReconcileDeps): Promise<Result> {
  const record = await deps.topups.get(wait.id);
  if (record === undefined) throw new NotFoundError('Top-up');
  if (record.status === 'succeeded' || record.status === 'failed') return { outcome: 'already_settled' };
  let charge = await providerPaymentOf(wait, record.providerPaymentId, () => topupCharge(record), deps);
  if (outcomeOf(charge).kind === 'requires_action' && waitedMs(wait, deps) > TOPUP_ABANDONED_AFTER_MS) {
    charge = await cancelAbandoned(record.topupId, charge, deps);
  }
  const { applied } = await applyTopupOutcome(record.topupId, charge, deps);
  return resultOf(applied, charge);
}

/** Cancels an abandoned top-up's payment; if the payer authenticated at the last moment, that stands. */
async function cancelAbandoned(
  topupId: string,
  charge: ProviderPayment,
  deps: ReconcileDeps,
): Promise<ProviderPayment> {
  try {
    return await deps.provider.cancelPayment(charge.id, `${topupId}:abandon`);
  } catch (error) {
    if (!(error instanceof ProviderStateConflictError)) throw error;
    return deps.provider.retrievePayment(charge.id);
  }
}

function waitedMs(wait: ProviderWait, deps: ReconcileDeps): number {
  return deps.clock.now().getTime() - Date.parse(wait.waitingSince);
}

async function payment(wait: ProviderWait, deps: ReconcileDeps): Promise<Result> {
  const record = await deps.payments.get(wait.id);
  if (record === undefined) throw new NotFoundError('Payment');
  if (record.state !== 'Processing') return { outcome: 'already_settled' };
  const methodId = processorMethodId(record.paymentMethod);
  // Only payments a processor takes join the worklist; a wallet payment has nothing to ask the provider.
  if (methodId === undefined) return { outcome: 'still_waiting' };
  const charge = await providerPaymentOf(
    wait,
    record.providerPaymentId,
    () => paymentCharge(record, methodId),
    deps,
  );
  const { applied } = await applyPaymentOutcome(record.paymentId, charge, deps);
  return resultOf(applied, charge);
}

/**
 * A refund left pending (a crash between its reservation and its end, or a provider that has not decided):
 * finished like the refund request finishes it (finishRefund). A wallet refund ends at once; a card or PayPal
 * refund is asked for again under its refund id (the provider names the refund it made, or makes it, once),
 * or read by the provider's refund id once known, and moved on only forward.
 */
async function refund(wait: ProviderWait, deps: ReconcileDeps): Promise<Result> {
  const record = await deps.payments.getRefund(wait.id);
  if (record === undefined) throw new NotFoundError('Refund');
  if (record.status !== 'pending') return { outcome: 'already_settled' };
  const paid = await deps.payments.get(record.paymentId);
  if (paid === undefined) throw new NotFoundError('Payment');
  const viaProvider = processorMethodId(paid.paymentMethod) !== undefined;
  if (
    viaProvider &&
    record.providerRefundId === undefined &&
    waitedMs(wait, deps) > IDEMPOTENCY_REPLAY_WINDOW_MS
  )
    throw new ProviderPaymentUnknownError(wait);
  const after = await finishRefund(paid, record, 'system', deps);
  return {
    outcome: after.refund.status === 'pending' ? 'still_waiting' : 'repaired',
    ...(paid.providerPaymentId === undefined ? {} : { providerPaymentId: paid.providerPaymentId }),
  };
}

/**
 * A PaymentIntent refund left pending: finished like its request (finishIntentRefund), asked for again
 * under its refund id or read by the provider's refund id, ended only pending → succeeded | failed.
 */
async function intentRefund(wait: ProviderWait, deps: ReconcileDeps): Promise<Result> {
  const ref = intentRefundOfWaitId(wait.id);
  if (ref === undefined || deps.intentRefunds === undefined) throw new NotFoundError('Refund');
  const record = await deps.intentRefunds.intentRefunds.intentRefund(ref, ref.refundId);
  if (record === undefined) throw new NotFoundError('Refund');
  if (record.status !== 'pending') return { outcome: 'already_settled' };
  const intent = await deps.intentRefunds.intents.get(record, record.intentId);
  if (intent === undefined) throw new NotFoundError('PaymentIntent');
  if (record.providerRefundId === undefined && waitedMs(wait, deps) > IDEMPOTENCY_REPLAY_WINDOW_MS)
    throw new ProviderPaymentUnknownError(wait);
  const after = await finishIntentRefund(intent, record, {
    ...deps.intentRefunds,
    provider: deps.provider,
    clock: deps.clock,
  });
  return {
    outcome: after.status === 'pending' ? 'still_waiting' : 'repaired',
    ...(intent.providerPaymentId === null ? {} : { providerPaymentId: intent.providerPaymentId }),
  };
}

/**
 * The provider's payment as it is now. Without its id on record, the create is repeated with the same key
 * and parameters: the provider answers with the payment it made the first time (its answer then, so it is
 * read again for its status now). Had the first call never reached the provider, this makes the charge the
 * request asked for, exactly once: the same as the client retrying with its Idempotency-Key.
 */
async function providerPaymentOf(
  wait: ProviderWait,
  providerPaymentId: string | undefined,
  charge: () => Parameters<PaymentProvider['createPayment']>[0],
  deps: ReconcileDeps,
): Promise<ProviderPayment> {
  if (providerPaymentId !== undefined) return deps.provider.retrievePayment(providerPaymentId);
  if (waitedMs(wait, deps) > IDEMPOTENCY_REPLAY_WINDOW_MS) throw new ProviderPaymentUnknownError(wait);
  let created: ProviderPayment;
  try {
    created = await deps.provider.createPayment(charge());
  } catch (error) {
    // A decline is replayed too; the declined payment's status (requires_payment_method) says why.
    const declined = error instanceof PaymentDeclinedError || error instanceof ExpiredCardError;
    if (!declined || error.providerPaymentId === undefined) throw error;
    return deps.provider.retrievePayment(error.providerPaymentId);
  }
  return deps.provider.retrievePayment(created.id);
}

function resultOf(applied: AppliedOutcome, charge: ProviderPayment): Result {
  const outcome: ReconcileOutcome =
    applied === 'completed' || applied === 'failed' ? 'repaired' : 'still_waiting';
  return { outcome, applied, providerPaymentId: charge.id };
}
