import { NotFoundError, NotRoomMemberError } from '../../domain/errors.js';
import { accounts } from '../../domain/ledger.js';
import type { CurrencyPolicy } from '../../domain/money.js';
import {
  assertMayDecide,
  assertParty,
  outcomeOf,
  type P2pDecision,
  type P2pTransfer,
  PENDING,
  p2pTransferIds,
  SelfTransferError,
  settlementOf,
} from '../../domain/p2p.js';
import { assertTransferApproved, type TransferStepUp } from '../mfa/step-up.js';
import type { Clock, Ids, Ledger, RoomDirectory, WalletDirectory } from '../ports.js';
import type { P2pLifecycle, P2pTransfers } from './ports.js';

export interface P2pDeps {
  transfers: P2pTransfers;
  wallets: WalletDirectory;
  ledger: Ledger;
  rooms: RoomDirectory;
  lifecycle: P2pLifecycle;
  currencies: CurrencyPolicy;
  ids: Ids;
  clock: Clock;
  /** P2P_ACCEPTANCE_WINDOW_SECONDS. */
  windowSeconds: number;
  /** Above the MFA threshold a transfer spends a step-up token. */
  stepUp: TransferStepUp;
}

export interface InitiateCommand {
  senderId: string;
  idempotencyKey: string;
  recipientId: string;
  amount: unknown;
  currency: unknown;
  note?: string;
  roomId: string;
  /** X-Step-Up-Token: a step-up of purpose `transfer` for this amount, needed above the MFA threshold. */
  stepUpToken?: string | undefined;
}

/**
 * 1. Accept the amount; refuse a transfer to oneself; both users must be joined members of the room.
 *    Above the MFA threshold, spend a step-up token for exactly this amount and currency (428 without);
 *    a retry of a transfer already made needs none.
 * 2. Find or create both wallets; in one transaction, record the transfer (id derived from sender and
 *    Idempotency-Key), reserve the amount from the sender (a pending ledger transfer to the recipient;
 *    402 at once when the sender cannot cover it) and write its p2p.initiated event.
 * 3. Start its lifecycle, which only waits for the recipient's decision until it expires (and then voids
 *    the reservation); a decision settles the money itself.
 */
export async function initiateTransfer(command: InitiateCommand, deps: P2pDeps): Promise<P2pTransfer> {
  const money = deps.currencies.money(command.amount, command.currency);
  if (command.recipientId === command.senderId) throw new SelfTransferError();
  const transferId = deps.ids.derive('p2p_', command.senderId, command.idempotencyKey);
  const existing = await deps.transfers.get(transferId);
  if (existing !== undefined) {
    // A retry: make sure the lifecycle runs (a duplicate start is harmless), then answer as the first time.
    if (existing.status === PENDING) await startLifecycle(existing, deps);
    return existing;
  }

  const members = await deps.rooms.joinedMembers(command.roomId);
  if (!members.has(command.senderId) || !members.has(command.recipientId))
    throw new NotRoomMemberError('Both users must be members of the room');
  await assertTransferApproved(command.senderId, money, command.stepUpToken, deps.stepUp);
  const [sender, recipient] = await Promise.all([
    deps.wallets.ensure(command.senderId),
    deps.wallets.ensure(command.recipientId),
  ]);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.windowSeconds * 1000).toISOString();
  const reservation = {
    type: 'pending',
    id: p2pTransferIds.hold(transferId),
    debit: accounts.wallet(sender.walletId, money.currency),
    credit: accounts.wallet(recipient.walletId, money.currency),
    amount: money.amount,
    code: 'p2p',
    metadata: { transferId },
    // Outlives the window, so only the lifecycle (never a lapse) decides what happens to it.
    timeoutAt: new Date(now.getTime() + (deps.windowSeconds + 86_400) * 1000).toISOString(),
  } as const;
  // The transfer, its reservation and its p2p.initiated event commit together (one transaction).
  const transfer = await deps.transfers.create(
    {
      transferId,
      status: PENDING,
      amount: money.amount,
      currency: money.currency,
      sender: { userId: command.senderId, walletId: sender.walletId },
      recipient: { userId: command.recipientId, walletId: recipient.walletId },
      note: command.note ?? null,
      roomId: command.roomId,
      expiresAt,
      createdAt: now.toISOString(),
    },
    reservation,
  );
  await startLifecycle(transfer, deps);
  return transfer;
}

