/** The P2pTransfers port's contract (shared/app/p2p/ports.ts), run against InMemoryP2pTransfers and DynamoDbP2pTransfers. */

import type { P2pTransfers } from '../../shared/app/p2p/ports.js';
import type { Ledger } from '../../shared/app/ports.js';
import { NotFoundError } from '../../shared/domain/errors.js';
import type { AccountRef, TransferCommand } from '../../shared/domain/ledger.js';
import { type P2pTransfer, PENDING, p2pTransferIds, settlementOf } from '../../shared/domain/p2p.js';
import { at, availableOf, fundedWallet, type Make, unique } from './subject.js';

function transferOf(sender: AccountRef, recipient: AccountRef): P2pTransfer {
  return {
    transferId: unique('p2p_'),
    status: PENDING,
    amount: 300,
    currency: 'USD',
    sender: { userId: unique('user-'), walletId: sender.historyOwner },
    recipient: { userId: unique('user-'), walletId: recipient.historyOwner },
    note: null,
    roomId: '!room:contract',
    expiresAt: at(100),
    createdAt: at(0),
  };
}

/** The sender's reservation, made with the transfer. */
function reservationOf(transfer: P2pTransfer, sender: AccountRef, recipient: AccountRef): TransferCommand {
  return {
    type: 'pending',
    id: p2pTransferIds.hold(transfer.transferId),
    debit: sender,
    credit: recipient,
    amount: transfer.amount,
    code: 'p2p',
  };
}

/** A new transfer with its reservation, stored. */
async function created(
  transfers: P2pTransfers,
  sender: AccountRef,
  recipient: AccountRef,
): Promise<P2pTransfer> {
  const transfer = transferOf(sender, recipient);
  return transfers.create(transfer, reservationOf(transfer, sender, recipient));
}

export function p2pTransfersContract(make: Make<{ transfers: P2pTransfers; ledger: Ledger }>): void {
  describe('Port: P2pTransfers', () => {
    it('creates a transfer once, with its reservation: a second create of its id returns the stored one unchanged and reserves nothing more', async () => {
      const { transfers, ledger } = make();
      const sender = await fundedWallet(ledger, 1000);
      const recipient = await fundedWallet(ledger, 0);
      const transfer = transferOf(sender, recipient);
      const reservation = reservationOf(transfer, sender, recipient);

      expect(await transfers.create(transfer, reservation)).toEqual(transfer);
      expect(await transfers.create({ ...transfer, amount: 999 }, reservation)).toEqual(transfer);
      expect(await transfers.get(transfer.transferId)).toEqual(transfer);
      expect(await availableOf(ledger, sender)).toBe(700);
      expect((await ledger.transfer(reservation.id))?.state).toBe('pending');
    });

    it('decides a pending transfer once, with its settlement; a later decision loses and moves nothing', async () => {
      const { transfers, ledger } = make();
      const sender = await fundedWallet(ledger, 1000);
      const recipient = await fundedWallet(ledger, 0);
      const transfer = await created(transfers, sender, recipient);
      const settlement = settlementOf(transfer.transferId, 'completed');

      const first = await transfers.decide(transfer.transferId, 'completed', at(10), at(10), settlement);
      const second = await transfers.decide(transfer.transferId, 'rejected', at(11));

      expect(first).toEqual({ transfer: { ...transfer, status: 'completed', decidedAt: at(10) }, won: true });
      expect(second).toEqual({ transfer: first.transfer, won: false });
      expect(await availableOf(ledger, sender)).toBe(700);
      expect(await availableOf(ledger, recipient)).toBe(300);
    });

    it('refuses a decision made too late (expiresAt not after mustBeBefore), moving nothing', async () => {
      const { transfers, ledger } = make();
      const sender = await fundedWallet(ledger, 1000);
      const recipient = await fundedWallet(ledger, 0);
      const transfer = await created(transfers, sender, recipient);

      const late = await transfers.decide(
        transfer.transferId,
        'completed',
        at(100),
        at(100),
        settlementOf(transfer.transferId, 'completed'),
      );

      expect(late).toEqual({ transfer, won: false });
      expect(await availableOf(ledger, sender)).toBe(700);
      expect((await ledger.transfer(p2pTransferIds.hold(transfer.transferId)))?.state).toBe('pending');
    });

    it('stores a task token only while pending, and hands it to the decision that wins', async () => {
      const { transfers, ledger } = make();
      const transfer = await created(
        transfers,
        await fundedWallet(ledger, 300),
        await fundedWallet(ledger, 0),
      );

      expect(await transfers.attachTaskToken(transfer.transferId, 'token-1')).toBe(true);
      const decided = await transfers.decide(transfer.transferId, 'cancelled', at(5));
      expect(await transfers.attachTaskToken(transfer.transferId, 'token-2')).toBe(false);

      expect(decided.takenTaskToken).toBe('token-1');
      expect((await transfers.get(transfer.transferId))?.taskToken).toBeUndefined();
    });

    it('refuses to decide a transfer it does not hold (NotFoundError)', async () => {
      const { transfers } = make();
      await expect(transfers.decide(unique('p2p_'), 'expired', at(1))).rejects.toBeInstanceOf(NotFoundError);
    });
  });
}
