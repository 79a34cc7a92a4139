/**
 * The DynamoDB ledger against DynamoDB Local: one transaction per transfer, conditions that hold under
 * concurrency, transfer ids as idempotency keys, two-phase transfers resolved exactly once.
 */
import { randomUUID } from 'node:crypto';
import { type AccountRef, accounts, available } from '../../shared/domain/ledger.js';
import { ledgerProblems, localDocumentClient, localLedger } from '../support/ledger.js';

const ledger = localLedger();

function uniqueWallet(currency = 'USD'): AccountRef {
  return accounts.wallet(`tw_test${randomUUID().replaceAll('-', '')}`, currency);
}

async function fund(wallet: AccountRef, amount: number): Promise<void> {
  await ledger.execute({
    type: 'post',
    id: `fund-${randomUUID()}`,
    debit: accounts.providerClearing('stripe', wallet.currency),
    credit: wallet,
    amount,
    code: 'topup',
  });
}

async function availableOf(account: AccountRef): Promise<number> {
  const stored = await ledger.account(account.id);
  return stored === undefined ? 0 : available(stored);
}

describe('Class: DynamoDbLedger', () => {
  afterAll(async () => {
    expect(await ledgerProblems()).toEqual([]);
  });

  describe('Method: execute (post)', () => {
    it('moves money once and keeps Σ debits = Σ credits when a wallet is funded', async () => {
      // Arrange
      const wallet = uniqueWallet();

      // Act
      await fund(wallet, 2000);

      // Assert
      expect(await ledger.account(wallet.id)).toMatchObject({
        creditsPosted: 2000,
        debitsPosted: 0,
        kind: 'user_wallet',
      });
      expect(await ledgerProblems()).toEqual([]);
    });

    it('lets exactly 20 of 50 concurrent debits of 100 through when the wallet holds 2000', async () => {
      // Arrange
      const wallet = uniqueWallet();
      const merchant = accounts.app(`app-${randomUUID()}`, 'USD');
      await fund(wallet, 2000);

      // Act
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          ledger.execute({
            type: 'post',
            id: `debit-${randomUUID()}-${i}`,
            debit: wallet,
            credit: merchant,
            amount: 100,
            code: 'payment',
          }),
        ),
      );

      // Assert
      const succeeded = results.filter((r) => r.status === 'fulfilled');
      const refused = results
        .filter((r) => r.status === 'rejected')
        .map((r) => (r as PromiseRejectedResult).reason);
      expect(succeeded).toHaveLength(20);
      expect(refused).toHaveLength(30);
      expect(refused.every((e) => (e as { code?: string }).code === 'INSUFFICIENT_FUNDS')).toBe(true);
      expect(await availableOf(wallet)).toBe(0);
      expect(await availableOf(merchant)).toBe(2000);
      expect(await ledgerProblems()).toEqual([]);
    }, 120_000);

    it('returns the first result and moves nothing more when the same transfer id is executed again', async () => {
      // Arrange
      const wallet = uniqueWallet();
      const merchant = accounts.app(`app-${randomUUID()}`, 'USD');
      await fund(wallet, 500);
      const command = {
        type: 'post' as const,
        id: `pay-${randomUUID()}`,
        debit: wallet,
        credit: merchant,
        amount: 300,
        code: 'payment' as const,
      };

      // Act
      const first = await ledger.execute(command);
      const again = await ledger.execute(command);
      const twins = await Promise.all(Array.from({ length: 5 }, () => ledger.execute(command)));

      // Assert
      expect(again).toEqual(first);
      expect(twins.every((t) => t.createdAt === first.createdAt)).toBe(true);
      expect(await availableOf(wallet)).toBe(200);
    });

    it('refuses a transfer id reused with other details', async () => {
      // Arrange
      const wallet = uniqueWallet();
      const merchant = accounts.app(`app-${randomUUID()}`, 'USD');
      await fund(wallet, 500);
      const id = `pay-${randomUUID()}`;
      await ledger.execute({
        type: 'post',
        id,
        debit: wallet,
        credit: merchant,
        amount: 100,
        code: 'payment',
      });

      // Act
      const reuse = ledger.execute({
        type: 'post',
        id,
        debit: wallet,
        credit: merchant,
        amount: 200,
        code: 'payment',
      });

      // Assert
      await expect(reuse).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(await availableOf(wallet)).toBe(400);
    });

    it('refuses an overdraft and changes nothing', async () => {
      // Arrange
      const wallet = uniqueWallet();
      const merchant = accounts.app(`app-${randomUUID()}`, 'USD');
      await fund(wallet, 100);

      // Act
      const overdraft = ledger.execute({
        type: 'post',
        id: `pay-${randomUUID()}`,
        debit: wallet,
        credit: merchant,
        amount: 101,
        code: 'payment',
      });

      // Assert
      await expect(overdraft).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
      expect(await availableOf(wallet)).toBe(100);
      expect(await ledger.account(merchant.id)).toBeUndefined();
    });

    it('refuses to debit a wallet that was never funded', async () => {
      // Act
      const debit = ledger.execute({
        type: 'post',
        id: `pay-${randomUUID()}`,
        debit: uniqueWallet(),
        credit: accounts.app(`app-${randomUUID()}`, 'USD'),
        amount: 1,
        code: 'payment',
      });

      // Assert
      await expect(debit).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    });

    it('refuses to mix currencies on one account', async () => {
      // Arrange
      const wallet = uniqueWallet('USD');
      await fund(wallet, 100);
      const sameIdOtherCurrency: AccountRef = { ...wallet, currency: 'EUR' };

      // Act
      const mixed = ledger.execute({
        type: 'post',
        id: `mix-${randomUUID()}`,
        debit: accounts.providerClearing('stripe', 'EUR'),
        credit: sameIdOtherCurrency,
        amount: 50,
        code: 'topup',
      });

      // Assert
      await expect(mixed).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
      expect(await ledger.account(wallet.id)).toMatchObject({ currency: 'USD', creditsPosted: 100 });
    });

    it('keeps JPY and KWD amounts exact', async () => {
      // Arrange
      const yen = uniqueWallet('JPY');
      const dinar = uniqueWallet('KWD');

      // Act
      await fund(yen, 1050);
      await fund(dinar, 1050);

      // Assert
      expect(await availableOf(yen)).toBe(1050);
      expect(await availableOf(dinar)).toBe(1050);
    });
  });

  describe('Method: execute (two-phase)', () => {
    async function reserve(amount: number, timeoutAt?: string) {
      const sender = uniqueWallet();
      const recipient = uniqueWallet();
      await fund(sender, 1000);
      const pending = await ledger.execute({
        type: 'pending',
        id: `p2p-${randomUUID()}`,
        debit: sender,
        credit: recipient,
        amount,
        code: 'p2p',
        ...(timeoutAt === undefined ? {} : { timeoutAt }),
      });
      return { sender, recipient, pending };
    }

    it('reserves funds so that available drops and pending shows', async () => {
      // Act
      const { sender, recipient } = await reserve(400);

      // Assert
      expect(await ledger.account(sender.id)).toMatchObject({ creditsPosted: 1000, debitsPending: 400 });
      expect(await availableOf(sender)).toBe(600);
      expect(await ledger.account(recipient.id)).toMatchObject({ creditsPending: 400, creditsPosted: 0 });
    });

    it('posts part of a reservation and releases the rest', async () => {
      // Arrange
      const { sender, recipient, pending } = await reserve(400);

      // Act
      await ledger.execute({
        type: 'post_pending',
        id: `post-${randomUUID()}`,
        pendingId: pending.id,
        amount: 250,
      });

      // Assert
      expect(await availableOf(sender)).toBe(750);
      expect(await availableOf(recipient)).toBe(250);
      expect(await ledger.transfer(pending.id)).toMatchObject({ state: 'posted', postedAmount: 250 });
    });

    it('reads the resolution and its pending transfer in one request before its one transaction', async () => {
      // Arrange
      const { recipient, pending } = await reserve(400);
      const client = localDocumentClient();
      const sent: string[] = [];
      client.middlewareStack.add(
        (next, context) => (args) => {
          sent.push(String(context.commandName));
          return next(args);
        },
        { step: 'initialize', name: 'countRequests' },
      );
      const counted = localLedger(client);

      // Act
      await counted.execute({ type: 'post_pending', id: `post-${randomUUID()}`, pendingId: pending.id });

      // Assert: then the two accounts, then the transaction
      expect(sent).toEqual([
        'BatchGetItemCommand',
        'GetItemCommand',
        'GetItemCommand',
        'TransactWriteItemsCommand',
      ]);
      expect(await availableOf(recipient)).toBe(400);
    });

    it('lets exactly one of a concurrent post and void win', async () => {
      // Arrange
      const { sender, recipient, pending } = await reserve(400);

      // Act
      const outcomes = await Promise.allSettled([
        ledger.execute({ type: 'post_pending', id: `post-${randomUUID()}`, pendingId: pending.id }),
        ledger.execute({
          type: 'void_pending',
          id: `void-${randomUUID()}`,
          pendingId: pending.id,
          reason: 'voided',
        }),
        ledger.execute({ type: 'post_pending', id: `post-${randomUUID()}`, pendingId: pending.id }),
        ledger.execute({
          type: 'void_pending',
          id: `void-${randomUUID()}`,
          pendingId: pending.id,
          reason: 'voided',
        }),
      ]);

      // Assert
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(rejected.every((o) => (o.reason as { code?: string }).code === 'INVALID_STATE_TRANSITION')).toBe(
        true,
      );
      const state = (await ledger.transfer(pending.id))?.state;
      expect((await availableOf(sender)) + (await availableOf(recipient))).toBe(1000);
      expect(await availableOf(sender)).toBe(state === 'posted' ? 600 : 1000);
      expect(await ledger.account(sender.id)).toMatchObject({ debitsPending: 0 });
      expect(await ledger.account(recipient.id)).toMatchObject({ creditsPending: 0 });
    });

    it('refuses to post an expired reservation but lets it be voided as expired', async () => {
      // Arrange
      const { sender, pending } = await reserve(400, new Date(Date.now() - 1000).toISOString());

      // Act
      const post = ledger.execute({
        type: 'post_pending',
        id: `post-${randomUUID()}`,
        pendingId: pending.id,
      });
      await expect(post).rejects.toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
      await ledger.execute({
        type: 'void_pending',
        id: `expire-${randomUUID()}`,
        pendingId: pending.id,
        reason: 'expired',
      });

      // Assert
      expect(await ledger.transfer(pending.id)).toMatchObject({ state: 'expired' });
      expect(await availableOf(sender)).toBe(1000);
    });

    it('refuses to post more than was reserved', async () => {
      // Arrange
      const { pending } = await reserve(400);

      // Act
      const post = ledger.execute({
        type: 'post_pending',
        id: `post-${randomUUID()}`,
        pendingId: pending.id,
        amount: 401,
      });

      // Assert
      await expect(post).rejects.toMatchObject({ code: 'INVALID_AMOUNT' });
    });
  });

  describe('Method: history', () => {
    it("lists an owner's entries newest first, page by page, with resolved statuses", async () => {
      // Arrange
      const wallet = uniqueWallet();
      const other = uniqueWallet();
      await fund(wallet, 1000);
      const pending = await ledger.execute({
        type: 'pending',
        id: `p-${randomUUID()}`,
        debit: wallet,
        credit: other,
        amount: 300,
        code: 'p2p',
      });
      await ledger.execute({ type: 'post_pending', id: `pp-${randomUUID()}`, pendingId: pending.id });
      for (let i = 0; i < 3; i += 1) {
        await ledger.execute({
          type: 'post',
          id: `x-${randomUUID()}`,
          debit: wallet,
          credit: other,
          amount: 10 + i,
          code: 'p2p',
        });
      }

      // Act
      const first = await ledger.history(wallet.historyOwner, { limit: 3 });
      const second = await ledger.history(wallet.historyOwner, {
        limit: 3,
        ...(first.after === undefined ? {} : { after: first.after }),
      });

      // Assert
      expect(first.entries.map((e) => e.amount)).toEqual([12, 11, 10]);
      expect(second.entries.map((e) => [e.amount, e.status, e.direction])).toEqual([
        [300, 'posted', 'debit'],
        [1000, 'posted', 'credit'],
      ]);
      expect(second.after).toBeUndefined();
    });
  });
});
