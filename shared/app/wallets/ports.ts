/** The wallets feature's ports: top-ups, their disputes, and the cards a user paid with. */
import type { Dispute, DisputeStatus, ProviderDisputeStatus } from '../../domain/dispute.js';
import type { TransferCommand } from '../../domain/ledger.js';
import type { CardDetails, ProviderName } from '../payments/ports.js';

export type TopupStatus = 'pending' | 'requires_action' | 'processing' | 'succeeded' | 'failed';

export interface Topup {
  topupId: string;
  userId: string;
  walletId: string;
  amount: number;
  currency: string;
  paymentMethodId: string;
  provider: ProviderName;
  /** The payer's customer at the processor, charged with the card (none for PayPal and older top-ups). */
  customerId?: string;
  status: TopupStatus;
  providerPaymentId?: string;
  nextActionUrl?: string;
  failureCode?: string;
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
}

export interface TopupRepository {
  /** Stores a new top-up; when its id exists already (a retried request) returns the stored one instead. */
  create(topup: Topup): Promise<Topup>;
  get(topupId: string): Promise<Topup | undefined>;
  /**
   * Moves a top-up on, only from one of `from` (a conditional write); returns the updated top-up, or
   * throws InvalidStateTransitionError when it was in another state. With `credit` (the wallet's credit)
   * the change and the ledger transfer commit in one transaction; a credit already made is not made again.
   */
  transition(
    topupId: string,
    from: readonly TopupStatus[],
    change: Partial<
      Pick<Topup, 'status' | 'providerPaymentId' | 'nextActionUrl' | 'failureCode' | 'completedAt'>
    > & {
      status: TopupStatus;
    },
    at: string,
    credit?: TransferCommand,
  ): Promise<Topup>;
}

/** Disputes of top-ups, each with the ledger transfer that freezes, releases or debits its money. */
export interface DisputeRepository {
  get(disputeId: string): Promise<Dispute | undefined>;
  /**
   * Stores a new open dispute (a conditional put) and, with `freeze`, its pending ledger transfer in the same
   * transaction. A dispute stored before is returned as stored and nothing moves. The ledger's refusal (the
   * wallet no longer holds the amount) surfaces as InsufficientFundsError.
   */
  open(dispute: Dispute, freeze?: TransferCommand): Promise<Dispute>;
  /**
   * Closes an open dispute (a conditional write on `open`) and, with `resolution` (the freeze posted or
   * voided), moves its money in the same transaction. Throws InvalidStateTransitionError when it is no
   * longer open.
   */
  close(
    disputeId: string,
    change: { status: Exclude<DisputeStatus, 'open'>; providerStatus: ProviderDisputeStatus },
    at: string,
    resolution?: TransferCommand,
  ): Promise<Dispute>;
}

export interface SavedCard extends CardDetails {
  lastUsedAt: string;
}

export interface SavedCards {
  /** Remembers a card the user paid with (one entry per physical card). */
  save(userId: string, card: CardDetails, at: string): Promise<void>;
  list(userId: string): Promise<SavedCard[]>;
}
