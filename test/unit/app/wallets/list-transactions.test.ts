import { CursorCodec } from '../../../../shared/app/cursor.js';
import {
  listTransactions,
  type WalletTransaction,
} from '../../../../shared/app/wallets/list-transactions.js';
import { ForbiddenError } from '../../../../shared/domain/errors.js';
import { accounts } from '../../../../shared/domain/ledger.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { sequentialIds } from '../../../support/fakes/ids.js';
import { InMemoryWallets } from '../../../support/fakes/wallets.js';
import { InMemoryLedger } from '../../../support/in-memory-ledger.js';

const ALICE = 'user_alice';
const BOB = 'user_bob';

function setup() {
  const clock = fixedClock('2026-03-01T12:00:00.000Z');
  const ledger = new InMemoryLedger(() => clock.now());
  const wallets = new InMemoryWallets(sequentialIds(), clock);
  const cursors = new CursorCodec('c'.repeat(32));
  return { clock, ledger, wallets, cursors, deps: { ledger, wallets, cursors } };
}

/** Alice tops up three times, a minute apart, then pays Bob: four entries in her history, one in his. */
async function withHistory() {
  const context = setup();
  const { clock, ledger, wallets } = context;
  const alice = await wallets.ensure(ALICE);
  const bob = await wallets.ensure(BOB);
  for (const [id, amount] of [
    ['topup-1', 1_000],
    ['topup-2', 2_000],
    ['topup-3', 3_000],
  ] as const) {
    await ledger.execute({
      type: 'post',
      id,
      debit: accounts.providerClearing('stripe', 'USD'),
      credit: accounts.wallet(alice.walletId, 'USD'),
      amount,
      code: 'topup',
      metadata: { topupId: id },
    });
    clock.advance(60_000);
  }
  await ledger.execute({
    type: 'post',
    id: 'p2p-1',
    debit: accounts.wallet(alice.walletId, 'USD'),
    credit: accounts.wallet(bob.walletId, 'USD'),
    amount: 500,
    code: 'p2p',
  });
  return { ...context, alice, bob };
}

async function everyPage(
  deps: ReturnType<typeof setup>['deps'],
  userId: string,
  limit: number,
): Promise<{ pages: WalletTransaction[][]; lastCursor: string | null }> {
  const pages: WalletTransaction[][] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 10; guard++) {
    const page = await listTransactions(
      userId,
      userId,
      { limit, ...(cursor === undefined ? {} : { cursor }) },
      deps,
    );
    pages.push(page.items);
    if (page.nextCursor === null) return { pages, lastCursor: null };
    cursor = page.nextCursor;
  }
  throw new Error('The pages never ended');
}

