/** The P2P feature's ports: transfers between members of a room, and their lifecycle. */
import type { TransferCommand } from '../../domain/ledger.js';
import type { P2pStatus, P2pTransfer } from '../../domain/p2p.js';

export interface P2pTransfers {
  /**
   * Stores a new transfer with its reservation (`reservation`, the pending ledger transfer) and its
   * `p2p.initiated` event (the outbox) in one transaction; an existing id (a retried request) returns the
   * stored one.
   */
  create(transfer: P2pTransfer, reservation: TransferCommand): Promise<P2pTransfer>;
  get(transferId: string): Promise<P2pTransfer | undefined>;
  /**
   * Records the outcome, only while the transfer is pending (and, for a person's decision, not yet past
   * its expiry): the first outcome wins. Returns the transfer as it is after the attempt. With `settlement`
   * (the outcome's ledger transfer) the outcome and its money commit in one transaction; a settlement that
   * already happened is not made again. The outcome's `p2p.<status>` event (the outbox) is written in the
   * same transaction. The winner takes the lifecycle's task token (`takenTaskToken`): the
   * write removes it from the transfer.
   */
  decide(
    transferId: string,
    status: Exclude<P2pStatus, 'pending_recipient_acceptance'>,
    at: string,
    mustBeBefore?: string,
    settlement?: TransferCommand,
  ): Promise<{ transfer: P2pTransfer; won: boolean; takenTaskToken?: string }>;
  /** Stores the lifecycle's task token while pending; false otherwise. */
  attachTaskToken(transferId: string, token: string): Promise<boolean>;
}

/** The P2P lifecycle (Step Functions): started by transfer id, resumed by task token. */
export interface P2pLifecycle {
  start(transferId: string, input: Readonly<Record<string, unknown>>): Promise<void>;
  resume(taskToken: string, output: Readonly<Record<string, unknown>>): Promise<boolean>;
}
