/** The DisputeRepository port's contract (shared/app/wallets/ports.ts), run against InMemoryDisputes and DynamoDbDisputes. */

import type { Ledger } from '../../shared/app/ports.js';
import type { DisputeRepository } from '../../shared/app/wallets/ports.js';
import type { Dispute } from '../../shared/domain/dispute.js';
import { InvalidStateTransitionError } from '../../shared/domain/errors.js';
import {
  type AccountRef,
  accounts,
  InsufficientFundsError,
  type TransferCommand,
} from '../../shared/domain/ledger.js';
import { at, availableOf, fundedWallet, type Make, unique } from './subject.js';

function disputeOf(wallet: AccountRef, amount: number): Dispute {
  const disputeId = unique('dp_');
  return {
    disputeId,
    provider: 'stripe',
    topupId: unique('tu_'),
    userId: unique('user-'),
    walletId: wallet.historyOwner,
    providerPaymentId: unique('pi_'),
    amount,
    currency: 'USD',
    frozenAmount: amount,
    shortfall: 0,
    status: 'open',
    providerStatus: 'needs_response',
    freezeTransferId: `dispute-freeze-${disputeId}`,
    createdAt: at(0),
    updatedAt: at(0),
  };
}

function freezeOf(dispute: Dispute, wallet: AccountRef): TransferCommand {
  return {
    type: 'pending',
    id: `dispute-freeze-${dispute.disputeId}`,
    debit: wallet,
    credit: accounts.providerClearing('stripe', 'USD'),
    amount: dispute.frozenAmount,
    code: 'dispute',
  };
}

export function disputesContract(make: Make<{ disputes: DisputeRepository; ledger: Ledger }>): void {
  describe('Port: DisputeRepository', () => {
    it('opens a dispute once with its freeze: a second opening returns the first and freezes nothing more', async () => {
      const { disputes, ledger } = make();
      const wallet = await fundedWallet(ledger, 1000);
      const dispute = disputeOf(wallet, 400);

      expect(await disputes.open(dispute, freezeOf(dispute, wallet))).toEqual(dispute);
      const again = { ...dispute, amount: 900, frozenAmount: 900 };
      expect(await disputes.open(again, { ...freezeOf(again, wallet), id: unique('other-freeze-') })).toEqual(
        dispute,
      );

      expect(await disputes.get(dispute.disputeId)).toEqual(dispute);
      expect(await availableOf(ledger, wallet)).toBe(600);
    });

    it('stores nothing when the wallet cannot cover the freeze (InsufficientFundsError)', async () => {
      const { disputes, ledger } = make();
      const wallet = await fundedWallet(ledger, 100);
      const dispute = disputeOf(wallet, 400);

      await expect(disputes.open(dispute, freezeOf(dispute, wallet))).rejects.toBeInstanceOf(
        InsufficientFundsError,
      );

      expect(await disputes.get(dispute.disputeId)).toBeUndefined();
      expect(await availableOf(ledger, wallet)).toBe(100);
    });

    it('closes an open dispute with its resolution together, and refuses a retried close, moving nothing again', async () => {
      const { disputes, ledger } = make();
      const wallet = await fundedWallet(ledger, 1000);
      const dispute = disputeOf(wallet, 400);
      await disputes.open(dispute, freezeOf(dispute, wallet));
      const pendingId = `dispute-freeze-${dispute.disputeId}`;
      const release: TransferCommand = {
        type: 'void_pending',
        id: unique('release-'),
        pendingId,
        reason: 'voided',
      };

      const won = await disputes.close(
        dispute.disputeId,
        { status: 'won', providerStatus: 'won' },
        at(7),
        release,
      );
      await expect(
        disputes.close(dispute.disputeId, { status: 'won', providerStatus: 'won' }, at(8), release),
      ).rejects.toBeInstanceOf(InvalidStateTransitionError);
      await expect(
        disputes.close(dispute.disputeId, { status: 'lost', providerStatus: 'lost' }, at(9)),
      ).rejects.toBeInstanceOf(InvalidStateTransitionError);

      expect(won).toEqual({
        ...dispute,
        status: 'won',
        providerStatus: 'won',
        closedAt: at(7),
        updatedAt: at(7),
      });
      expect(await disputes.get(dispute.disputeId)).toEqual(won);
      expect(await availableOf(ledger, wallet)).toBe(1000);
      expect((await ledger.transfer(pendingId))?.state).toBe('voided');
    });

    it('debits the frozen money when the dispute is lost', async () => {
      const { disputes, ledger } = make();
      const wallet = await fundedWallet(ledger, 1000);
      const dispute = disputeOf(wallet, 400);
      await disputes.open(dispute, freezeOf(dispute, wallet));
      const pendingId = `dispute-freeze-${dispute.disputeId}`;

      const lost = await disputes.close(
        dispute.disputeId,
        { status: 'lost', providerStatus: 'lost' },
        at(7),
        {
          type: 'post_pending',
          id: unique('debit-'),
          pendingId,
        },
      );

      expect(lost.status).toBe('lost');
      expect(await availableOf(ledger, wallet)).toBe(600);
      expect((await ledger.transfer(pendingId))?.state).toBe('posted');
    });

    it('refuses to close a dispute it does not hold', async () => {
      const { disputes } = make();
      await expect(
        disputes.close(unique('dp_'), { status: 'lost', providerStatus: 'lost' }, at(1)),
      ).rejects.toBeInstanceOf(InvalidStateTransitionError);
    });
  });
}
