import {
  type Dispute,
  type DisputeReport,
  disputeTransferIds,
  freezableAmount,
  nextStatus,
  statusOf,
} from '../../domain/dispute.js';
import { InvalidStateTransitionError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { type AccountRef, accounts, available, InsufficientFundsError } from '../../domain/ledger.js';
import type { Clock, Ledger } from '../ports.js';
import type { DisputeRepository, Topup, TopupRepository } from './ports.js';

export interface TopupDisputeDeps {
  topups: Pick<TopupRepository, 'get'>;
  disputes: DisputeRepository;
  ledger: Pick<Ledger, 'account'>;
  clock: Clock;
}

/** What applying a report did: froze the money, released it (won), debited it (lost), or nothing. */
export type DisputeApplied = 'frozen' | 'released' | 'debited' | 'unchanged';

/** The top-up is disputed before we have credited it: retried until the wallet holds the money. */
export class TopupNotCreditedError extends Error {
  override readonly name = 'TopupNotCreditedError';

  constructor(topupId: string, status: string) {
    super(`Top-up ${topupId} is disputed while it is ${status}`);
  }
}

/** Readers and writers race (a replay beside a delivery): read again and decide afresh, a few times. */
const MAX_ATTEMPTS = 3;

/**
 * 1. Find the disputed top-up; it must have credited the wallet (else retried until it has).
 * 2. A dispute we have not seen opens: the disputed amount (no more than the top-up) is frozen in the
 *    wallet by a pending transfer wallet → provider clearing, in the same transaction as the dispute's
 *    creation. A wallet holding less freezes what it holds and records the shortfall for ops.
 * 3. A report that closes it: won releases the money (the freeze voided), lost debits it (the freeze
 *    posted), each in one transaction with the dispute's state change. Only forward: a duplicate or a late
 *    report of an earlier status changes nothing.
 * Whatever order reports arrive in, the first one seen opens the dispute, so a close seen first freezes and
 * closes at once, and the `created` that follows it finds a closed dispute and does nothing.
 */
export async function applyTopupDispute(
  topupId: string,
  report: DisputeReport,
  deps: TopupDisputeDeps,
): Promise<{ dispute: Dispute; applied: DisputeApplied }> {
  const topup = await deps.topups.get(topupId);
  if (topup === undefined) throw new NotFoundError('Top-up');
  if (topup.status !== 'succeeded') throw new TopupNotCreditedError(topupId, topup.status);
  if (report.currency !== topup.currency) {
    throw new ValidationError(`The dispute is in ${report.currency}, the top-up in ${topup.currency}`);
  }
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await applyOnce(topup, report, deps);
    } catch (error) {
      const raced = error instanceof InvalidStateTransitionError || error instanceof InsufficientFundsError;
      if (!raced || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

async function applyOnce(
  topup: Topup,
  report: DisputeReport,
  deps: TopupDisputeDeps,
): Promise<{ dispute: Dispute; applied: DisputeApplied }> {
  const existing = await deps.disputes.get(report.disputeId);
  const dispute = existing ?? (await open(topup, report, deps));
  const next = nextStatus(dispute.status, statusOf(report.providerStatus));
  if (next === undefined || next === 'open') {
    return { dispute, applied: existing === undefined ? 'frozen' : 'unchanged' };
  }
  const ids = disputeTransferIds(dispute.disputeId);
  const resolution =
    dispute.freezeTransferId === undefined
      ? undefined
      : next === 'won'
        ? ({
            type: 'void_pending',
            id: ids.close,
            pendingId: dispute.freezeTransferId,
            reason: 'voided',
          } as const)
        : ({ type: 'post_pending', id: ids.close, pendingId: dispute.freezeTransferId } as const);
  const closed = await deps.disputes.close(
    dispute.disputeId,
    { status: next, providerStatus: report.providerStatus },
    deps.clock.now().toISOString(),
    resolution,
  );
  return { dispute: closed, applied: next === 'won' ? 'released' : 'debited' };
}

async function open(topup: Topup, report: DisputeReport, deps: TopupDisputeDeps): Promise<Dispute> {
  const wallet: AccountRef = accounts.wallet(topup.walletId, topup.currency);
  const account = await deps.ledger.account(wallet.id);
  const disputed = Math.min(report.amount, topup.amount);
  const frozenAmount = freezableAmount(disputed, account === undefined ? 0 : available(account));
  const now = deps.clock.now().toISOString();
  const freezeId = disputeTransferIds(report.disputeId).freeze;
  const dispute: Dispute = {
    disputeId: report.disputeId,
    provider: topup.provider,
    topupId: topup.topupId,
    userId: topup.userId,
    walletId: topup.walletId,
    providerPaymentId: report.providerPaymentId,
    amount: disputed,
    currency: topup.currency,
    frozenAmount,
    shortfall: disputed - frozenAmount,
    status: 'open',
    providerStatus: report.providerStatus,
    ...(report.reason === undefined ? {} : { reason: report.reason }),
    ...(frozenAmount > 0 ? { freezeTransferId: freezeId } : {}),
    createdAt: now,
    updatedAt: now,
  };
  if (frozenAmount === 0) return deps.disputes.open(dispute);
  return deps.disputes.open(dispute, {
    type: 'pending',
    id: freezeId,
    debit: wallet,
    credit: accounts.providerClearing(topup.provider, topup.currency),
    amount: frozenAmount,
    code: 'dispute',
    metadata: { disputeId: report.disputeId, topupId: topup.topupId },
  });
}