function startLifecycle(
  transfer: P2pTransfer,
  deps: Pick<P2pDeps, 'lifecycle' | 'windowSeconds'>,
): Promise<void> {
  return deps.lifecycle.start(transfer.transferId, {
    transferId: transfer.transferId,
    windowSeconds: deps.windowSeconds,
  });
}

/**
 * 1. Only the recipient accepts or rejects; only the sender cancels; anyone else sees nothing (404).
 * 2. The first decision before expiry wins (a conditional write); repeating it answers the transfer as is.
 * 3. The money moves (accept) or goes back in the same transaction; the waiting lifecycle is resumed.
 */
export async function decideTransfer(
  actorId: string,
  transferId: string,
  decision: P2pDecision,
  deps: Pick<P2pDeps, 'transfers' | 'lifecycle' | 'clock'>,
): Promise<P2pTransfer> {
  const transfer = await load(transferId, deps);
  const now = deps.clock.now();
  if (assertMayDecide(transfer, actorId, decision, now)) return transfer;
  // The outcome and its money commit together: completed is never read before the recipient has it.
  const outcome = outcomeOf[decision];
  const {
    transfer: after,
    won,
    takenTaskToken,
  } = await deps.transfers.decide(
    transferId,
    outcome,
    now.toISOString(),
    now.toISOString(),
    settlementOf(transferId, outcome),
  );
  if (!won) {
    // Another decision (or the expiry) got there first: repeat it only if it was this same decision.
    assertMayDecide(after, actorId, decision, now);
    return after;
  }
  if (takenTaskToken !== undefined) await deps.lifecycle.resume(takenTaskToken, { status: after.status });
  return after;
}

export async function transferOf(
  userId: string,
  transferId: string,
  transfers: P2pTransfers,
): Promise<P2pTransfer> {
  const transfer = await load(transferId, { transfers });
  assertParty(transfer, userId);
  return transfer;
}

/** Lifecycle: stores the task token, or resumes at once when a decision came before the wait began. */
export async function awaitDecision(
  transferId: string,
  taskToken: string,
  deps: Pick<P2pDeps, 'transfers' | 'lifecycle'>,
): Promise<void> {
  if (await deps.transfers.attachTaskToken(transferId, taskToken)) return;
  const transfer = await load(transferId, deps);
  await deps.lifecycle.resume(taskToken, { status: transfer.status });
}

/**
 * Lifecycle: nobody decided in time, so the transfer expires and its reservation is voided back to the
 * sender, with its p2p.expired event, in one transaction. A decision that won the race settled itself; an
 * outcome recorded before outcomes carried their money is settled here. Idempotent.
 */
export async function expireTransfer(
  transferId: string,
  deps: Pick<P2pDeps, 'transfers' | 'ledger' | 'clock'>,
): Promise<{ status: P2pTransfer['status'] }> {
  let transfer = await load(transferId, deps);
  if (transfer.status === PENDING) {
    transfer = (
      await deps.transfers.decide(
        transferId,
        'expired',
        deps.clock.now().toISOString(),
        undefined,
        settlementOf(transferId, 'expired'),
      )
    ).transfer;
  }
  // An outcome recorded without its settlement (before outcomes carried their money) is settled here.
  const hold = await deps.ledger.transfer(p2pTransferIds.hold(transferId));
  if (hold?.state === 'pending' && transfer.status !== PENDING) {
    await deps.ledger.execute(
      transfer.status === 'completed'
        ? { type: 'post_pending', id: p2pTransferIds.settle(transferId), pendingId: hold.id }
        : {
            type: 'void_pending',
            id: p2pTransferIds.settle(transferId),
            pendingId: hold.id,
            reason: transfer.status === 'expired' ? 'expired' : 'voided',
          },
    );
  }
  return { status: transfer.status };
}

async function load(transferId: string, deps: Pick<P2pDeps, 'transfers'>): Promise<P2pTransfer> {
  const transfer = await deps.transfers.get(transferId);
  if (transfer === undefined) throw new NotFoundError('Transfer');
  return transfer;
}
