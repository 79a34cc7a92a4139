import type { Topup } from '../../../../shared/app/wallets/ports.js';
import { applyTopupDispute, TopupNotCreditedError } from '../../../../shared/app/wallets/top-up-dispute.js';
import type { DisputeReport, ProviderDisputeStatus } from '../../../../shared/domain/dispute.js';
import { InvalidStateTransitionError } from '../../../../shared/domain/errors.js';
import { accounts, available, checkLedgerInvariant } from '../../../../shared/domain/ledger.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { InMemoryDisputes } from '../../../support/fakes/disputes.js';
import { InMemoryTopups } from '../../../support/fakes/topups.js';
import { InMemoryLedger } from '../../../support/in-memory-ledger.js';

const NOW = '2026-03-01T12:00:00.000Z';
const WALLET = 'tw_alice';
const TOPUP = 'tu_1';
const TOPUP_AMOUNT = 1_500;
const USD_WALLET = accounts.wallet(WALLET, 'USD');
const CLEARING = accounts.providerClearing('stripe', 'USD');

function topup(status: Topup['status'] = 'succeeded'): Topup {
  return {
    topupId: TOPUP,
    userId: 'user_alice',
    walletId: WALLET,
    amount: TOPUP_AMOUNT,
    currency: 'USD',
    paymentMethodId: 'pm_card_visa',
    provider: 'stripe',
    status,
    providerPaymentId: 'pi_1',
    createdAt: NOW,
    updatedAt: NOW,
  };
}

function report(providerStatus: ProviderDisputeStatus, amount = TOPUP_AMOUNT): DisputeReport {
  return {
    disputeId: 'dp_1',
    providerPaymentId: 'pi_1',
    amount,
    currency: 'USD',
    providerStatus,
    reason: 'fraudulent',
  };
}

/** A wallet holding `balance` (the top-up's credit among it), with the top-up recorded as credited. */
async function setup(balance = 4_000, status: Topup['status'] = 'succeeded') {
  const clock = fixedClock(NOW);
  const ledger = new InMemoryLedger(() => clock.now());
  const topups = new InMemoryTopups(ledger);
  const disputes = new InMemoryDisputes(ledger);
  await topups.create(topup(status));
  if (balance > 0) {
    await ledger.execute({
      type: 'post',
      id: 'credit_1',
      debit: CLEARING,
      credit: USD_WALLET,
      amount: balance,
      code: 'topup',
    });
  }
  return { ledger, disputes, deps: { topups, disputes, ledger, clock } };
}
type Harness = Awaited<ReturnType<typeof setup>>;

async function wallet(harness: Harness) {
  const account = await harness.ledger.account(USD_WALLET.id);
  if (account === undefined) throw new Error('no wallet account');
  return { available: available(account), pending: account.debitsPending, spent: account.debitsPosted };
}

