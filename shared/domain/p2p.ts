/**
 * Peer-to-peer transfers (TMCP): money reserved from the sender at once, moved only when the recipient
 * accepts within the window; rejection, cancellation or expiry give it back. Exactly one outcome per
 * transfer: the first decision recorded (a conditional write on `pending_recipient_acceptance`) wins.
 */
import { DomainError, ForbiddenError, InvalidStateTransitionError, NotFoundError } from './errors.js';
import { type DomainEventDetail, domainEventId } from './events.js';
import type { TransferCommand } from './ledger.js';

export type P2pStatus = 'pending_recipient_acceptance' | 'completed' | 'rejected' | 'cancelled' | 'expired';
export type P2pDecision = 'accept' | 'reject' | 'cancel';

export interface P2pTransfer {
  transferId: string;
  status: P2pStatus;
  amount: number;
  currency: string;
  sender: { userId: string; walletId: string };
  recipient: { userId: string; walletId: string };
  note: string | null;
  roomId: string;
  expiresAt: string;
  createdAt: string;
  decidedAt?: string;
  taskToken?: string;
}

export const PENDING: P2pStatus = 'pending_recipient_acceptance';

export type P2pOutcome = Exclude<P2pStatus, 'pending_recipient_acceptance'>;

export const outcomeOf: Readonly<Record<P2pDecision, P2pOutcome>> = {
  accept: 'completed',
  reject: 'rejected',
  cancel: 'cancelled',
};

export class SelfTransferError extends DomainError {
  override readonly name = 'SelfTransferError';
  constructor() {
    super('VALIDATION_ERROR', 'A transfer needs a recipient other than the sender');
  }
}

/**
 * Who may decide what: the recipient accepts or rejects, the sender cancels. Anyone else does not see the
 * transfer at all (404). Returns true when the decision was already taken (a repeat answers 200 unchanged).
 */
export function assertMayDecide(
  transfer: P2pTransfer,
  actorId: string,
  decision: P2pDecision,
  now: Date,
): boolean {
  const isSender = transfer.sender.userId === actorId;
  const isRecipient = transfer.recipient.userId === actorId;
  if (!isSender && !isRecipient) throw new NotFoundError('Transfer');
  const allowed = decision === 'cancel' ? isSender : isRecipient;
  if (!allowed) {
    throw new ForbiddenError(
      decision === 'cancel' ? 'Only the sender may cancel' : 'Only the recipient may decide',
    );
  }
  if (transfer.status === outcomeOf[decision]) return true;
  if (transfer.status !== PENDING || new Date(transfer.expiresAt) <= now) {
    throw new InvalidStateTransitionError(
      transfer.status === PENDING ? 'expired' : transfer.status,
      decision,
    );
  }
  return false;
}

/** The sender or the recipient may read a transfer; anyone else gets 404. */
export function assertParty(transfer: P2pTransfer, userId: string): void {
  if (transfer.sender.userId !== userId && transfer.recipient.userId !== userId)
    throw new NotFoundError('Transfer');
}

export const p2pTransferIds = {
  hold: (transferId: string) => `p2p:${transferId}:hold`,
  settle: (transferId: string) => `p2p:${transferId}:settle`,
};

/**
 * The money of an outcome: the sender's reservation posted to the recipient when completed, voided back
 * to the sender otherwise (as expired when nobody decided in time). It commits with the outcome.
 */
export function settlementOf(transferId: string, outcome: P2pOutcome): TransferCommand {
  const ids = { id: p2pTransferIds.settle(transferId), pendingId: p2pTransferIds.hold(transferId) };
  if (outcome === 'completed') return { type: 'post_pending', ...ids };
  return { type: 'void_pending', ...ids, reason: outcome === 'expired' ? 'expired' : 'voided' };
}

/** `p2p.initiated`: written with the reservation, in the same transaction. */
export function initiatedEvent(transfer: P2pTransfer): DomainEventDetail<'p2p.initiated'> {
  return {
    eventId: domainEventId('p2p.initiated', transfer.transferId),
    occurredAt: transfer.createdAt,
    roomId: transfer.roomId,
    transferId: transfer.transferId,
    amount: transfer.amount,
    currency: transfer.currency,
    sender: transfer.sender.userId,
    recipient: transfer.recipient.userId,
    note: transfer.note,
    expiresAt: transfer.expiresAt,
  };
}

/** `p2p.<outcome>` (completed, rejected, cancelled, expired): written with the outcome and its money. */
export function outcomeEvent(transfer: P2pTransfer & { status: P2pOutcome; decidedAt: string }) {
  const detailType = `p2p.${transfer.status}` as const;
  // The status too, as the state machine published it: consumers ignore what they do not read.
  const detail: DomainEventDetail<typeof detailType> & { status: P2pOutcome } = {
    eventId: domainEventId(detailType, transfer.transferId),
    occurredAt: transfer.decidedAt,
    roomId: transfer.roomId,
    transferId: transfer.transferId,
    status: transfer.status,
  };
  return { detailType, detail };
}
