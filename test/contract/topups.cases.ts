/** The TopupRepository port's contract (shared/app/wallets/ports.ts), run against InMemoryTopups and DynamoDbTopups. */
import type { Ledger } from '../../shared/app/ports.js';
import type { Topup, TopupRepository } from '../../shared/app/wallets/ports.js';
import { InvalidStateTransitionError } from '../../shared/domain/errors.js';
import { type AccountRef, accounts, type TransferCommand } from '../../shared/domain/ledger.js';
import { at, availableOf, fundedWallet, type Make, unique } from './subject.js';

function topupOf(wallet: AccountRef, change: Partial<Topup> = {}): Topup {
  return {
    topupId: unique('tu_'),
    userId: unique('user-'),
    walletId: wallet.historyOwner,
    amount: 2500,
    currency: 'USD',
    paymentMethodId: 'pm_card_visa',
    provider: 'stripe',
    status: 'pending',
    createdAt: at(0),
    updatedAt: at(0),
    ...change,
  };
}

function creditOf(topup: Topup, wallet: AccountRef): TransferCommand {
  return {
    type: 'post',
    id: `topup-${topup.topupId}`,
    debit: accounts.providerClearing('stripe', 'USD'),
    credit: wallet,
    amount: topup.amount,
    code: 'topup',
  };
}

export function topupsContract(make: Make<{ topups: TopupRepository; ledger: Ledger }>): void {
  describe('Port: TopupRepository', () => {
    it('creates a top-up once: a second create of its id returns the stored one unchanged', async () => {
      const { topups, ledger } = make();
      const topup = topupOf(await fundedWallet(ledger, 0));

      expect(await topups.create(topup)).toEqual(topup);
      expect(await topups.create({ ...topup, amount: 9999, status: 'failed' })).toEqual(topup);
      expect(await topups.get(topup.topupId)).toEqual(topup);
    });

    it('answers undefined for a top-up it does not hold', async () => {
      const { topups } = make();
      expect(await topups.get(unique('tu_'))).toBeUndefined();
    });

    it('moves a top-up on from an allowed status, setting the change and updatedAt', async () => {
      const { topups, ledger } = make();
      const topup = await topups.create(topupOf(await fundedWallet(ledger, 0)));

      const moved = await topups.transition(
        topup.topupId,
        ['pending', 'requires_action'],
        { status: 'processing', providerPaymentId: 'pi_1' },
        at(5),
      );

      expect(moved).toEqual({ ...topup, status: 'processing', providerPaymentId: 'pi_1', updatedAt: at(5) });
      expect(await topups.get(topup.topupId)).toEqual(moved);
    });

    it('refuses a transition from another status (and of a missing top-up), changing nothing', async () => {
      const { topups, ledger } = make();
      const topup = await topups.create(topupOf(await fundedWallet(ledger, 0)));

      await expect(
        topups.transition(topup.topupId, ['processing'], { status: 'succeeded' }, at(5)),
      ).rejects.toBeInstanceOf(InvalidStateTransitionError);
      await expect(
        topups.transition(unique('tu_'), ['pending'], { status: 'failed' }, at(5)),
      ).rejects.toBeInstanceOf(InvalidStateTransitionError);
      expect(await topups.get(topup.topupId)).toEqual(topup);
    });

    it('credits the wallet and moves the status together, and a refused repeat moves no money', async () => {
      const { topups, ledger } = make();
      const wallet = await fundedWallet(ledger, 0);
      const topup = await topups.create(topupOf(wallet, { status: 'processing' }));
      const credit = creditOf(topup, wallet);

      const done = await topups.transition(
        topup.topupId,
        ['processing'],
        { status: 'succeeded', completedAt: at(9) },
        at(9),
        credit,
      );
      await expect(
        topups.transition(topup.topupId, ['processing'], { status: 'succeeded' }, at(10), credit),
      ).rejects.toBeInstanceOf(InvalidStateTransitionError);

      expect(done.status).toBe('succeeded');
      expect(await availableOf(ledger, wallet)).toBe(2500);
    });

    it('moves no money when the transition is refused', async () => {
      const { topups, ledger } = make();
      const wallet = await fundedWallet(ledger, 0);
      const topup = await topups.create(topupOf(wallet));
      const credit = creditOf(topup, wallet);

      await expect(
        topups.transition(topup.topupId, ['processing'], { status: 'succeeded' }, at(9), credit),
      ).rejects.toBeInstanceOf(InvalidStateTransitionError);

      expect(await ledger.transfer(credit.id)).toBeUndefined();
      expect(await availableOf(ledger, wallet)).toBe(0);
    });

    it('lets the status follow alone when the credit was made before (an attempt that stopped half-way)', async () => {
      const { topups, ledger } = make();
      const wallet = await fundedWallet(ledger, 0);
      const topup = await topups.create(topupOf(wallet, { status: 'processing' }));
      const credit = creditOf(topup, wallet);
      await ledger.execute(credit);

      const done = await topups.transition(
        topup.topupId,
        ['processing'],
        { status: 'succeeded' },
        at(9),
        credit,
      );

      expect(done.status).toBe('succeeded');
      expect(await availableOf(ledger, wallet)).toBe(2500);
    });
  });
}
