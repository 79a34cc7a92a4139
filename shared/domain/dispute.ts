/**
 * A payer's dispute (chargeback) of a top-up at the provider, and what it does to the wallet the top-up
 * credited. While the dispute is open the disputed money is frozen (a pending ledger transfer out of the
 * wallet, so `available` excludes it); won, it is released (the transfer voided); lost, it leaves the wallet
 * (the transfer posted). A dispute only moves forward: open → won | lost, and a closed one never changes.
 */
import { InvalidStateTransitionError } from './errors.js';

/** Ours: `open` while the provider decides (the money frozen), then `won` or `lost`, for good. */
export type DisputeStatus = 'open' | 'won' | 'lost';

/**
 * The provider's word for where a dispute stands (Stripe's `status`). `warning_*` is an inquiry before a
 * chargeback; `warning_closed` and `prevented` end one without the money leaving, like `won`.
 */
export const PROVIDER_DISPUTE_STATUSES = [
  'warning_needs_response',
  'warning_under_review',
  'warning_closed',
  'needs_response',
  'under_review',
  'won',
  'lost',
  'prevented',
] as const;
export type ProviderDisputeStatus = (typeof PROVIDER_DISPUTE_STATUSES)[number];

export interface Dispute {
  /** The provider's dispute id (`dp_…`). */
  disputeId: string;
  provider: string;
  topupId: string;
  userId: string;
  walletId: string;
  /** The disputed PaymentIntent. */
  providerPaymentId: string;
  /** What the provider says is disputed, in the top-up's currency. */
  amount: number;
  currency: string;
  /** What the wallet could freeze of it: the amount, or less when the payer had already spent some. */
  frozenAmount: number;
  /** amount − frozenAmount: disputed money no longer in the wallet, for ops to recover. */
  shortfall: number;
  status: DisputeStatus;
  providerStatus: ProviderDisputeStatus;
  reason?: string;
  /** The pending ledger transfer that freezes the money (absent when nothing could be frozen). */
  freezeTransferId?: string;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
}

/** What the provider says of a dispute, read from its event. */
export interface DisputeReport {
  disputeId: string;
  /** The disputed PaymentIntent. */
  providerPaymentId: string;
  amount: number;
  currency: string;
  providerStatus: ProviderDisputeStatus;
  reason?: string;
}

/** What a provider status means for us: still open, or closed one way or the other. */
export function statusOf(providerStatus: ProviderDisputeStatus): DisputeStatus {
  switch (providerStatus) {
    case 'won':
    case 'warning_closed':
    case 'prevented':
      return 'won';
    case 'lost':
      return 'lost';
    default:
      return 'open';
  }
}

export function isProviderDisputeStatus(value: unknown): value is ProviderDisputeStatus {
  return PROVIDER_DISPUTE_STATUSES.some((status) => status === value);
}

/**
 * How much of a disputed amount the wallet can freeze now: all of it when the wallet holds it, else what it
 * holds (never below zero). We chose to freeze what is there and record the rest as a shortfall rather than
 * let the wallet go negative or refuse the dispute: the wallet may not be overdrawn (the ledger forbids it,
 * and money is never created), and the part already spent is a debt for ops to recover from the payer.
 */
export function freezableAmount(disputed: number, available: number): number {
  return Math.max(0, Math.min(disputed, available));
}

/**
 * The next status of a dispute on a report from the provider, or `undefined` when the report changes
 * nothing (a duplicate, a late `open` after the close, the same close again). A closed dispute that the
 * provider reports closed the other way is a contradiction for ops: InvalidStateTransitionError.
 */
export function nextStatus(current: DisputeStatus, reported: DisputeStatus): DisputeStatus | undefined {
  if (reported === current || reported === 'open') return undefined;
  if (current === 'open') return reported;
  throw new InvalidStateTransitionError(current, reported === 'won' ? 'win' : 'lose');
}

/** The ledger transfer ids of a dispute: derived, so every attempt names the same transfers. */
export function disputeTransferIds(disputeId: string): { freeze: string; close: string } {
  return { freeze: `dispute_${disputeId}_freeze`, close: `dispute_${disputeId}_close` };
}