describe('Use case: applyTopupDispute', () => {
  describe('when a top-up is disputed', () => {
    it('freezes the disputed amount: out of available, held as pending', async () => {
      // Arrange
      const harness = await setup();

      // Act
      const { dispute, applied } = await applyTopupDispute(TOPUP, report('needs_response'), harness.deps);

      // Assert
      expect(applied).toBe('frozen');
      expect(dispute).toMatchObject({
        status: 'open',
        frozenAmount: TOPUP_AMOUNT,
        shortfall: 0,
        topupId: TOPUP,
      });
      expect(await wallet(harness)).toEqual({ available: 2_500, pending: TOPUP_AMOUNT, spent: 0 });
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });

    it('freezes what the wallet still holds and records the shortfall when the payer spent the rest', async () => {
      // Arrange
      const harness = await setup(600);

      // Act
      const { dispute } = await applyTopupDispute(TOPUP, report('needs_response'), harness.deps);

      // Assert
      expect(dispute).toMatchObject({ frozenAmount: 600, shortfall: 900 });
      expect(await wallet(harness)).toEqual({ available: 0, pending: 600, spent: 0 });
    });

    it('freezes nothing from an empty wallet, records all of it as shortfall, and closes without money', async () => {
      // Arrange
      const harness = await setup(0);

      // Act
      const opened = await applyTopupDispute(TOPUP, report('needs_response'), harness.deps);
      const closed = await applyTopupDispute(TOPUP, report('lost'), harness.deps);

      // Assert
      expect(opened.dispute).toMatchObject({ frozenAmount: 0, shortfall: TOPUP_AMOUNT });
      expect(opened.dispute.freezeTransferId).toBeUndefined();
      expect(closed.dispute.status).toBe('lost');
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });

    it('never freezes more than the top-up brought in', async () => {
      // Arrange
      const harness = await setup();

      // Act
      const { dispute } = await applyTopupDispute(TOPUP, report('needs_response', 9_000), harness.deps);

      // Assert
      expect(dispute.frozenAmount).toBe(TOPUP_AMOUNT);
    });

    it('freezes once when the same dispute is reported twice, even concurrently', async () => {
      // Arrange
      const harness = await setup();

      // Act
      const [first, second] = await Promise.all([
        applyTopupDispute(TOPUP, report('needs_response'), harness.deps),
        applyTopupDispute(TOPUP, report('needs_response'), harness.deps),
      ]);
      const again = await applyTopupDispute(TOPUP, report('under_review'), harness.deps);

      // Assert
      expect(first.dispute.frozenAmount).toBe(TOPUP_AMOUNT);
      expect(second.dispute.frozenAmount).toBe(TOPUP_AMOUNT);
      expect(again.applied).toBe('unchanged');
      expect(await wallet(harness)).toEqual({ available: 2_500, pending: TOPUP_AMOUNT, spent: 0 });
    });

    it('is retried, not applied, while the top-up has not credited the wallet', async () => {
      // Arrange
      const harness = await setup(0, 'processing');

      // Act & Assert
      await expect(applyTopupDispute(TOPUP, report('needs_response'), harness.deps)).rejects.toThrow(
        TopupNotCreditedError,
      );
      expect(await harness.disputes.get('dp_1')).toBeUndefined();
    });
  });

  describe('when the dispute closes', () => {
    it('releases the frozen money when the dispute is won', async () => {
      // Arrange
      const harness = await setup();
      await applyTopupDispute(TOPUP, report('needs_response'), harness.deps);

      // Act
      const { dispute, applied } = await applyTopupDispute(TOPUP, report('won'), harness.deps);

      // Assert
      expect(applied).toBe('released');
      expect(dispute).toMatchObject({ status: 'won', providerStatus: 'won', closedAt: NOW });
      expect(await wallet(harness)).toEqual({ available: 4_000, pending: 0, spent: 0 });
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });

    it('debits the frozen money when the dispute is lost', async () => {
      // Arrange
      const harness = await setup();
      await applyTopupDispute(TOPUP, report('needs_response'), harness.deps);

      // Act
      const { dispute, applied } = await applyTopupDispute(TOPUP, report('lost'), harness.deps);

      // Assert
      expect(applied).toBe('debited');
      expect(dispute.status).toBe('lost');
      expect(await wallet(harness)).toEqual({ available: 2_500, pending: 0, spent: TOPUP_AMOUNT });
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });

    it('changes nothing when the close is reported again or the opening arrives late', async () => {
      // Arrange
      const harness = await setup();
      await applyTopupDispute(TOPUP, report('needs_response'), harness.deps);
      await applyTopupDispute(TOPUP, report('lost'), harness.deps);

      // Act
      const repeated = await applyTopupDispute(TOPUP, report('lost'), harness.deps);
      const late = await applyTopupDispute(TOPUP, report('needs_response'), harness.deps);

      // Assert
      expect(repeated.applied).toBe('unchanged');
      expect(late.applied).toBe('unchanged');
      expect(await wallet(harness)).toEqual({ available: 2_500, pending: 0, spent: TOPUP_AMOUNT });
    });

    it('freezes and releases at once when the close is the first report seen, and ignores the opening after it', async () => {
      // Arrange
      const harness = await setup();

      // Act
      const closed = await applyTopupDispute(TOPUP, report('won'), harness.deps);
      const late = await applyTopupDispute(TOPUP, report('needs_response'), harness.deps);

      // Assert
      expect(closed).toMatchObject({ applied: 'released', dispute: { status: 'won' } });
      expect(late.applied).toBe('unchanged');
      expect(await wallet(harness)).toEqual({ available: 4_000, pending: 0, spent: 0 });
      expect(checkLedgerInvariant(harness.ledger.allAccounts())).toEqual([]);
    });

    it('closes once when the same close is reported twice concurrently', async () => {
      // Arrange
      const harness = await setup();
      await applyTopupDispute(TOPUP, report('needs_response'), harness.deps);

      // Act
      const outcomes = await Promise.all([
        applyTopupDispute(TOPUP, report('lost'), harness.deps),
        applyTopupDispute(TOPUP, report('lost'), harness.deps),
      ]);

      // Assert
      expect(outcomes.map(({ applied }) => applied).sort()).toEqual(['debited', 'unchanged']);
      expect(await wallet(harness)).toEqual({ available: 2_500, pending: 0, spent: TOPUP_AMOUNT });
    });

    it('refuses a won dispute later reported lost, moving nothing (a contradiction for ops)', async () => {
      // Arrange
      const harness = await setup();
      await applyTopupDispute(TOPUP, report('needs_response'), harness.deps);
      await applyTopupDispute(TOPUP, report('won'), harness.deps);

      // Act & Assert
      await expect(applyTopupDispute(TOPUP, report('lost'), harness.deps)).rejects.toThrow(
        InvalidStateTransitionError,
      );
      expect(await wallet(harness)).toEqual({ available: 4_000, pending: 0, spent: 0 });
    });
  });
});
