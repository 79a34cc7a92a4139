import type { P2pTransfer } from '../../domain/p2p.js';

/** A transfer as API.md shapes it (snake_case); the lifecycle's task token stays inside. */
export function p2pView(transfer: P2pTransfer) {
  return {
    transfer_id: transfer.transferId,
    status: transfer.status,
    amount: transfer.amount,
    currency: transfer.currency,
    sender: { user_id: transfer.sender.userId, wallet_id: transfer.sender.walletId },
    recipient: { user_id: transfer.recipient.userId, wallet_id: transfer.recipient.walletId },
    note: transfer.note,
    room_id: transfer.roomId,
    expires_at: transfer.expiresAt,
    created_at: transfer.createdAt,
    ...(transfer.decidedAt === undefined ? {} : { decided_at: transfer.decidedAt }),
  };
}
