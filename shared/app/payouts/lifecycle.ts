/**
 * A payout's waiting flow (statemachines/payout.asl.json), one execution per payout:
 * 1. send: the transfer to the connected account, then the payout on it (each under a key derived from the
 *    payout id, so a retried task never sends twice); a refusal fails the payout and returns its money (the
 *    transfer reversed first when it was made);
 * 2. await: the task token is kept on the payout; the provider's `payout.paid` / `payout.failed` webhook
 *    ends the payout (provider-events.ts) and resumes the flow;
 * 3. check: when no answer came in time, the provider is asked for the payout as it is now.
 * Every end goes through endPayout: conditional on the payout not having ended, with its money, once.
 */
import { NotFoundError } from '../../domain/errors.js';
import type { Mode } from '../../domain/merchant.js';
import { type Payout, payoutObjectOf, payoutPaidOf, payoutReturnedOf } from '../../domain/payout.js';
import type { Clock } from '../ports.js';
import {
  type PayoutRails,
  PayoutRefusedError,
  type PayoutStore,
  type PayoutWorkflow,
  type ProviderPayout,
} from './ports.js';

export interface PayoutRef {
  merchantId: string;
  mode: Mode;
  payoutId: string;
}

export interface PayoutLifecycleDeps {
  payouts: PayoutStore;
  rails: PayoutRails;
  workflow: Pick<PayoutWorkflow, 'resume'>;
  clock: Clock;
}

export type PayoutEndDeps = Omit<PayoutLifecycleDeps, 'rails'>;

async function load(ref: PayoutRef, deps: Pick<PayoutLifecycleDeps, 'payouts'>): Promise<Payout> {
  const payout = await deps.payouts.get(ref, ref.payoutId);
  if (payout === undefined) throw new NotFoundError('Payout');
  return payout;
}

/** Step 1: returns the payout's status after sending (in_transit, or failed when refused). */
export async function sendPayout(ref: PayoutRef, deps: PayoutLifecycleDeps): Promise<{ status: string }> {
  let payout = await load(ref, deps);
  if (payout.status !== 'pending') return { status: payout.status };
  const arrives = payout.amount - payout.fee;
  const at = () => deps.clock.now().toISOString();
  try {
    if (payout.providerTransferId === undefined) {
      payout = await deps.payouts.noteTransfer(payout, await deps.rails.transfer(payout, arrives), at());
    }
    const sent = await deps.rails.payout(payout, arrives);
    if (sent.status === 'failed' || sent.status === 'canceled')
      return { status: (await endPayout(payout, sent, deps)).status };
    payout = await deps.payouts.markInTransit(payout, sent.id, at());
    if (sent.status === 'paid') payout = await endPayout(payout, sent, deps);
    return { status: payout.status };
  } catch (error) {
    if (!(error instanceof PayoutRefusedError)) throw error;
    if (payout.providerTransferId !== undefined) {
      await deps.rails.reverseTransfer(payout.providerTransferId, arrives, `${payout.payoutId}:refused`);
    }
    const failed = await endPayout(
      payout,
      { id: '', status: 'failed', failureCode: error.failureCode },
      deps,
    );
    return { status: failed.status };
  }
}

/** Step 2: keeps the token; a payout that ended meanwhile resumes the flow at once. */
export async function awaitPayout(ref: PayoutRef, taskToken: string, deps: PayoutEndDeps): Promise<void> {
  const payout = await deps.payouts.noteTaskToken(
    await load(ref, deps),
    taskToken,
    deps.clock.now().toISOString(),
  );
  if (payout.status === 'paid' || payout.status === 'failed')
    await deps.workflow.resume(taskToken, { status: payout.status });
}

/** Step 3: the provider's payout as it is now, applied; returns the status (in_transit: wait again). */
export async function checkPayout(ref: PayoutRef, deps: PayoutLifecycleDeps): Promise<{ status: string }> {
  const payout = await load(ref, deps);
  if (payout.status !== 'in_transit' || payout.providerPayoutId === undefined)
    return { status: payout.status };
  const current = await deps.rails.retrievePayout(payout.destination, payout.providerPayoutId);
  return { status: (await applyProviderPayout(payout, current, deps)).status };
}

/** The provider's word on a payout, applied only forward: paid or failed ends it, anything else waits. */
export async function applyProviderPayout(
  payout: Payout,
  current: ProviderPayout,
  deps: PayoutEndDeps,
): Promise<Payout> {
  if (current.status !== 'paid' && current.status !== 'failed' && current.status !== 'canceled')
    return payout;
  const ended = await endPayout(payout, current, deps);
  if (ended.taskToken !== undefined) await deps.workflow.resume(ended.taskToken, { status: ended.status });
  return ended;
}

/** Ends the payout with its money, once (the store's write is conditional on it not having ended). */
async function endPayout(
  payout: Payout,
  current: ProviderPayout,
  deps: Pick<PayoutEndDeps, 'payouts' | 'clock'>,
): Promise<Payout> {
  if (payout.status === 'paid' || payout.status === 'failed') return payout;
  const now = deps.clock.now();
  const at = now.toISOString();
  const created = Math.floor(now.getTime() / 1000);
  if (current.status === 'paid') {
    const view = payoutObjectOf({ ...payout, status: 'paid', updatedAt: at });
    return deps.payouts.end(payout, { status: 'paid', movement: payoutPaidOf(payout), at, view });
  }
  const failureCode = current.failureCode ?? 'could_not_process';
  const view = payoutObjectOf({ ...payout, status: 'failed', failureCode, updatedAt: at });
  return deps.payouts.end(payout, {
    status: 'failed',
    failureCode,
    movement: payoutReturnedOf(payout, created),
    at,
    view,
  });
}