describe('Use case: listTransactions', () => {
  it('refuses with FORBIDDEN when the caller asks for another user', async () => {
    // Arrange
    const { deps } = await withHistory();

    // Act
    const attempt = listTransactions(BOB, ALICE, { limit: 10 }, deps);

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(ForbiddenError);
    await expect(attempt).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('answers the newest transaction first', async () => {
    // Arrange
    const { deps } = await withHistory();

    // Act
    const page = await listTransactions(ALICE, ALICE, { limit: 10 }, deps);

    // Assert
    expect(page.items.map((item) => [item.transferId, item.type, item.direction, item.amount])).toEqual([
      ['p2p-1', 'p2p', 'debit', 500],
      ['topup-3', 'topup', 'credit', 3_000],
      ['topup-2', 'topup', 'credit', 2_000],
      ['topup-1', 'topup', 'credit', 1_000],
    ]);
    expect(page.items[1]).toEqual({
      transferId: 'topup-3',
      type: 'topup',
      direction: 'credit',
      amount: 3_000,
      currency: 'USD',
      status: 'posted',
      createdAt: '2026-03-01T12:02:00.000Z',
      metadata: { topupId: 'topup-3' },
    });
  });

  it('pages through the whole history with the cursor and ends with a null cursor', async () => {
    // Arrange
    const { deps } = await withHistory();
    const all = await listTransactions(ALICE, ALICE, { limit: 10 }, deps);

    // Act
    const { pages, lastCursor } = await everyPage(deps, ALICE, 3);

    // Assert
    expect(pages.map((items) => items.length)).toEqual([3, 1]);
    expect(pages.flat()).toEqual(all.items);
    expect(lastCursor).toBeNull();
  });

  it('ends with an empty page and a null cursor when the last full page was exactly the end', async () => {
    // Arrange
    const { deps } = await withHistory();

    // Act
    const { pages, lastCursor } = await everyPage(deps, ALICE, 2);

    // Assert
    expect(pages.map((items) => items.map((item) => item.transferId))).toEqual([
      ['p2p-1', 'topup-3'],
      ['topup-2', 'topup-1'],
      [],
    ]);
    expect(lastCursor).toBeNull();
  });

  it("refuses with VALIDATION_ERROR a cursor from another user's list", async () => {
    // Arrange
    const { deps, ledger, bob, alice } = await withHistory();
    await ledger.execute({
      type: 'post',
      id: 'p2p-2',
      debit: accounts.wallet(alice.walletId, 'USD'),
      credit: accounts.wallet(bob.walletId, 'USD'),
      amount: 100,
      code: 'p2p',
    });
    const bobsPage = await listTransactions(BOB, BOB, { limit: 1 }, deps);
    const bobsCursor = bobsPage.nextCursor;
    if (bobsCursor === null) throw new Error("Bob's list should have a second page");

    // Act
    const attempt = listTransactions(ALICE, ALICE, { limit: 10, cursor: bobsCursor }, deps);

    // Assert
    await expect(attempt).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('refuses with VALIDATION_ERROR a tampered cursor', async () => {
    // Arrange
    const { deps } = await withHistory();
    const page = await listTransactions(ALICE, ALICE, { limit: 1 }, deps);
    const cursor = page.nextCursor;
    if (cursor === null) throw new Error('The list should have a second page');
    const [, signature] = cursor.split('.');
    const forged = `${Buffer.from(JSON.stringify({ l: `transactions:${ALICE}`, p: '9999' })).toString('base64url')}.${signature}`;

    // Act
    const attempt = listTransactions(ALICE, ALICE, { limit: 10, cursor: forged }, deps);

    // Assert
    await expect(attempt).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('refuses with VALIDATION_ERROR a tampered cursor even when the user has no wallet', async () => {
    // Arrange
    const { deps, wallets } = setup();

    // Act
    const attempt = listTransactions(ALICE, ALICE, { limit: 10, cursor: 'not-a-cursor' }, deps);

    // Assert
    await expect(attempt).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(wallets.size).toBe(0);
  });

  it('answers an empty list, without creating a wallet, when the user has no wallet', async () => {
    // Arrange
    const { deps, wallets } = setup();

    // Act
    const page = await listTransactions(ALICE, ALICE, { limit: 10 }, deps);

    // Assert
    expect(page).toEqual({ items: [], nextCursor: null });
    expect(wallets.size).toBe(0);
  });

  it("does not show the counterparty's account ids", async () => {
    // Arrange
    const { deps, alice, bob } = await withHistory();

    // Act
    const [alicePage, bobPage] = await Promise.all([
      listTransactions(ALICE, ALICE, { limit: 10 }, deps),
      listTransactions(BOB, BOB, { limit: 10 }, deps),
    ]);

    // Assert
    expect(JSON.stringify(alicePage)).not.toContain(bob.walletId);
    expect(JSON.stringify(alicePage)).not.toContain('clearing_');
    expect(JSON.stringify(bobPage)).not.toContain(alice.walletId);
    for (const item of [...alicePage.items, ...bobPage.items]) {
      expect(Object.keys(item).sort()).toEqual(
        ['amount', 'createdAt', 'currency', 'direction', 'metadata', 'status', 'transferId', 'type'].sort(),
      );
    }
  });
});
