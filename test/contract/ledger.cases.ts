/** The Ledger port's contract (shared/app/ports.ts), run against the in-memory ledger and DynamoDbLedger. */
import type { Ledger } from '../../shared/app/ports.js';
import { accounts, InsufficientFundsError, TransferIdReusedError } from '../../shared/domain/ledger.js';
import { availableOf, fundedWallet, type Make, unique } from './subject.js';

export function ledgerContract(make: Make<{ ledger: Ledger }>): void {
  describe('Port: Ledger', () => {
    it('moves the money once when the same transfer is executed twice, and returns the first result', async () => {
      const { ledger } = make();
      const wallet = await fundedWallet(ledger, 0);
      const command = {
        type: 'post',
        id: unique('t-'),
        debit: accounts.providerClearing('stripe', 'USD'),
        credit: wallet,
        amount: 700,
        code: 'topup',
      } as const;

      const first = await ledger.execute(command);
      const second = await ledger.execute(command);

      expect(second).toEqual(first);
      expect(await availableOf(ledger, wallet)).toBe(700);
    });

    it('refuses a transfer id reused with other details, moving nothing', async () => {
      const { ledger } = make();
      const wallet = await fundedWallet(ledger, 0);
      const id = unique('t-');
      const debit = accounts.providerClearing('stripe', 'USD');
      await ledger.execute({ type: 'post', id, debit, credit: wallet, amount: 700, code: 'topup' });

      await expect(
        ledger.execute({ type: 'post', id, debit, credit: wallet, amount: 800, code: 'topup' }),
      ).rejects.toBeInstanceOf(TransferIdReusedError);
      expect(await availableOf(ledger, wallet)).toBe(700);
    });

    it('refuses a debit the wallet cannot cover, moving nothing', async () => {
      const { ledger } = make();
      const wallet = await fundedWallet(ledger, 500);
      const shop = accounts.app(unique('app-'), 'USD');

      await expect(
        ledger.execute({
          type: 'post',
          id: unique('t-'),
          debit: wallet,
          credit: shop,
          amount: 501,
          code: 'payment',
        }),
      ).rejects.toBeInstanceOf(InsufficientFundsError);
      expect(await availableOf(ledger, wallet)).toBe(500);
      expect(await ledger.account(shop.id)).toBeUndefined();
    });

    it('resolves a pending transfer once: a second resolution of it moves nothing', async () => {
      const { ledger } = make();
      const wallet = await fundedWallet(ledger, 1000);
      const shop = accounts.app(unique('app-'), 'USD');
      const pendingId = unique('hold-');
      await ledger.execute({
        type: 'pending',
        id: pendingId,
        debit: wallet,
        credit: shop,
        amount: 400,
        code: 'payment',
      });
      expect(await availableOf(ledger, wallet)).toBe(600);

      await ledger.execute({ type: 'post_pending', id: unique('capture-'), pendingId });
      await expect(
        ledger.execute({ type: 'void_pending', id: unique('void-'), pendingId, reason: 'voided' }),
      ).rejects.toThrow();

      expect(await availableOf(ledger, wallet)).toBe(600);
      expect(await availableOf(ledger, shop)).toBe(400);
      expect((await ledger.transfer(pendingId))?.state).toBe('posted');
    });

    it('lists a history newest first, page by page: the pages together are the whole history', async () => {
      const { ledger } = make();
      const wallet = await fundedWallet(ledger, 0);
      const ids: string[] = [];
      for (let n = 0; n < 5; n += 1) {
        const id = unique(`t${n}-`);
        ids.push(id);
        await ledger.execute({
          type: 'post',
          id,
          debit: accounts.providerClearing('stripe', 'USD'),
          credit: wallet,
          amount: 100 + n,
          code: 'topup',
        });
      }

      const whole = await ledger.history(wallet.historyOwner, { limit: 10 });
      const paged = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await ledger.history(wallet.historyOwner, {
          limit: 2,
          ...(after === undefined ? {} : { after }),
        });
        paged.push(...page.entries);
        after = page.after;
        pages += 1;
      } while (after !== undefined && pages < 10);

      expect(whole.after).toBeUndefined();
      expect(whole.entries.map((entry) => entry.transferId).sort()).toEqual([...ids].sort());
      const instants = whole.entries.map((entry) => entry.createdAt);
      expect(instants).toEqual([...instants].sort().reverse());
      expect(paged).toEqual(whole.entries);
      expect(pages).toBe(3);
    });
  });
}
