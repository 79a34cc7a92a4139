import type { PaymentProvider, ProviderPayment } from '../../../../shared/app/payments/ports.js';
import { applyTopupOutcome, type TopUpDeps, topUpWallet } from '../../../../shared/app/wallets/top-up.js';
import { accounts } from '../../../../shared/domain/ledger.js';
import { CurrencyPolicy } from '../../../../shared/domain/money.js';
import { PaymentDeclinedError } from '../../../../shared/domain/provider-errors.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { sequentialIds } from '../../../support/fakes/ids.js';
import { type CardOutcome, FakePaymentProvider } from '../../../support/fakes/payment-provider.js';
import { InMemoryProviderCustomers } from '../../../support/fakes/provider-customers.js';
import { InMemorySavedCards } from '../../../support/fakes/saved-cards.js';
import { InMemoryTopups } from '../../../support/fakes/topups.js';
import { InMemoryWallets } from '../../../support/fakes/wallets.js';
import { InMemoryLedger } from '../../../support/in-memory-ledger.js';

const USER = 'user_alice';
const CARD = 'pm_card_test';

/**
 * A provider whose webhook is applied while the request still waits for the charge's answer: the race the
 * request path and the webhook consumer run against each other.
 */
class ProviderWithEarlyWebhook extends FakePaymentProvider {
  webhook: (payment: ProviderPayment, topupId: string) => Promise<unknown> = async () => undefined;

  override async createPayment(input: Parameters<PaymentProvider['createPayment']>[0]) {
    const topupId = input.metadata?.topupId ?? '';
    try {
      const payment = await super.createPayment(input);
      await this.webhook(payment, topupId);
      return payment;
    } catch (error) {
      if (error instanceof PaymentDeclinedError && error.providerPaymentId !== undefined) {
        await this.webhook(await this.retrievePayment(error.providerPaymentId), topupId);
      }
      throw error;
    }
  }
}

function setup(outcome: CardOutcome) {
  const clock = fixedClock('2026-03-01T12:00:00.000Z');
  const ids = sequentialIds();
  const ledger = new InMemoryLedger(() => clock.now());
  const provider = new ProviderWithEarlyWebhook().card(CARD, outcome);
  const topups = new InMemoryTopups(ledger);
  const deps: TopUpDeps = {
    wallets: new InMemoryWallets(ids, clock),
    ledger,
    provider,
    customers: new InMemoryProviderCustomers(),
    topups,
    savedCards: new InMemorySavedCards(),
    currencies: new CurrencyPolicy(['USD']),
    ids,
    clock,
  };
  provider.webhook = (payment, topupId) => applyTopupOutcome(topupId, payment, deps);
  const command = {
    userId: USER,
    idempotencyKey: 'key-1',
    amount: 1_500,
    currency: 'USD',
    paymentMethodId: CARD,
  };
  return { deps, ledger, provider, topups, command };
}

describe('Use case: topUpWallet, raced by the provider webhook', () => {
  it('answers requires_action with the next action when the webhook recorded it first', async () => {
    // Arrange
    const { deps, command, topups } = setup('requires_action');

    // Act
    const topup = await topUpWallet(command, deps);

    // Assert
    expect(topup).toMatchObject({ status: 'requires_action', nextActionUrl: expect.any(String) });
    expect(topups.all()).toHaveLength(1);
  });

  it('credits the wallet once when the webhook completed the top-up first', async () => {
    // Arrange
    const { deps, command, ledger } = setup('succeeded');

    // Act
    const topup = await topUpWallet(command, deps);

    // Assert
    expect(topup.status).toBe('succeeded');
    const wallet = await deps.wallets.find(USER);
    const account = await ledger.account(accounts.wallet(wallet?.walletId ?? '', 'USD').id);
    expect(account?.creditsPosted).toBe(1_500);
  });

  it('still answers the decline when the webhook failed the top-up first', async () => {
    // Arrange
    const { deps, command, topups } = setup({ decline: 'insufficient_funds' });

    // Act & Assert
    await expect(topUpWallet(command, deps)).rejects.toMatchObject({
      code: 'PAYMENT_DECLINED',
      declineCode: 'insufficient_funds',
    });
    expect(topups.all()).toEqual([expect.objectContaining({ status: 'failed' })]);
  });
});

describe('Use case: applyTopupOutcome', () => {
  it('answers NOT_FOUND for a top-up that does not exist', async () => {
    // Arrange
    const { deps } = setup('succeeded');
    const payment: ProviderPayment = {
      provider: 'stripe',
      id: 'pi_1',
      status: 'succeeded',
      amount: 1,
      amountReceived: 1,
      currency: 'USD',
    };

    // Act & Assert
    await expect(applyTopupOutcome('tu_none', payment, deps)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
