import { getBalance } from '../../../../shared/app/wallets/get-balance.js';
import { ForbiddenError } from '../../../../shared/domain/errors.js';
import { accounts, checkLedgerInvariant } from '../../../../shared/domain/ledger.js';
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
  return { ledger, wallets, deps: { ledger, wallets } };
}

describe('Use case: getBalance', () => {
  it('refuses with FORBIDDEN when the caller asks for another user', async () => {
    // Arrange
    const { deps, wallets } = setup();

    // Act
    const attempt = getBalance(BOB, ALICE, deps);

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(ForbiddenError);
    await expect(attempt).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(wallets.size).toBe(0);
  });

  it('creates the wallet on first use and answers no balances', async () => {
    // Arrange
    const { deps, wallets } = setup();

    // Act
    const balance = await getBalance(ALICE, ALICE, deps);

    // Assert
    const wallet = await wallets.find(ALICE);
    expect(balance).toEqual({ userId: ALICE, walletId: wallet?.walletId, balances: [] });
  });

  it('answers the same wallet when two first uses run at once', async () => {
    // Arrange
    const { deps, wallets } = setup();

    // Act
    const [a, b] = await Promise.all([getBalance(ALICE, ALICE, deps), getBalance(ALICE, ALICE, deps)]);

    // Assert
    expect(a.walletId).toBe(b.walletId);
    expect(wallets.size).toBe(1);
  });

  it('answers available, pending and total per currency, sorted by currency, when funds are reserved', async () => {
    // Arrange
    const { deps, ledger, wallets } = setup();
    const alice = await wallets.ensure(ALICE);
    const bob = await wallets.ensure(BOB);
    const fund = async (currency: string, amount: number) =>
      ledger.execute({
        type: 'post',
        id: `fund-${currency}`,
        debit: accounts.providerClearing('stripe', currency),
        credit: accounts.wallet(alice.walletId, currency),
        amount,
        code: 'topup',
      });
    await fund('USD', 5_000);
    await fund('JPY', 1_000);
    await fund('EUR', 700);
    await ledger.execute({
      type: 'pending',
      id: 'p2p-reserved',
      debit: accounts.wallet(alice.walletId, 'USD'),
      credit: accounts.wallet(bob.walletId, 'USD'),
      amount: 1_200,
      code: 'p2p',
    });

    // Act
    const balance = await getBalance(ALICE, ALICE, deps);

    // Assert
    expect(balance).toEqual({
      userId: ALICE,
      walletId: alice.walletId,
      balances: [
        { currency: 'EUR', available: 700, pending: 0, total: 700 },
        { currency: 'JPY', available: 1_000, pending: 0, total: 1_000 },
        { currency: 'USD', available: 3_800, pending: 1_200, total: 5_000 },
      ],
    });
    expect(checkLedgerInvariant(ledger.allAccounts())).toEqual([]);
  });

  it('answers the reservation as spent once the pending transfer is posted', async () => {
    // Arrange
    const { deps, ledger, wallets } = setup();
    const alice = await wallets.ensure(ALICE);
    const bob = await wallets.ensure(BOB);
    await ledger.execute({
      type: 'post',
      id: 'fund',
      debit: accounts.providerClearing('stripe', 'USD'),
      credit: accounts.wallet(alice.walletId, 'USD'),
      amount: 5_000,
      code: 'topup',
    });
    await ledger.execute({
      type: 'pending',
      id: 'p2p',
      debit: accounts.wallet(alice.walletId, 'USD'),
      credit: accounts.wallet(bob.walletId, 'USD'),
      amount: 1_200,
      code: 'p2p',
    });
    await ledger.execute({ type: 'post_pending', id: 'p2p-post', pendingId: 'p2p' });

    // Act
    const [aliceBalance, bobBalance] = await Promise.all([
      getBalance(ALICE, ALICE, deps),
      getBalance(BOB, BOB, deps),
    ]);

    // Assert
    expect(aliceBalance.balances).toEqual([{ currency: 'USD', available: 3_800, pending: 0, total: 3_800 }]);
    expect(bobBalance.balances).toEqual([{ currency: 'USD', available: 1_200, pending: 0, total: 1_200 }]);
  });
});
