/**
 * Transfer reversals after a PaymentIntent refund (domain rules in shared/domain/transfer-reversal.ts):
 * driven from a worklist item the refund writes with its succeeded end when it reversed splits (in the same
 * transaction), which the settlement job works through on its schedule (reverseDue) and removes only once
 * looked at: at least once, and with no function or rule of its own. For each split merchant the refund reversed, whose
 * balance is negative afterwards, the uncovered part is taken back from its most recent paid payout
 * transfers through the rails (each call under a key derived from the refund, merchant and payout, so a
 * retried run reverses once at the provider), then recorded with its ledger movement in one transaction,
 * once per (refund, merchant): a retried or twin run finds it recorded and does nothing more.
 */
import type { LedgerMode } from '../../domain/ledger.js';
import {
  merchantBalanceIn,
  type PaidTransfer,
  type TransferReversal,
  transferReversalIds,
  transferReversalMovementOf,
  transferReversalPartsOf,
  uncoveredOf,
} from '../../domain/transfer-reversal.js';
import type { MerchantBalances } from '../balance/ports.js';
import type { PaymentIntentStore } from '../payment-intents/ports.js';
import type { Clock, Ids } from '../ports.js';
import type { IntentRefundStore } from '../refunds/ports.js';
import type { PayoutRails } from './ports.js';

/** A refund on the worklist: `dueId` names its worklist item. */
export interface DueReversal extends RefundRef {
  dueId: string;
}

export interface TransferReversalStore {
  /** The worklist, oldest first, at most `limit`. */
  due(limit: number): Promise<DueReversal[]>;
  /** Off the worklist: the refund was looked at (and any reversal recorded). */
  done(due: DueReversal): Promise<void>;
  /** The reversal recorded for (refund, split merchant), if any. */
  get(merchantId: string, mode: LedgerMode, refundId: string): Promise<TransferReversal | undefined>;
  /** The merchant's paid payouts' transfers in `currency`, newest first, with what was reversed of each. */
  paidTransfers(merchantId: string, mode: LedgerMode, currency: string): Promise<PaidTransfer[]>;
  /**
   * Records the reversal (absent), what each part reversed of its payout's transfer (never beyond it), its
   * ledger transfer and balance transaction in ONE transaction. One recorded already is returned as it is.
   */
  record(
    reversal: TransferReversal,
    movement: ReturnType<typeof transferReversalMovementOf>,
  ): Promise<TransferReversal>;
}

export interface TransferReversalDeps {
  intentRefunds: Pick<IntentRefundStore, 'intentRefund'>;
  intents: Pick<PaymentIntentStore, 'get'>;
  balances: Pick<MerchantBalances, 'accounts' | 'transaction'>;
  reversals: TransferReversalStore;
  rails: Pick<PayoutRails, 'reverseTransfer'>;
  ids: Pick<Ids, 'derive'>;
  clock: Clock;
}

/** The refund a `refund.updated` event names (the charging merchant's tenant). */
export interface RefundRef {
  merchantId: string;
  mode: LedgerMode;
  refundId: string;
}

/**
 * Reverses what the refund's split merchants cannot cover from their balance. Returns the reversals
 * recorded (or found recorded); none when the refund is not a succeeded PaymentIntent refund with splits,
 * when every split merchant's balance covers its reversal, or when no paid payout transfer is left.
 */
export async function reverseSplitTransfers(
  ref: RefundRef,
  deps: TransferReversalDeps,
): Promise<TransferReversal[]> {
  const refund = await deps.intentRefunds.intentRefund(ref, ref.refundId);
  if (refund === undefined || refund.status !== 'succeeded') return [];
  const intent = await deps.intents.get(refund, refund.intentId);
  if (intent === undefined || intent.splits.length === 0) return [];
  const done: TransferReversal[] = [];
  for (const { merchantId } of intent.splits) {
    const reversal = await reverseFor(merchantId, { ...ref, currency: refund.currency }, deps);
    if (reversal !== undefined) done.push(reversal);
  }
  return done;
}

async function reverseFor(
  merchantId: string,
  refund: RefundRef & { currency: string },
  deps: TransferReversalDeps,
): Promise<TransferReversal | undefined> {
  const { refundId, mode, currency } = refund;
  const recorded = await deps.reversals.get(merchantId, mode, refundId);
  if (recorded !== undefined) return recorded;
  // What the refund took from this merchant: its (negative) split balance transaction (charge.ts ids).
  const split = await deps.balances.transaction(deps.ids.derive('txn_', 'split', refundId, merchantId));
  if (split === undefined || split.merchantId !== merchantId || split.mode !== mode) return undefined;
  const balance = merchantBalanceIn(await deps.balances.accounts(merchantId, mode), currency);
  const uncovered = uncoveredOf(-split.amount, balance);
  if (uncovered === 0) return undefined;
  const parts = transferReversalPartsOf(
    uncovered,
    await deps.reversals.paidTransfers(merchantId, mode, currency),
  );
  if (parts.length === 0) return undefined;
  for (const part of parts) {
    const key = transferReversalIds.provider(refundId, merchantId, part.payoutId);
    part.providerReversalId = await deps.rails.reverseTransfer(part.transferId, part.amount, key);
  }
  const now = deps.clock.now();
  const reversal: TransferReversal = {
    refundId,
    merchantId,
    mode,
    currency,
    amount: parts.reduce((sum, part) => sum + part.amount, 0),
    parts,
    createdAt: now.toISOString(),
  };
  const transactionId = deps.ids.derive('txn_', 'reversal', refundId, merchantId);
  const movement = transferReversalMovementOf(reversal, transactionId, Math.floor(now.getTime() / 1000));
  return deps.reversals.record(reversal, movement);
}

/** One settlement run's pass over the worklist: how many refunds were looked at, and those that failed. */
export interface ReversalRun {
  done: number;
  reversed: number;
  failed: { refundId: string; error: Error }[];
}

/**
 * Works through the worklist: each refund's reversals (idempotent), then off the list. One that fails
 * (the provider down) stays on it for the next run and is reported.
 */
export async function reverseDue(limit: number, deps: TransferReversalDeps): Promise<ReversalRun> {
  const run: ReversalRun = { done: 0, reversed: 0, failed: [] };
  for (const due of await deps.reversals.due(limit)) {
    try {
      run.reversed += (await reverseSplitTransfers(due, deps)).length;
      await deps.reversals.done(due);
      run.done += 1;
    } catch (error) {
      run.failed.push({
        refundId: due.refundId,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    }
  }
  return run;
}
