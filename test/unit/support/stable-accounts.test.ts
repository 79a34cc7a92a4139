/**
 * The ledger check's snapshot (test/support/ledger.ts): a scan torn by a transfer landing mid-scan must not
 * be judged, and a ledger that keeps moving must not pass unjudged.
 */
import { type Account, checkLedgerInvariant } from '../../../shared/domain/ledger.js';
import { stableAccounts } from '../../support/ledger.js';

function account(id: string, version: number, pending: { debits?: number; credits?: number }): Account {
  return {
    id,
    kind: id.startsWith('wallet') ? 'user_wallet' : 'app',
    currency: 'USD',
    historyOwner: id,
    version,
    // The wallet was topped up with 10,000 from the provider's clearing account, which is not in these scans.
    debitsPosted: 0,
    creditsPosted: id.startsWith('wallet') ? 10_000 : 0,
    debitsPending: pending.debits ?? 0,
    creditsPending: pending.credits ?? 0,
  };
}

/** A 6,000 hold wallet → app, then its release; a scan that read the wallet after the release and the app before it. */
const held = [account('wallet_a', 2, { debits: 6_000 }), account('app_x', 2, { credits: 6_000 })];
const torn = [account('wallet_a', 3, {}), account('app_x', 2, { credits: 6_000 })];
const released = [account('wallet_a', 3, {}), account('app_x', 3, {})];

/** The invariant's pending half: the posted half needs the clearing account these scans leave out. */
function pendingProblems(accounts: Account[]): string[] {
  return checkLedgerInvariant(accounts).filter((problem) => problem.includes('pending'));
}

function scripted(...scans: Account[][]): { scan: () => Promise<Account[]>; count: () => number } {
  let next = 0;
  return {
    scan: async () => scans[Math.min(next++, scans.length - 1)] ?? [],
    count: () => next,
  };
}

describe('Test support: stableAccounts', () => {
  it('judges the scan two scans in a row agree on, never the torn one between', async () => {
    // Arrange
    expect(pendingProblems(torn)).toEqual(['USD: pending debits 0 != pending credits 6000']);
    const scans = scripted(held, torn, released, released);

    // Act
    const accounts = await stableAccounts(scans.scan);

    // Assert
    expect(accounts).toEqual(released);
    expect(pendingProblems(accounts)).toEqual([]);
    expect(scans.count()).toBe(4);
  });

  it('takes the first scan when nothing moves', async () => {
    const scans = scripted(held, held);

    await expect(stableAccounts(scans.scan)).resolves.toEqual(held);
    expect(scans.count()).toBe(2);
  });

  it('sees an account that appeared between two scans as movement', async () => {
    const scans = scripted(held.slice(0, 1), held, held);

    await expect(stableAccounts(scans.scan)).resolves.toEqual(held);
    expect(scans.count()).toBe(3);
  });

  it('fails when the ledger never holds still, rather than judging a torn scan', async () => {
    let version = 0;
    const moving = async () => [account('wallet_a', ++version, {}), account('app_x', 1, { credits: 1 })];

    await expect(stableAccounts(moving, 5)).rejects.toThrow(/changed between every two of 5 scans/);
  });
});
